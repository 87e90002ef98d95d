"""How complete an action is, as the pages and the API show it: one pure
function, so every place says the same."""

from __future__ import annotations

from dataclasses import dataclass

BY_HAND = "by_hand"
MILESTONES = "milestones"
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class PercentComplete:
    value: int | None  # 0 to 100, or None when not recorded
    source: str  # BY_HAND, MILESTONES or NOT_RECORDED
    done: int = 0
    total: int = 0

    @property
    def words(self) -> str:
        """ "40% (set by hand)", "50% (1 of 2 milestones done)", "Not recorded"."""
        if self.source == BY_HAND:
            return f"{self.value}% (set by hand)"
        if self.source == MILESTONES:
            noun = "milestone" if self.total == 1 else "milestones"
            return f"{self.value}% ({self.done} of {self.total} {noun} done)"
        return "Not recorded"

    @property
    def short(self) -> str:
        """For a table cell: "40% (set by hand)", "50%", "Not recorded"."""
        if self.source == MILESTONES:
            return f"{self.value}%"
        return self.words


def percent_complete(
    *, set_by_hand: int | None, milestones_done: int, milestones_total: int
) -> PercentComplete:
    """A figure set by hand wins; otherwise done ÷ total milestones, rounded to
    the nearest whole per cent (half up, so 1 of 8 is 13%, and never 100% until
    every milestone is done nor 0% once one is); with neither, not recorded."""
    if set_by_hand is not None:
        return PercentComplete(set_by_hand, BY_HAND, milestones_done, milestones_total)
    if milestones_total <= 0:
        return PercentComplete(None, NOT_RECORDED)
    value = (200 * milestones_done + milestones_total) // (2 * milestones_total)
    if milestones_done < milestones_total:
        value = min(value, 99)
    if milestones_done > 0:
        value = max(value, 1)
    return PercentComplete(value, MILESTONES, milestones_done, milestones_total)
