"""The words of a Fingertips data CSV and what they mean here.

Everything is matched case-insensitively after collapsing runs of whitespace, so
"better 95%", "Better  95%" and "BETTER 95%" are the same word. Unknown words are
reported as errors by the caller; nothing here guesses.

Comparison words ("Compared to England value or percentiles" and the parent
column) as written by Fingertips' exporters (``SignificanceFormatter``):

* RAG polarity: "Better", "Similar" (older files: "Same"), "Worse", and at the
  99.8% level of a two-level comparison "Best" and "Worst". Files prepared by
  hand or by other tools also say "Better 95%", "Worse 99.8%" and so on; the
  level suffix is accepted on every directional word.
* No-judgement (blue/orange/blue) polarity: "Higher", "Similar"/"Same", "Lower".
* Quintile comparisons: "Lowest quintile", "2nd lowest quintile",
  "Middle quintile", "2nd highest quintile", "Highest quintile". A quintile is a
  position in a distribution, not a comparison with the benchmark, so these are
  stored as "not compared" with the quintile kept as the published text.
* "Not compared", and the blank cell (no assessment at all).

Recent-trend words are exactly :class:`indicators.models.Trend.Label`, plus
"Could not be calculated" (an older spelling, stored as "Cannot be calculated")
and "Not yet calculated" (treated like a blank cell: no trend).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indicators.models import Area, Assessment, Trend

Result = Assessment.Result


@dataclass(frozen=True)
class Comparison:
    """A comparison word decoded: the result, its level, and the word as given."""

    result: str
    level: float | None
    published_text: str


_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


_LEVEL_SUFFIX = re.compile(
    r"^(?P<word>[a-z ]+?)\s*(?:\(?\s*(?P<level>95|99\.8)\s*%\s*\)?)?$"
)

_DIRECTIONAL = {
    "better": Result.BETTER,
    "worse": Result.WORSE,
    "higher": Result.HIGHER,
    "lower": Result.LOWER,
}
_FIXED = {
    "similar": (Result.SIMILAR, None),
    "same": (Result.SIMILAR, None),
    "not compared": (Result.NOT_COMPARED, None),
    "best": (Result.BETTER, 99.8),
    "worst": (Result.WORSE, 99.8),
    "lowest quintile": (Result.NOT_COMPARED, None),
    "2nd lowest quintile": (Result.NOT_COMPARED, None),
    "middle quintile": (Result.NOT_COMPARED, None),
    "2nd highest quintile": (Result.NOT_COMPARED, None),
    "highest quintile": (Result.NOT_COMPARED, None),
}

COMPARISON_WORDS = (
    "Better",
    "Similar",
    "Same",
    "Worse",
    "Best",
    "Worst",
    "Higher",
    "Lower",
    "Not compared",
    "a quintile such as 'Middle quintile'",
    "any directional word with ' 95%' or ' 99.8%'",
)

MAX_PUBLISHED_COMPARISON = 40  # Assessment.published_text
MAX_PUBLISHED_TREND = 60  # Trend.published_text


class VocabularyError(ValueError):
    """A word that Fingertips does not use in this column."""


@lru_cache(maxsize=4096)
def comparison_parse(text: str) -> Comparison | None:
    """Decode a comparison cell; ``None`` for a blank cell.

    Raises :class:`VocabularyError` for a word Fingertips does not use.
    """
    word = _norm(text)
    if not word:
        return None
    published = " ".join(text.split())
    if word in _FIXED:
        result, level = _FIXED[word]
        return Comparison(result=result, level=level, published_text=published)
    match = _LEVEL_SUFFIX.match(word)
    if match and match["word"] in _DIRECTIONAL:
        level = float(match["level"]) if match["level"] else None
        return Comparison(
            result=_DIRECTIONAL[match["word"]], level=level, published_text=published
        )
    raise VocabularyError(
        f"{text.strip()!r} is not a Fingertips comparison; expected one of "
        + ", ".join(COMPARISON_WORDS)
    )


def comparison_text(*, result: str, level: float | None) -> str:
    """The Fingertips word for a result we computed (inverse of the parser)."""
    label = Result(result).label
    if level == 99.8 and result in _DIRECTIONAL.values():
        return f"{label} 99.8%"
    return label


_TRENDS = {_norm(label): label for label in Trend.Label.values}
_TREND_ALIASES = {
    "could not be calculated": Trend.Label.CANNOT_BE_CALCULATED.value,
    "not yet calculated": None,
}


@lru_cache(maxsize=4096)
def trend_parse(text: str) -> str | None:
    """Decode a "Recent Trend" cell to a :class:`Trend.Label` value, or ``None``.

    Raises :class:`VocabularyError` for a word Fingertips does not use.
    """
    word = _norm(text)
    if not word:
        return None
    if word in _TRENDS:
        return _TRENDS[word]
    if word in _TREND_ALIASES:
        return _TREND_ALIASES[word]
    raise VocabularyError(
        f"{text.strip()!r} is not a Fingertips recent trend; expected one of "
        + ", ".join(repr(label) for label in Trend.Label.values)
        + " or blank"
    )


# Area types, by case-insensitive prefix of Fingertips' "Area Type" cell. The
# labels we write on export ("Local authority", "Comparator group") map back.
_AREA_TYPE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("england", Area.Type.COUNTRY),
    ("country", Area.Type.COUNTRY),
    ("regions", Area.Type.REGION),
    ("region", Area.Type.REGION),
    ("counties & uas", Area.Type.LOCAL_AUTHORITY),
    ("county & ua", Area.Type.LOCAL_AUTHORITY),
    ("districts & uas", Area.Type.LOCAL_AUTHORITY),
    ("district & ua", Area.Type.LOCAL_AUTHORITY),
    ("upper tier local authorit", Area.Type.LOCAL_AUTHORITY),
    ("lower tier local authorit", Area.Type.LOCAL_AUTHORITY),
    ("local authorit", Area.Type.LOCAL_AUTHORITY),
    ("electoral ward", Area.Type.WARD),
    ("ward", Area.Type.WARD),
    ("comparator group", Area.Type.COMPARATOR_GROUP),
)

# What we write in "Area Type" on export, chosen so that it maps straight back.
AREA_TYPE_EXPORT_LABELS = {
    Area.Type.COUNTRY: "England",
    Area.Type.REGION: "Region",
    Area.Type.LOCAL_AUTHORITY: "Local authority",
    Area.Type.WARD: "Ward",
    Area.Type.COMPARATOR_GROUP: "Comparator group",
    Area.Type.OTHER: "Other",
}


@lru_cache(maxsize=4096)
def area_type_map(text: str) -> str:
    """Our :class:`Area.Type` for a Fingertips "Area Type"; ``other`` if unknown."""
    word = _norm(text)
    for prefix, area_type in _AREA_TYPE_PREFIXES:
        if word.startswith(prefix):
            if area_type == Area.Type.COUNTRY and word not in {"england", "country"}:
                continue
            return area_type
    return Area.Type.OTHER


PARENT_REGION = "region"
PARENT_GENERIC = "generic"
PARENT_OTHER = "other"


def parent_label_kind(parent_label: str) -> str:
    """What the parent-comparison header says about the parent area.

    "Region", "Regions (statistical)" -> ``region``; "parent" or nothing (as in
    "Compared to percentiles") -> ``generic`` (decided row by row from the parent
    area's type); any other area type ("Counties & UAs …", "ICB") -> ``other``.
    """
    word = _norm(parent_label)
    if word.startswith("region"):
        return PARENT_REGION
    if word in {"", "parent"}:
        return PARENT_GENERIC
    return PARENT_OTHER
