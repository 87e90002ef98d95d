"""The OpenAPI schema class: every operation also documents the error answers
it can give, all in the one envelope ``marmot.api.errors`` writes.

drf-spectacular documents only the success code; a client (or a fuzzer) then
meets 400/401/403/404/429 answers the schema never mentions. Codes a view
documents itself (``extend_schema(responses=...)``) are left as they are.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request

from marmot.api.viewsets import CheckedUpdateMixin, ETagRetrieveMixin

ERROR = inline_serializer(
    name="ApiError",
    fields={
        "error": inline_serializer(
            name="ApiErrorDetail",
            fields={
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
            },
        )
    },
)

COMMON_ERRORS = {
    "400": "The request has errors (a body field or a query filter); "
    "`error.fields` says which.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record, or not one you may see.",
    "429": "Too many requests, or (signing in) too many failed sign-ins for "
    "that username from this address: wait `Retry-After` seconds.",
}
CHECKED_UPDATE_ERRORS = {
    "412": "The record changed since you read it.",
    "428": "No If-Match header and no `row_version`.",
}


ETAG = (
    "The record's version: send it back in `If-Match` to change it, or in "
    "`If-None-Match` to read it only if it changed (ADR 40)."
)
IF_MATCH = (
    "The record's ETag, from your last GET (or any answer that carried it). "
    "Stale: 412 and nothing is written."
)
IF_NONE_MATCH = (
    "An ETag you hold: if the record still has it, the answer is 304 with no "
    "body. `W/` tags compare weakly; `*` matches any."
)
STALE = "The record changed since you read it (If-Match is stale): nothing written."
MISSING = "No If-Match header (and no `row_version`): GET the record first."
NOT_MODIFIED = "Unchanged since the ETag in `If-None-Match`: no body."
LINK = (
    "RFC 8288 links to the `first`, `prev`, `next` and `last` pages, as far as "
    "they exist."
)
LOCATION = "The address of the record just created."


class MarmotAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(COMMON_ERRORS)
        if self.method in ("PUT", "PATCH") and isinstance(
            self.view, CheckedUpdateMixin
        ):
            errors.update(CHECKED_UPDATE_ERRORS)
        errors.update(self._version_errors())
        if self._versioning() == "read" and "304" not in responses:
            responses["304"] = self._get_response_for_code(
                OpenApiResponse(description=NOT_MODIFIED), "304", direction=direction
            )
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(
                    OpenApiResponse(ERROR, description=description),
                    code,
                    direction=direction,
                )
                # Errors are JSON whatever the view renders (a CSV list's too).
                content = response.get("content", {})
                for media_type in [m for m in content if m != "application/json"]:
                    del content[media_type]
                responses[code] = response
        return responses

    def get_auth(self):
        """The security schemes, plus ``{}`` (no credentials needed) wherever
        every permission class of the view lets an anonymous caller through
        for this method: the one rule that tells integrators what anonymous
        readers get (ADR 0039)."""
        auths = super().get_auth()
        if {} not in auths and self._lets_anonymous_through():
            auths.append({})
        return auths

    def _lets_anonymous_through(self) -> bool:
        # A copy of the view with its handlers bound as as_view() binds them
        # (the schema generator does not), asked with an anonymous request.
        view = copy.copy(self.view)
        for method, action in (getattr(view, "action_map", None) or {}).items():
            setattr(view, method, getattr(view, action))
        request = Request(RequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        return all(p.has_permission(request, view) for p in view.get_permissions())

    # --- versions: If-Match, If-None-Match, ETag (ADR 40), Link, Location ----

    def _versioning(self) -> str | None:
        """What this operation does with a versioned record: "read" (detail
        GET), "update" (PUT/PATCH), "delete", "create", "action" (a detail POST
        answering the record), or None."""
        view = self.view
        if not isinstance(view, ETagRetrieveMixin):
            return None
        action = getattr(view, "action", None)
        kinds = {
            "retrieve": "read",
            "update": "update",
            "partial_update": "update",
            "destroy": "delete",
            "create": "create",
        }
        if action in kinds:
            return kinds[action]
        handler = getattr(view, action or "", None)
        if (
            self.method == "POST"
            and getattr(handler, "detail", False)
            and self._answers_the_record()
        ):
            return "action"
        return None

    def _answers_the_record(self) -> bool:
        """Whether this action's success answer is the record itself."""
        answer = self.get_response_serializers()
        if isinstance(answer, dict):
            answer = next(
                (
                    value
                    for key, value in answer.items()
                    if str(key[0] if isinstance(key, tuple) else key).startswith("2")
                ),
                None,
            )
        if isinstance(answer, OpenApiResponse):
            answer = answer.response
        answered = answer if isinstance(answer, type) else type(answer)
        action, self.view.action = self.view.action, "retrieve"
        try:
            record = self.view.get_serializer_class()
        finally:
            self.view.action = action
        return answered is record

    def _if_match_required(self) -> bool:
        kind = self._versioning()
        return kind == "update" or (
            kind == "action" and self.view.if_match_needed(self.view.action)
        )

    def _version_errors(self) -> dict:
        if self._versioning() in ("update", "delete", "action"):
            errors = {"412": STALE}
            if self._if_match_required():
                errors["428"] = MISSING
            return errors
        return {}

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        kind = self._versioning()
        if kind in ("update", "delete", "action"):
            required = self._if_match_required()
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=required,
                    description=IF_MATCH
                    + ("" if required else " Optional here: without it, no check."),
                )
            )
        elif kind == "read":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=IF_NONE_MATCH,
                )
            )
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        for name, description in self._answer_headers(str(status_code)):
            headers.setdefault(
                name,
                build_parameter_type(
                    name=name,
                    schema=build_basic_type(OpenApiTypes.STR),
                    location=OpenApiParameter.HEADER,
                    description=description,
                ),
            )
        for header in headers.values():
            header.pop("in", None)
            header.pop("name", None)
        return headers

    def _answer_headers(self, code: str) -> list[tuple[str, str]]:
        kind = self._versioning()
        answers = []
        if kind == "read" and code in ("200", "304"):
            answers.append(("ETag", ETAG))
        if kind in ("update", "action") and code in ("200", "201"):
            answers.append(("ETag", ETAG))
        if kind == "create" and code in ("200", "201"):
            answers.append(("ETag", ETAG))
        if code == "201" and getattr(self.view, "action", None) == "create":
            answers.append(("Location", LOCATION))
        if (
            code == "200"
            and self.method == "GET"
            and self._is_list_view()
            and self._get_paginator() is not None
            and not getattr(self.view, "csv_only", False)  # one CSV, never paged
        ):
            answers.append(("Link", LINK))
        return answers
