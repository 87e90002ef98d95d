"""Proxies of django-mailer's models, so the admin names them plainly and
officers get permissions on them through `marmot.roles.OFFICER_APPS`
("outbox") without any on the ``mailer`` app itself."""

from mailer.models import Message, MessageLog


class OutgoingMail(Message):
    """A message waiting to be sent, or deferred after a failed try."""

    class Meta:
        proxy = True
        verbose_name = "outgoing message"
        verbose_name_plural = "outgoing mail"


class MailLog(MessageLog):
    """One try at sending a message: sent, or failed with the server's error."""

    class Meta:
        proxy = True
        verbose_name = "mail log entry"
        verbose_name_plural = "mail log"
