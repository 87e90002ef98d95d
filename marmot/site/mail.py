"""Email: plain-text templates, and the one path by which the site sends mail.

A template pair lives in ``templates/email/``: ``<name>_subject.txt`` (one
line) and ``<name>.txt`` (the body), rendered by the "email" template engine,
which does not HTML-escape (these are plain text; nothing is ever shown as
HTML). Every template gets ``service_name``
(the place's, from data) and ``site_url``; links in emails are absolute,
built with `absolute_url`.

Sending (ADR 0023). In production ``EMAIL_BACKEND`` is django-mailer's queue:
a message becomes a row in the database *in the transaction of the change
that causes it*, so the two commit together or not at all, and no request
ever waits for, or fails because of, the mail server. The scheduler's
``manage.py send_mail`` hands the queue to the real server (EMAIL_URL) every
minute; a failure defers the message, logs the error (`mail_delivery_failed`,
shown to officers in the admin) and ``retry_deferred`` queues it again.
Without the queue (``EMAIL_QUEUE`` off: DEBUG trials, tests), a message goes
straight to EMAIL_URL once the transaction commits, and a failure is logged,
never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from marmot.site.place import place_current, service_name

logger = logging.getLogger(__name__)

QUEUE_BACKEND = "mailer.backend.DbBackend"


def absolute_url(path: str) -> str:
    """``path`` on the public address of this deployment (``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def mail_render(*, template: str, context: dict) -> tuple[str, str]:
    """The (subject, body) of an email, rendered from its template pair."""
    context = {
        "service_name": service_name(place_current()),
        "site_url": settings.SITE_URL.rstrip("/"),
        **context,
    }
    subject = render_to_string(f"email/{template}_subject.txt", context, using="email")
    subject = " ".join(subject.split())  # one line, whatever the template did
    body = render_to_string(f"email/{template}.txt", context, using="email")
    return subject, body


def mail_queued() -> bool:
    """Does outgoing mail go through the database queue (production)?"""
    return settings.EMAIL_BACKEND == QUEUE_BACKEND


def _recipients(to: Iterable[str]) -> list[str]:
    return sorted({address for address in to if address})


def mail_send(*, to: Iterable[str], template: str, context: dict) -> int:
    """Send (or queue) now; returns how many messages (0 when nobody to send to)."""
    recipients = _recipients(to)
    if not recipients:
        return 0
    subject, body = mail_render(template=template, context=context)
    message = EmailMessage(subject=subject, body=body, to=recipients)
    return message.send()


def mail_deliver_on_commit(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    on_sent: Callable[[], None] | None = None,
    on_failed: Callable[[Exception], None] | None = None,
) -> None:
    """Hand a rendered message over with the current transaction.

    Queued: the queue row is written now, inside the transaction, and
    ``on_sent`` runs once it commits. Not queued: the message is sent once the
    transaction commits; ``on_sent`` or, if the server refuses it,
    ``on_failed`` runs then (the failure is logged, never raised). Never
    anything for a transaction that rolls back.
    """
    recipients = _recipients(to)
    if not recipients:
        return
    message = EmailMessage(subject=subject, body=body, to=recipients)
    if mail_queued():
        message.send()
        if on_sent is not None:
            transaction.on_commit(on_sent)
        return

    def send() -> None:
        try:
            message.send()
        except Exception as error:
            logger.exception("Email %r to %s not sent", subject, recipients)
            if on_failed is not None:
                on_failed(error)
        else:
            if on_sent is not None:
                on_sent()

    transaction.on_commit(send)


def mail_send_on_commit(*, to: Iterable[str], template: str, context: dict) -> None:
    """Send with the current transaction (never for a rolled-back change):
    queued in it, or sent once it commits (see `mail_deliver_on_commit`).

    The subject and body are rendered now, while the objects are in hand.
    """
    recipients = _recipients(to)
    if not recipients:
        return
    subject, body = mail_render(template=template, context=context)
    mail_deliver_on_commit(to=recipients, subject=subject, body=body)


def mail_delivery_failed(connection, message, error: Exception):
    """django-mailer's error handler (``MAILER_ERROR_HANDLER``), used by
    ``send_mail``: whatever the server or the network did, defer the message
    (``retry_deferred`` queues it again), log the error where officers see it
    (the admin's mail log) and go on with the rest of the queue. (django-mailer's
    own handler re-raises errors it does not know, e.g. a server that hangs
    up, which stops the run at that message every minute.)"""
    from mailer.models import RESULT_FAILURE, MessageLog

    text = f"{type(error).__name__}: {error}"
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=text)
    logger.warning(
        "Email %r to %s deferred: %s",
        message.subject,
        ", ".join(message.to_addresses),
        text,
    )
    return None, "deferred"  # a new connection for the next message
