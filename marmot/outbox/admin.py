"""Outgoing mail in the admin, for officers: what waits to be sent, what the
mail server refused and why (ADR 0023).

django-mailer's own admin is replaced: it shows each message's body (links in
invitations carry tokens) and its "send" action would talk to the mail server
inside a request. Here everything is read-only; an officer may only put a
deferred message back in the queue for the scheduler's next `send_mail`, and
only a superuser may delete or read a body.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from mailer.models import (
    PRIORITY_DEFERRED,
    PRIORITY_MEDIUM,
    RESULT_FAILURE,
    DontSendEntry,
    Message,
    MessageLog,
)

from marmot.outbox.models import MailLog, OutgoingMail

for model in (Message, MessageLog, DontSendEntry):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _failures(message_data: str):
    return MessageLog.objects.filter(
        message_data=message_data, result=RESULT_FAILURE
    ).order_by("-when_attempted", "-pk")


class ReadOnlyMailAdmin(admin.ModelAdmin):
    """Nobody adds or edits; only a superuser deletes (or purges)."""

    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="To")
    def recipients(self, obj):
        return ", ".join(obj.to_addresses or []) or "(unreadable message)"

    @admin.display(description="Subject")
    def subject_line(self, obj):
        return obj.subject or "(unreadable message)"

    @admin.display(description="Body")
    def body(self, obj):
        return getattr(obj.email, "body", "(unreadable message)")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields + ["body"] if request.user.is_superuser else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyMailAdmin):
    list_display = [
        "when_added",
        "recipients",
        "subject_line",
        "state",
        "retry_count",
        "last_error",
    ]
    list_filter = ["priority"]
    fields = [
        "recipients",
        "subject_line",
        "when_added",
        "state",
        "retry_count",
        "failures",
    ]
    ordering = ["-when_added", "-pk"]
    actions = ["queue_again"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_error_text=Subquery(
                    _failures(OuterRef("message_data")).values("log_message")[:1]
                )
            )
        )

    @admin.display(description="State", ordering="priority")
    def state(self, obj):
        if obj.priority != PRIORITY_DEFERRED:
            return "Waiting to be sent"
        limit = getattr(settings, "MAILER_EMAIL_MAX_RETRIES", None)
        if limit is not None and obj.retry_count >= limit:
            return f"Deferred: gave up after {obj.retry_count} retries"
        return "Deferred: sending failed, will be retried"

    @admin.display(description="Last error")
    def last_error(self, obj):
        return getattr(obj, "last_error_text", None) or "—"

    @admin.display(description="Failed tries (newest first)")
    def failures(self, obj):
        rows = _failures(obj.message_data).values_list("when_attempted", "log_message")
        lines = ((f"{localtime(when):%Y-%m-%d %H:%M}", error) for when, error in rows)
        return format_html_join("\n", "<p>{}: {}</p>", lines) or "None"

    def has_requeue_permission(self, request):
        return request.user.has_perm("outbox.change_outgoingmail")

    @admin.action(
        description="Queue again for the next send (within a minute)",
        permissions=["requeue"],
    )
    def queue_again(self, request, queryset):
        count = queryset.filter(priority=PRIORITY_DEFERRED).update(
            priority=PRIORITY_MEDIUM, retry_count=0
        )
        self.message_user(
            request, f"{count} deferred message(s) queued again.", messages.SUCCESS
        )


@admin.register(MailLog)
class MailLogAdmin(ReadOnlyMailAdmin):
    list_display = [
        "when_attempted",
        "recipients",
        "subject_line",
        "result",
        "log_message",
    ]
    list_filter = ["result"]
    fields = ["when_attempted", "recipients", "subject_line", "result", "log_message"]
    ordering = ["-when_attempted", "-pk"]
    date_hierarchy = "when_attempted"
