"""The programme page (`/programme/`): the programme as a whole, beside its
workstreams — its timeline, the achievements of each system programme, its
next steps and its evaluation (aims, opportunities, challenges and the
recommendations it made). Public: anyone may read it. Five queries whatever
the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from workstreams import rules
from workstreams.models import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    Recommendation,
    SystemProgramme,
)


@dataclass
class ProgrammePage:
    milestones: list[ProgrammeMilestone]
    programmes: list[SystemProgramme]
    next_steps: list[ProgrammeAction]
    aims: list[EvaluationFinding] = field(default_factory=list)
    opportunities: list[EvaluationFinding] = field(default_factory=list)
    challenges: list[EvaluationFinding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    shows_people: bool = False

    @property
    def has_evaluation(self) -> bool:
        return bool(
            self.aims or self.opportunities or self.challenges or self.recommendations
        )

    @property
    def deliverable_count(self) -> int:
        return sum(len(p.deliverable_list) for p in self.programmes)


def programme_page(*, user) -> ProgrammePage:
    """Everything on the programme page, as ``user`` may see it (lead
    contacts, free text that may name a person, to signed-in users only)."""
    deliverables = ProgrammeAction.objects.filter(
        kind=ProgrammeAction.Kind.DELIVERABLE
    ).select_related("lead_organisation")
    programmes = list(
        SystemProgramme.objects.prefetch_related(
            Prefetch(
                "deliverables",
                queryset=deliverables.order_by("position", "id"),
                to_attr="deliverable_list",
            )
        )
    )
    next_steps = list(
        ProgrammeAction.objects.filter(kind=ProgrammeAction.Kind.NEXT_STEP)
        .select_related("lead_organisation")
        .order_by("position", "id")
    )
    page = ProgrammePage(
        milestones=list(ProgrammeMilestone.objects.all()),
        programmes=programmes,
        next_steps=next_steps,
        shows_people=rules.shows_people(user),
    )
    kinds = {
        EvaluationFinding.Kind.AIM: page.aims,
        EvaluationFinding.Kind.OPPORTUNITY: page.opportunities,
        EvaluationFinding.Kind.CHALLENGE: page.challenges,
    }
    for finding in EvaluationFinding.objects.order_by("kind", "position", "id"):
        kinds[finding.kind].append(finding)
    page.recommendations = list(
        Recommendation.objects.filter(source=Recommendation.Source.EVALUATION).order_by(
            "number"
        )
    )
    return page
