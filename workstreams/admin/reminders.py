"""Admin for the record of reminders sent (`manage.py send_reminders`): read only.
Officers use it to answer "was I reminded?"; deleting a row lets the command
send that reminder again in the same period."""

from django.contrib import admin

from workstreams.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "period_key", "sent_at"]
    list_select_related = ["recipient"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "recipient__email", "period_key"]
    date_hierarchy = "sent_at"
    fields = ["kind", "recipient", "period_key", "sent_at", "action_ids"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
