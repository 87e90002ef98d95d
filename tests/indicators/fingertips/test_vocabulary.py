"""Fingertips' comparison, trend and area-type words."""

import pytest

from indicators.fingertips.vocabulary import (
    Comparison,
    VocabularyError,
    area_type_map,
    comparison_parse,
    comparison_text,
    parent_label_kind,
    trend_parse,
)


@pytest.mark.parametrize(
    ("text", "result", "level"),
    [
        ("Better", "better", None),
        ("better", "better", None),
        ("  WORSE ", "worse", None),
        ("Similar", "similar", None),
        ("Same", "similar", None),
        ("Best", "better", 99.8),
        ("Worst", "worse", 99.8),
        ("Better 95%", "better", 95.0),
        ("Worse 99.8%", "worse", 99.8),
        ("worse (99.8%)", "worse", 99.8),
        ("Higher", "higher", None),
        ("Lower 95%", "lower", 95.0),
        ("Not compared", "not_compared", None),
        ("Middle quintile", "not_compared", None),
        ("2nd lowest quintile", "not_compared", None),
    ],
)
def test_comparison_words(text, result, level):
    assert comparison_parse(text) == Comparison(result, level, text.strip())


@pytest.mark.parametrize("text", ["", "   "])
def test_a_blank_comparison_is_none(text):
    assert comparison_parse(text) is None


@pytest.mark.parametrize("text", ["Green", "Better 90%", "Significantly better", "R"])
def test_unknown_comparison_words_are_errors(text):
    with pytest.raises(VocabularyError, match="is not a Fingertips comparison"):
        comparison_parse(text)


@pytest.mark.parametrize(
    ("result", "level", "text"),
    [
        ("better", None, "Better"),
        ("better", 95.0, "Better"),
        ("worse", 99.8, "Worse 99.8%"),
        ("similar", 99.8, "Similar"),
        ("not_compared", None, "Not compared"),
        ("lower", 99.8, "Lower 99.8%"),
    ],
)
def test_comparison_text_is_read_back_as_the_same_result(result, level, text):
    assert comparison_text(result=result, level=level) == text
    assert comparison_parse(text).result == result


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Increasing and getting worse", "Increasing and getting worse"),
        ("decreasing and getting better", "Decreasing and getting better"),
        ("No significant change", "No significant change"),
        ("Cannot be calculated", "Cannot be calculated"),
        ("Could not be calculated", "Cannot be calculated"),
        ("Increasing", "Increasing"),
        ("Decreasing", "Decreasing"),
        ("Not yet calculated", None),
        ("", None),
    ],
)
def test_trend_words(text, label):
    assert trend_parse(text) == label


def test_unknown_trend_words_are_errors():
    with pytest.raises(VocabularyError, match="'Improving' is not a Fingertips"):
        trend_parse("Improving")


@pytest.mark.parametrize(
    ("text", "area_type"),
    [
        ("England", "country"),
        ("Region", "region"),
        ("Regions (statistical)", "region"),
        ("Counties & UAs (from Apr 2023)", "local_authority"),
        ("Districts & UAs (from Apr 2021)", "local_authority"),
        ("County & UA", "local_authority"),
        ("Upper tier local authorities (4/23)", "local_authority"),
        ("Lower tier local authorities (4/21)", "local_authority"),
        ("Local authority", "local_authority"),
        ("Ward", "ward"),
        ("Electoral wards (2022)", "ward"),
        ("ICB", "other"),
        ("England and Wales", "other"),
        ("", "other"),
    ],
)
def test_area_types(text, area_type):
    assert area_type_map(text) == area_type


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Region", "region"),
        ("Regions (statistical)", "region"),
        ("parent", "generic"),
        ("", "generic"),
        ("Counties & UAs (from Apr 2023)", "other"),
    ],
)
def test_parent_labels(label, kind):
    assert parent_label_kind(label) == kind
