"""Strict query parameters for the API's lists (ADR 0041).

django-filter is lenient where an integrator needs to be told: a boolean it
cannot read (``?overdue=maybe``) becomes "no filter", a date in any of the
locale's forms (``?due_before=31/01/2025``) is read as one, and a misspelt
parameter (``?workstrem=``) is ignored. Each gave a full, unfiltered list that
looked like an answer. `StrictFilterBackend` checks the query before the
filterset runs, on every endpoint that filters:

- a boolean filter takes ``true`` or ``false`` (any letter case);
- a date filter takes ``YYYY-MM-DD``;
- a choice filter takes one of its choices (named in the message);
- ``updated_since`` (on every list whose rows have ``updated_at``, or a
  filterset's ``updated_since_field``) takes an ISO 8601 date or date and time;
- on a list, a parameter that is none of the endpoint's (its filters,
  ``ordering``, ``page``, ``page_size``, ``format``) is a 400 naming them.

An empty value (``?status=``) is the parameter left out, as an HTML form (the
browsable API's filter form) sends every field. Each refusal is a 400 in the
error envelope, the parameter's name as the field.
"""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import get_manager, get_view_model
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.settings import api_settings

from marmot.principals import principal_for

UPDATED_SINCE = "updated_since"
TRUE, FALSE = "true", "false"
BOOLEAN_WORDING = "`true` or `false`"
DATE_WORDING = "A date as YYYY-MM-DD (e.g. 2025-01-31)."
UPDATED_SINCE_WORDING = (
    "Only rows changed at or after this moment (for incremental sync): an ISO "
    "8601 date (`2025-01-31`, from the start of that day) or date and time "
    "(`2025-01-31T09:30:00Z`; without an offset, UK time). Anything else is a "
    "400."
)
MINE = "mine"
WORKSTREAM_WORDING = (
    "A workstream's slug, or `mine`: the workstreams the signed-in user chairs "
    "or deputises (none: an empty list; anonymous: a 400)."
)


def boolean_parse(text: str) -> bool:
    word = text.strip().lower()
    if word not in (TRUE, FALSE):
        raise ValueError(f"Give {BOOLEAN_WORDING}.")
    return word == TRUE


def date_parse(text: str) -> dt.date:
    text = text.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("Give a date as YYYY-MM-DD (e.g. 2025-01-31).") from None


def moment_parse(text: str) -> dt.datetime:
    """An ISO 8601 date (its first moment) or date and time; naive ones in the
    site's time zone."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.min)
        elif len(text) > 10 and text[10] in "Tt ":
            moment = dt.datetime.fromisoformat(text)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(
            "Give an ISO 8601 date (2025-01-31) or date and time "
            "(2025-01-31T09:30:00Z)."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _choice_values(filter_) -> list[str] | None:
    choices = filter_.extra.get("choices")
    if choices is None:
        return None
    if callable(choices):
        choices = choices()
    return [str(value) for value, _label in choices if value not in ("", None)]


def value_problem(filter_, text: str) -> str | None:
    """Why ``text`` is not a value ``filter_`` accepts, or None."""
    try:
        if isinstance(filter_, django_filters.BooleanFilter):
            boolean_parse(text)
        elif isinstance(filter_, django_filters.IsoDateTimeFilter):
            moment_parse(text)
        elif isinstance(filter_, django_filters.DateFilter):
            date_parse(text)
    except ValueError as error:
        return str(error)
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return None  # the form checks the row exists
    if isinstance(filter_, django_filters.ChoiceFilter):
        values = _choice_values(filter_)
        if values is not None and text not in values:
            return f"{text!r} is not a choice: give one of {', '.join(values)}."
    return None


def updated_since_field(filterset_class, model) -> str | None:
    """The field ``updated_since`` compares, or None where the rows keep no
    time of change."""
    declared = getattr(filterset_class, "updated_since_field", None)
    if declared:
        return declared
    names = {f.name for f in model._meta.get_fields()}
    return "updated_at" if "updated_at" in names else None


class WorkstreamSlugFilter(django_filters.CharFilter):
    """``?workstream=``: a workstream's slug, or ``mine``. ``field_name`` is
    the path to the workstream (``workplan__workstream``). ``mine``: the
    workstreams the request's user chairs or deputises (their `Principal`);
    for nobody (no request, as on a page, or anonymous) nothing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", WORKSTREAM_WORDING)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        lookup = workstream_lookup(value, getattr(self.parent, "request", None))
        condition = Q(**{f"{self.field_name}__{k}": v for k, v in lookup.items()})
        return (
            qs.filter(condition).distinct() if self.distinct else qs.filter(condition)
        )


