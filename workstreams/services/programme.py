"""Services for the programme: principles, the place, partners, workstreams and
recommendations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from indicators.models import MarmotPrinciple, Place
from marmot.services import (
    m2m_set,
    record_upsert,
    row_delete,
    row_lock,
    row_version_bump,
    row_version_claim,
)
from workstreams.models import Organisation, Recommendation, Workstream

KEEP = object()  # "leave this field as it is" where None is a real value


@transaction.atomic
def principle_upsert(
    *, number: int, title: str, short_title: str = ""
) -> MarmotPrinciple:
    """Create or update a Marmot principle, keyed by its number."""
    principle, _ = record_upsert(
        model=MarmotPrinciple,
        lookup={"number": number},
        values={"title": title, "short_title": short_title},
    )
    return principle


@transaction.atomic
def place_upsert(
    *,
    name: str,
    service_name: str,
    area,
    country,
    region,
    nearest_neighbours=None,
    description: str = "",
) -> Place:
    """Create or update the deployment's one Place."""
    place, _ = record_upsert(
        model=Place,
        lookup={"singleton": True},
        values={
            "name": name,
            "service_name": service_name,
            "description": description,
            "area": area,
            "country": country,
            "region": region,
            "nearest_neighbours": nearest_neighbours,
        },
    )
    return place


@transaction.atomic
def organisation_upsert(
    *,
    name: str,
    kind: str = Organisation.Kind.OTHER,
    short_name: str = "",
    is_anchor_institution: bool = False,
    website: str = "",
) -> Organisation:
    """Create or update a partner organisation, keyed by its name."""
    organisation, _ = record_upsert(
        model=Organisation,
        lookup={"name": name},
        values={
            "kind": kind,
            "short_name": short_name,
            "is_anchor_institution": is_anchor_institution,
            "website": website,
        },
    )
    return organisation


@transaction.atomic
def workstream_upsert(
    *,
    slug: str,
    name: str,
    purpose: str = "",
    chair_role: str = "",
    display_order: int = 0,
    principles: Iterable[MarmotPrinciple] | None = None,
    chair: object = KEEP,
    deputies: Iterable | None = None,
) -> Workstream:
    """Create or update a workstream, keyed by slug. The chair user is kept
    unless ``chair`` is given; ``principles``/``deputies`` of None are kept."""
    values = {
        "name": name,
        "purpose": purpose,
        "chair_role": chair_role,
        "display_order": display_order,
    }
    if chair is not KEEP:
        values["chair"] = chair
    workstream, _ = record_upsert(
        model=Workstream, lookup={"slug": slug}, values=values
    )
    _workstream_links_set(workstream, principles=principles, deputies=deputies)
    return workstream


def _workstream_links_set(workstream: Workstream, *, principles, deputies) -> None:
    """Set the principles and deputies (None: kept); a change moves the
    workstream's ``row_version``, as a change to its own fields does."""
    changed = m2m_set(workstream.principles, principles)
    changed = m2m_set(workstream.deputies, deputies) or changed
    if changed:
        row_version_bump(instance=workstream)


WORKSTREAM_FIELDS = ("slug", "name", "purpose", "chair", "chair_role", "display_order")


@transaction.atomic
def workstream_update(
    *, workstream: Workstream, expected_row_version: int | None = None, **changes
) -> Workstream:
    """Change some of a workstream's details, its principles or deputies.

    With ``expected_row_version`` a change made meanwhile raises
    StaleRowVersion and nothing is saved (as for every ``*_update`` here)."""
    row_version_claim(model=Workstream, pk=workstream.pk, expected=expected_row_version)
    unknown = set(changes) - {*WORKSTREAM_FIELDS, "principles", "deputies"}
    if unknown:
        raise TypeError(f"Unknown workstream fields: {sorted(unknown)}")
    values = {
        name: changes.get(name, getattr(workstream, name)) for name in WORKSTREAM_FIELDS
    }
    workstream, _ = record_upsert(
        model=Workstream, lookup={"pk": workstream.pk}, values=values
    )
    _workstream_links_set(
        workstream,
        principles=changes.get("principles"),
        deputies=changes.get("deputies"),
    )
    return workstream


