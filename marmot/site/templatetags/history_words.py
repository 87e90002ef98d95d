"""``{% history_rows page_obj %}``: the admin's history page in words.

Each row of simple-history's object history (newest first) becomes when, who,
what happened (sentences from :mod:`marmot.history_words`) and the reason, if
one was given. The oldest record on a page is compared with the one before it
(one more query), so every row on every page says what it changed; lists of
links cost one query each for the whole page.
"""

from dataclasses import dataclass

from django import template

from marmot import history_words

register = template.Library()


@dataclass(frozen=True)
class HistoryRow:
    record: object
    who: str
    sentences: list[str]
    reason: str


class HistoryRows(list):
    @property
    def any_reason(self) -> bool:
        """Whether any row gives a reason (else the page has no such column)."""
        return any(row.reason for row in self)


@register.simple_tag(takes_context=True)
def history_rows(context, records) -> HistoryRows:
    request = context.get("request")
    reader = getattr(request, "user", None)
    records = list(records)
    last = records[-1] if records else None
    before = last.prev_record if last is not None and last.history_type == "~" else None
    sentences = history_words.records_sentences(records, reader=reader, before=before)
    return HistoryRows(
        HistoryRow(
            record=record,
            who=history_words.person_name(
                reader, record.history_user, not_recorded="Not recorded"
            ),
            sentences=said,
            reason=history_words.reason_words(record.history_change_reason),
        )
        for record, said in zip(records, sentences, strict=True)
    )
