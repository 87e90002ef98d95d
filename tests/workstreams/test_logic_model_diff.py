"""What changed between two logic model versions: a pure function, no database."""

from workstreams.logic_model_diff import (
    ADDED,
    CHANGED,
    REMOVED,
    ItemSnapshot,
    ModelSnapshot,
    logic_model_diff,
    section_diff,
    similarity,
)


def items(*texts):
    return [ItemSnapshot(text) for text in texts]


def model(version, **kwargs):
    sections = {
        k: v
        for k, v in kwargs.items()
        if k in ("input", "activity", "output", "outcome", "assumption")
    }
    texts = {k: v for k, v in kwargs.items() if k not in sections}
    return ModelSnapshot(version=version, items=sections, **texts)


def kinds(changes):
    return [(c.change, (c.before or c.after).text) for c in changes]


def test_the_same_items_are_unchanged():
    changes, unchanged = section_diff(items("A", "B"), items("A", "B"))
    assert changes == [] and unchanged == 2


def test_an_item_added_in_the_middle_is_only_an_addition():
    changes, unchanged = section_diff(
        items("Retrofit homes", "Enforce standards"),
        items("Retrofit homes", "Advice service for tenants", "Enforce standards"),
    )
    assert kinds(changes) == [(ADDED, "Advice service for tenants")]
    assert unchanged == 2


def test_an_item_removed_is_a_removal():
    changes, unchanged = section_diff(
        items("A one", "B two", "C three"), items("A one", "C three")
    )
    assert kinds(changes) == [(REMOVED, "B two")]
    assert unchanged == 2


def test_a_reworded_item_is_changed_with_before_and_after():
    changes, _ = section_diff(items("Retrofit homes"), items("Retrofit council homes"))
    assert len(changes) == 1
    change = changes[0]
    assert change.change == CHANGED and change.label == "Changed"
    assert change.before.text == "Retrofit homes"
    assert change.after.text == "Retrofit council homes"
    assert change.text_changed


def test_an_item_replaced_by_something_different_is_removed_and_added():
    changes, _ = section_diff(
        items("Retrofit homes"), items("Employment support for care leavers")
    )
    assert kinds(changes) == [
        (REMOVED, "Retrofit homes"),
        (ADDED, "Employment support for care leavers"),
    ]


def test_uneven_replacements_add_or_remove_the_rest():
    changes, _ = section_diff(
        items("Retrofit homes", "X"), items("Retrofit council homes", "Y", "Z")
    )
    assert [c.change for c in changes].count(CHANGED) == 1
    assert (ADDED, "Z") in kinds(changes)


def test_same_text_with_different_measures_is_changed():
    before = [ItemSnapshot("Fewer cold homes", ("Fuel poverty",))]
    after = [ItemSnapshot("Fewer cold homes", ("Fuel poverty", "Excess winter deaths"))]
    changes, unchanged = section_diff(before, after)
    assert unchanged == 0
    assert changes[0].change == CHANGED and not changes[0].text_changed
    assert changes[0].indicators_added == ["Excess winter deaths"]
    assert changes[0].indicators_removed == []


def test_whole_models_compare_older_to_newer_whichever_order_given():
    old = model(
        1,
        hypothesis="Old idea",
        context="Same",
        input=items("Money"),
        activity=items("Retrofit homes"),
    )
    new = model(
        3,
        hypothesis="New idea",
        context="Same",
        barriers="Funding",
        activity=items("Retrofit homes", "Advice service"),
        outcome=items("Fewer cold homes"),
    )
    for diff in (logic_model_diff(old, new), logic_model_diff(new, old)):
        assert (diff.before_version, diff.after_version) == (1, 3)
        assert diff.has_changes
        texts = {t.name: t for t in diff.texts}
        assert set(texts) == {"hypothesis", "barriers"}
        assert texts["hypothesis"].change == CHANGED
        assert (
            texts["barriers"].change == ADDED and texts["barriers"].label_tag == "Added"
        )
        by_kind = {s.kind: s for s in diff.sections}
        assert kinds(by_kind["input"].changes) == [(REMOVED, "Money")]
        assert kinds(by_kind["activity"].changes) == [(ADDED, "Advice service")]
        assert by_kind["activity"].unchanged == 1
        assert by_kind["outcome"].count(ADDED) == 1
        assert [s.kind for s in diff.changed_sections] == [
            "input",
            "activity",
            "outcome",
        ]


def test_identical_models_have_no_changes():
    one = model(1, hypothesis="H", activity=items("A"))
    two = model(2, hypothesis="H ", activity=items("A"))
    diff = logic_model_diff(one, two)
    assert not diff.has_changes and diff.changed_sections == []


def test_similarity_ignores_case_and_spacing():
    assert similarity("Retrofit  Homes", "retrofit homes") == 1.0
    assert similarity("abc", "xyz") == 0.0
