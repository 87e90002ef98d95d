"""Viewset for versioned logic models and their items."""

from drf_spectacular.utils import extend_schema_view

from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    delete_schema,
)
from workstreams import filters, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s
from workstreams.services.logic_models import logic_model_create


def _item_data(items):
    return [
        services.LogicModelItemData(
            kind=item["kind"], text=item["text"], indicators=item.get("indicators", ())
        )
        for item in items
    ]


@extend_schema_view(
    destroy=delete_schema(
        "Delete a version made by mistake, with its items: refused while "
        "actions deliver its activities or submissions say they support one."
    )
)
class LogicModelViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Versioned logic models with their items: for outputs and outcomes the
    linked indicators' latest values and assessments, for activities the
    status of the actions that deliver them."""

    serializer_class = s.LogicModelSerializer
    permission_classes = [permissions.WorkstreamWorkPermission]
    filterset_class = filters.LogicModelFilter
    ordering_fields = ["version", "dated", "updated_at"]

    def get_queryset(self):
        return selectors.logic_model_list(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = list(args[0]) if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["indicator_latest"] = selectors.indicator_latest_by_id(
                user=self.request.user, logic_models=rows
            )
        return super().get_serializer(*args, **kwargs)

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        workstream = data.pop("workstream")
        permissions.check_can_edit_workstream(self.request.user, workstream.pk)
        data["items"] = _item_data(data.pop("items", []))
        return logic_model_create(workstream=workstream, **data)

    def perform_checked_update(self, serializer, expected):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        data.pop("workstream", None)
        data.pop("version", None)
        if "items" in data:
            items = _item_data(data.pop("items"))
        else:
            items = [
                services.LogicModelItemData(
                    kind=i.kind, text=i.text, indicators=list(i.indicators.all())
                )
                for i in sorted(instance.items.all(), key=lambda i: i.position)
            ]
        fields = ("status", "dated", "hypothesis", "context", "barriers")
        values = {name: data.get(name, getattr(instance, name)) for name in fields}
        return services.logic_model_upsert(
            workstream=instance.workstream,
            version=instance.version,
            items=items,
            expected_row_version=expected,
            **values,
        )

    def perform_destroy(self, instance):
        services.logic_model_delete(logic_model=instance)
