"""The recommendations coverage audit (`/recommendations/`): every
recommendation, grouped by source, with the actions answering it that the
visitor may see. A fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters as filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict

from marmot.site.forms import GovukForm
from workstreams.filters import RecommendationFilter, answering_actions
from workstreams.models import Action, Recommendation

HAS_ACTIONS_CHOICES = [
    ("", "All recommendations"),
    ("true", "With at least one action"),
    ("false", "With no action"),
]


def _answering_actions(user) -> QuerySet[Action]:
    return answering_actions(user)


class CoverageFilter(RecommendationFilter):
    """The API's recommendation filter, with "has actions" counting only the
    actions the visitor may see (so the page never says "answered" while
    listing nothing)."""

    has_actions = filters.BooleanFilter(
        label="Show",
        method="filter_has_actions",
        widget=forms.Select(choices=HAS_ACTIONS_CHOICES),
    )
    source = workstream = principle = None

    class Meta(RecommendationFilter.Meta):
        fields = ["has_actions"]
        form = GovukForm

    @property
    def active(self) -> bool:
        return self.form.cleaned_data.get("has_actions") is not None


@dataclass
class SourceGroup:
    source: str
    label: str
    titles: list[str]
    recommendations: list[Recommendation] = field(default_factory=list)


@dataclass
class RecommendationsPage:
    filterset: CoverageFilter
    groups: list[SourceGroup]
    total: int
    without_action: int
    shown: int


def _groups(recommendations: list[Recommendation]) -> list[SourceGroup]:
    labels = dict(Recommendation.Source.choices)
    groups: dict[str, SourceGroup] = {}
    for recommendation in recommendations:
        group = groups.setdefault(
            recommendation.source,
            SourceGroup(
                recommendation.source, labels.get(recommendation.source, ""), []
            ),
        )
        title = recommendation.source_title
        if title and title not in group.titles:
            group.titles.append(title)
        group.recommendations.append(recommendation)
    order = list(labels)
    return sorted(groups.values(), key=lambda g: order.index(g.source))


def recommendations_page(*, request, params: QueryDict) -> RecommendationsPage:
    """Recommendations filtered by ``params`` (has_actions=true/false), each
    with ``visible_actions`` (the answering actions ``request.user`` may see,
    with their workstream), and the coverage counts over all recommendations."""
    user = request.user
    actions = (
        _answering_actions(user)
        .select_related("workplan__workstream")
        .order_by("workplan__workstream__display_order", "title", "pk")
    )
    queryset = (
        Recommendation.objects.select_related("workstream", "principle")
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="answers"))
        .order_by("source", "number")
    )
    filterset = CoverageFilter(params, queryset=queryset, request=request)
    recommendations = list(filterset.qs)
    answered = _answering_actions(user).filter(recommendations=OuterRef("pk"))
    coverage = Recommendation.objects.annotate(answered=Exists(answered)).aggregate(
        total=Count("pk"), without_action=Count("pk", filter=Q(answered=False))
    )
    return RecommendationsPage(
        filterset=filterset,
        groups=_groups(recommendations),
        total=coverage["total"],
        without_action=coverage["without_action"],
        shown=len(recommendations),
    )