@transaction.atomic
def recommendation_upsert(
    *,
    source: str,
    number: int,
    text: str,
    source_title: str = "",
    workstream: Workstream | None = None,
    principle: MarmotPrinciple | None = None,
) -> Recommendation:
    """Create or update a recommendation, keyed by its source and number."""
    recommendation, _ = record_upsert(
        model=Recommendation,
        lookup={"source": source, "number": number},
        values={
            "text": text,
            "source_title": source_title,
            "workstream": workstream,
            "principle": principle,
        },
    )
    return recommendation


@transaction.atomic
def principle_update(
    *, principle: MarmotPrinciple, expected_row_version: int | None = None, **changes
) -> MarmotPrinciple:
    """Change a principle's number, title or short title."""
    row_version_claim(
        model=MarmotPrinciple, pk=principle.pk, expected=expected_row_version
    )
    values = {
        name: changes.get(name, getattr(principle, name))
        for name in ("number", "title", "short_title")
    }
    principle, _ = record_upsert(
        model=MarmotPrinciple, lookup={"pk": principle.pk}, values=values
    )
    return principle


RECOMMENDATION_FIELDS = (
    "source",
    "number",
    "text",
    "source_title",
    "workstream",
    "principle",
)


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    expected_row_version: int | None = None,
    **changes,
) -> Recommendation:
    """Change some of a recommendation's details."""
    row_version_claim(
        model=Recommendation, pk=recommendation.pk, expected=expected_row_version
    )
    unknown = set(changes) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown recommendation fields: {sorted(unknown)}")
    values = {
        name: changes.get(name, getattr(recommendation, name))
        for name in RECOMMENDATION_FIELDS
    }
    recommendation, _ = record_upsert(
        model=Recommendation, lookup={"pk": recommendation.pk}, values=values
    )
    return recommendation


ORGANISATION_FIELDS = ("name", "kind", "short_name", "is_anchor_institution", "website")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, expected_row_version: int | None = None, **changes
) -> Organisation:
    """Change some of a partner organisation's details."""
    row_version_claim(
        model=Organisation, pk=organisation.pk, expected=expected_row_version
    )
    values = {
        name: changes.get(name, getattr(organisation, name))
        for name in ORGANISATION_FIELDS
    }
    organisation, _ = record_upsert(
        model=Organisation, lookup={"pk": organisation.pk}, values=values
    )
    return organisation


# --- deletes: officers, and never at the cost of data ------------------------


@transaction.atomic
def principle_delete(*, principle: MarmotPrinciple) -> None:
    """Delete a principle nothing is classified under.

    Refused while indicators, recommendations, workstreams, actions or partner
    submissions name it: an indicator would block the delete, the others
    would quietly lose their principle.
    """
    principle = row_lock(principle)
    row_delete(
        instance=principle,
        name=f"Principle {principle.number}",
        uses={
            ("indicator", "indicators"): principle.indicators.count(),
            ("recommendation", "recommendations"): principle.recommendations.count(),
            ("workstream", "workstreams"): principle.workstreams.count(),
            ("action", "actions"): principle.actions.count(),
            ("partner submission", "partner submissions"): (
                principle.submissions.count()
            ),
        },
        advice="Move them to another principle first.",
    )


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Delete a partner organisation with no part in the programme.

    Refused while it leads actions, has made submissions or has partner
    accounts (deleting it would delete their membership and so their access).
    """
    organisation = row_lock(organisation)
    row_delete(
        instance=organisation,
        name=f'"{organisation.name}"',
        uses={
            ("action it leads", "actions it leads"): organisation.led_actions.count(),
            ("submission", "submissions"): organisation.submissions.count(),
            ("partner account", "partner accounts"): organisation.memberships.count(),
        },
        advice="Give its actions another lead organisation and move its accounts "
        "first. An organisation that has made submissions stays: they are the "
        "partnership's record.",
    )


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation) -> None:
    """Delete a recommendation entered by mistake: refused while actions
    answer it or partners' submissions say they support it."""
    recommendation = row_lock(recommendation)
    row_delete(
        instance=recommendation,
        name=f"{recommendation.get_source_display()} recommendation "
        f"{recommendation.number}",
        uses={
            ("action answering it", "actions answering it"): (
                recommendation.actions.count()
            ),
            ("partner submission supporting it", "partner submissions supporting it"): (
                recommendation.submissions.count()
            ),
        },
        advice="Unlink them first.",
    )
