"""Services for the programme: principles, the place, partners, workstreams and
recommendations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from workstreams.models import (
    MarmotPrinciple,
    Organisation,
    Place,
    Recommendation,
    Workstream,
)
from workstreams.services.common import m2m_set, record_upsert


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
) -> Workstream:
    """Create or update a workstream, keyed by slug; the chair user is kept."""
    workstream, _ = record_upsert(
        model=Workstream,
        lookup={"slug": slug},
        values={
            "name": name,
            "purpose": purpose,
            "chair_role": chair_role,
            "display_order": display_order,
        },
    )
    m2m_set(workstream.principles, principles)
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
def principle_update(*, principle: MarmotPrinciple, **changes) -> MarmotPrinciple:
    """Change a principle's number, title or short title."""
    values = {
        name: changes.get(name, getattr(principle, name))
        for name in ("number", "title", "short_title")
    }
    principle, _ = record_upsert(
        model=MarmotPrinciple, lookup={"pk": principle.pk}, values=values
    )
    return principle


ORGANISATION_FIELDS = ("name", "kind", "short_name", "is_anchor_institution", "website")


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes) -> Organisation:
    """Change some of a partner organisation's details."""
    values = {
        name: changes.get(name, getattr(organisation, name))
        for name in ORGANISATION_FIELDS
    }
    organisation, _ = record_upsert(
        model=Organisation, lookup={"pk": organisation.pk}, values=values
    )
    return organisation
