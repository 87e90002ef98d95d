"""Admin for partners' comments on workplans in consultation: officers read and
search them (with their history); comments are written only through the site
(`services.workplan_comment_create`, which checks the workplan is in
consultation and tells the chairs), so here they cannot be added or edited.
An officer may delete one (e.g. posted in error), and history keeps a record."""

from django.contrib import admin

from marmot.admin_helpers import HistoryAdmin
from workstreams.models import WorkplanComment


@admin.register(WorkplanComment)
class WorkplanCommentAdmin(HistoryAdmin):
    list_display = ["workplan", "author", "organisation", "created_at"]
    list_select_related = ["workplan__workstream", "author", "organisation"]
    list_filter = ["workplan__workstream", "organisation"]
    search_fields = ["body", "author__username", "organisation__name"]
    date_hierarchy = "created_at"
    fields = ["workplan", "author", "organisation", "body", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
