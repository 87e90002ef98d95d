"""Email: plain-text templates, sent through Django's email backend (console by
default, SMTP from ``EMAIL_URL``) once the transaction that caused it commits.

A template pair lives in ``templates/email/``: ``<name>_subject.txt`` (one
line) and ``<name>.txt`` (the body), rendered by the "email" template engine,
which does not HTML-escape (these are plain text; nothing is ever shown as
HTML). Every template gets ``service_name``
(the place's, from data) and ``site_url``; links in emails are absolute,
built with `absolute_url`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from marmot.site.context_processors import FALLBACK_SERVICE_NAME


def absolute_url(path: str) -> str:
    """``path`` on the public address of this deployment (``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def _service_name() -> str:
    from workstreams.models import Place

    place = Place.objects.only("service_name").first()
    return place.service_name if place else FALLBACK_SERVICE_NAME


def mail_render(*, template: str, context: dict) -> tuple[str, str]:
    """The (subject, body) of an email, rendered from its template pair."""
    context = {
        "service_name": _service_name(),
        "site_url": settings.SITE_URL.rstrip("/"),
        **context,
    }
    subject = render_to_string(f"email/{template}_subject.txt", context, using="email")
    subject = " ".join(subject.split())  # one line, whatever the template did
    body = render_to_string(f"email/{template}.txt", context, using="email")
    return subject, body


def mail_send(*, to: Iterable[str], template: str, context: dict) -> int:
    """Send now; returns how many messages went (0 when nobody to send to)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    subject, body = mail_render(template=template, context=context)
    message = EmailMessage(subject=subject, body=body, to=recipients)
    return message.send()


def mail_send_on_commit(*, to: Iterable[str], template: str, context: dict) -> None:
    """Send once the current transaction commits (never for a rolled-back change).

    The subject and body are rendered now, while the objects are in hand.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, body = mail_render(template=template, context=context)

    def send():
        EmailMessage(subject=subject, body=body, to=recipients).send()

    transaction.on_commit(send)
