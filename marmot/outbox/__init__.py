"""Outgoing mail as officers see it in the admin: django-mailer's queue
(``mailer.Message``) and its delivery log (``mailer.MessageLog``) under clear
names, read-only, never showing a message's body (ADR 0023)."""
