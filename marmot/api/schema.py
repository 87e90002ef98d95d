"""The OpenAPI schema class: every operation also documents the error answers
it can give, all in the one envelope ``marmot.api.errors`` writes.

drf-spectacular documents only the success code; a client (or a fuzzer) then
meets 400/401/403/404/429 answers the schema never mentions. Codes a view
documents itself (``extend_schema(responses=...)``) are left as they are.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from marmot.api.viewsets import CheckedUpdateMixin

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


class MarmotAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(COMMON_ERRORS)
        if self.method in ("PUT", "PATCH") and isinstance(
            self.view, CheckedUpdateMixin
        ):
            errors.update(CHECKED_UPDATE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR, description=description),
                    code,
                    direction=direction,
                )
        return responses
