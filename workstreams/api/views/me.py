"""``GET /api/v1/me/``: the signed-in user, their roles, the workstreams they
chair or deputise and their organisation, for a client that must know whose
token it holds before it asks for anything else (issue 18).

The same number of queries whoever asks: a chair of many workstreams costs
no more than one of none.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marmot.api.schema import ERROR
from marmot.api.throttles import API_THROTTLES
from workstreams.api.serializers.me import MeSerializer
from workstreams.selectors import me_record


class MeView(APIView):
    """The signed-in user's own record."""

    permission_classes = [IsAuthenticated]
    throttle_classes = API_THROTTLES

    @extend_schema(
        summary="Who am I",
        description="The user whose token (or session) sent the request: their "
        "id, username, name and email, their roles, the workstreams they chair "
        "or deputise (each with `role`), and a partner's organisation. Only "
        "ever your own record.",
        responses={
            200: MeSerializer,
            401: OpenApiResponse(ERROR, description="Not signed in."),
        },
    )
    def get(self, request):
        return Response(MeSerializer(me_record(request.user)).data)
