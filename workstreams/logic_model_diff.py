"""What changed between two versions of a logic model (pure functions, no queries).

Items are not the same rows across versions (each version has its own), so they
are matched by what they say. Within each section the two lists of item texts
are aligned as a sequence (``difflib``): items whose text is the same are kept
(and "changed" only if their linked measures differ); where the alignment
replaces some items with others, each pair that still reads alike (similarity
at least ``SIMILAR_ENOUGH``) counts as one item "changed", the rest as
"removed" from the older version and "added" in the newer one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

#: The sections of a logic model, in the order a reader meets them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("input", "Inputs"),
    ("activity", "Activities"),
    ("output", "Outputs"),
    ("outcome", "Outcomes"),
    ("assumption", "Assumptions"),
)
TEXTS: tuple[tuple[str, str], ...] = (
    ("hypothesis", "Hypothesis"),
    ("context", "Context"),
    ("barriers", "Barriers"),
)
SIMILAR_ENOUGH = 0.5


@dataclass(frozen=True)
class ItemSnapshot:
    """One item as written: its text and the names of the measures it links to."""

    text: str
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelSnapshot:
    """One version of a logic model: its texts and items in order, by kind."""

    version: int
    hypothesis: str = ""
    context: str = ""
    barriers: str = ""
    items: Mapping[str, Sequence[ItemSnapshot]] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemChange:
    change: str  # ADDED, REMOVED or CHANGED
    before: ItemSnapshot | None
    after: ItemSnapshot | None

    @property
    def label(self) -> str:
        return self.change.capitalize()

    @property
    def text_changed(self) -> bool:
        return bool(self.before and self.after and self.before.text != self.after.text)

    @property
    def indicators_added(self) -> list[str]:
        before = set(self.before.indicators) if self.before else set()
        after = self.after.indicators if self.after else ()
        return [name for name in after if name not in before]

    @property
    def indicators_removed(self) -> list[str]:
        after = set(self.after.indicators) if self.after else set()
        before = self.before.indicators if self.before else ()
        return [name for name in before if name not in after]


@dataclass(frozen=True)
class SectionDiff:
    kind: str
    label: str
    changes: tuple[ItemChange, ...]
    unchanged: int

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


@dataclass(frozen=True)
class TextChange:
    name: str
    label: str
    before: str
    after: str

    @property
    def change(self) -> str:
        if not self.before:
            return ADDED
        if not self.after:
            return REMOVED
        return CHANGED

    @property
    def label_tag(self) -> str:
        return self.change.capitalize()


@dataclass(frozen=True)
class LogicModelDiff:
    before_version: int
    after_version: int
    texts: tuple[TextChange, ...]
    sections: tuple[SectionDiff, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.texts) or any(s.changes for s in self.sections)

    @property
    def changed_sections(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.changes]


def similarity(a: str, b: str) -> float:
    """How alike two texts read, 0 to 1 (case and spacing ignored)."""
    return difflib.SequenceMatcher(
        None, " ".join(a.lower().split()), " ".join(b.lower().split())
    ).ratio()


def _replaced(
    before: Sequence[ItemSnapshot], after: Sequence[ItemSnapshot]
) -> list[ItemChange]:
    changes: list[ItemChange] = []
    for old, new in zip(before, after, strict=False):
        if similarity(old.text, new.text) >= SIMILAR_ENOUGH:
            changes.append(ItemChange(CHANGED, old, new))
        else:
            changes.append(ItemChange(REMOVED, old, None))
            changes.append(ItemChange(ADDED, None, new))
    changes += [ItemChange(REMOVED, old, None) for old in before[len(after) :]]
    changes += [ItemChange(ADDED, None, new) for new in after[len(before) :]]
    return changes


def section_diff(
    before: Sequence[ItemSnapshot], after: Sequence[ItemSnapshot]
) -> tuple[list[ItemChange], int]:
    """The changes from one section's items to another's, and how many stayed."""
    matcher = difflib.SequenceMatcher(
        None, [i.text.strip() for i in before], [i.text.strip() for i in after]
    )
    changes: list[ItemChange] = []
    unchanged = 0
    for op, b1, b2, a1, a2 in matcher.get_opcodes():
        if op == "equal":
            for old, new in zip(before[b1:b2], after[a1:a2], strict=True):
                if set(old.indicators) == set(new.indicators):
                    unchanged += 1
                else:
                    changes.append(ItemChange(CHANGED, old, new))
        elif op == "delete":
            changes += [ItemChange(REMOVED, old, None) for old in before[b1:b2]]
        elif op == "insert":
            changes += [ItemChange(ADDED, None, new) for new in after[a1:a2]]
        else:
            changes += _replaced(before[b1:b2], after[a1:a2])
    return changes, unchanged


def logic_model_diff(first: ModelSnapshot, second: ModelSnapshot) -> LogicModelDiff:
    """What changed from the older of two versions to the newer one."""
    before, after = sorted((first, second), key=lambda m: m.version)
    texts = tuple(
        TextChange(name, label, getattr(before, name), getattr(after, name))
        for name, label in TEXTS
        if getattr(before, name).strip() != getattr(after, name).strip()
    )
    sections = []
    for kind, label in SECTIONS:
        changes, unchanged = section_diff(
            before.items.get(kind, ()), after.items.get(kind, ())
        )
        sections.append(SectionDiff(kind, label, tuple(changes), unchanged))
    return LogicModelDiff(before.version, after.version, texts, tuple(sections))