def workstream_lookup(value: str, request) -> dict:
    """Lookups on a workstream for ``?workstream=value``."""
    if value.strip().lower() == MINE:
        user = getattr(request, "user", None)
        return {"pk__in": sorted(principal_for(user).chaired_workstream_ids)}
    return {"slug": value}


def accepted_parameters(view, filterset_class, model) -> list[str]:
    """Every query parameter a list ``view`` reads."""
    names = list(filterset_class.base_filters) if filterset_class else []
    if UPDATED_SINCE not in names and updated_since_field(filterset_class, model):
        names.append(UPDATED_SINCE)
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, OrderingFilter) and getattr(
            view, "ordering_fields", None
        ):
            names.append(backend.ordering_param)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names += [
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        ]
    names.append(api_settings.URL_FORMAT_OVERRIDE)
    names += getattr(view, "extra_query_parameters", ())
    return list(dict.fromkeys(n for n in names if n))


def unknown_parameters(params, accepted: list[str]) -> dict[str, list[str]]:
    """An error per query parameter not in ``accepted`` (a typo is a 400, never
    a filter silently left out)."""
    return {
        name: [f"Unknown parameter {name!r}: this list accepts {', '.join(accepted)}."]
        for name in params
        if name not in accepted
    }


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing what it would silently ignore."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        params = request.query_params
        errors: dict[str, list[str]] = {}
        if getattr(view, "action", None) == "list":
            accepted = accepted_parameters(view, filterset_class, queryset.model)
            errors.update(unknown_parameters(params, accepted))
        filters = filterset_class.base_filters if filterset_class else {}
        for name, filter_ in filters.items():
            text = params.get(name)
            if text in (None, ""):
                continue
            if problem := value_problem(filter_, text):
                errors[name] = [problem]
            elif (
                name == "workstream"
                and text.strip().lower() == MINE
                and not request.user.is_authenticated
            ):
                errors[name] = [
                    "workstream=mine needs a signed-in user (send your "
                    "token); name a workstream by its slug otherwise."
                ]
        since_field = None
        if UPDATED_SINCE not in filters:
            since_field = updated_since_field(filterset_class, queryset.model)
        since = None
        if since_field and params.get(UPDATED_SINCE) not in (None, ""):
            try:
                since = moment_parse(params[UPDATED_SINCE])
            except ValueError as error:
                errors[UPDATED_SINCE] = [str(error)]
        if errors:
            raise ValidationError(errors)
        queryset = super().filter_queryset(request, queryset, view)
        if since is not None:
            queryset = queryset.filter(**{f"{since_field}__gte": since})
        return queryset


class StrictFilterExtension(DjangoFilterExtension):
    """The schema of `StrictFilterBackend`: django-filter's parameters, with
    the accepted forms in words, and ``updated_since`` where it applies."""

    target_class = "marmot.api.query.StrictFilterBackend"
    match_subclasses = True
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(
            auto_schema, *args, **kwargs
        )
        for parameter in parameters:
            schema = parameter.get("schema", {})
            words = None
            if schema.get("type") == "boolean":
                words = f"Only {BOOLEAN_WORDING}; anything else is a 400."
            elif schema.get("format") == "date":
                words = f"{DATE_WORDING} Anything else is a 400."
            elif "enum" in schema:
                words = "One of the values listed; anything else is a 400."
            if words and words not in parameter.get("description", ""):
                text = parameter.get("description") or ""
                parameter["description"] = f"{text}\n\n{words}" if text else words
        model = get_view_model(auto_schema.view)
        if model is None:
            return parameters
        filterset_class = self.target.get_filterset_class(
            auto_schema.view, get_manager(model).none()
        )
        names = {p["name"] for p in parameters}
        if UPDATED_SINCE not in names and updated_since_field(filterset_class, model):
            parameters.append(
                {
                    "name": UPDATED_SINCE,
                    "required": False,
                    "in": "query",
                    "description": UPDATED_SINCE_WORDING,
                    "schema": {"type": "string"},
                }
            )
        return parameters
