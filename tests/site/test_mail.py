"""Email from templates, sent after commit, with the place's name and absolute links."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from marmot.site.mail import absolute_url, mail_render, mail_send, mail_send_on_commit
from tests.workstreams.factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(tmp_path, settings):
    folder = tmp_path / "email"
    folder.mkdir()
    (folder / "hello_subject.txt").write_text(
        "Hello\n  {{ name }}\n from {{ service_name }}\n"
    )
    (folder / "hello.txt").write_text("Dear {{ name }},\nSee {{ link }}\n")
    site, email = settings.TEMPLATES
    settings.TEMPLATES = [site, {**email, "DIRS": [tmp_path, *email["DIRS"]]}]


@override_settings(SITE_URL="https://marmot.example.org/")
def test_absolute_url_joins_site_url_and_path():
    assert (
        absolute_url("/submissions/3/") == "https://marmot.example.org/submissions/3/"
    )


def test_subject_is_one_line_with_the_places_name(templates):
    PlaceFactory(service_name="Somewhere 2040")
    subject, body = mail_render(
        template="hello", context={"name": "A & B", "link": "x"}
    )
    assert subject == "Hello A & B from Somewhere 2040"  # plain text: no escaping
    assert body == "Dear A & B,\nSee x\n"


def test_send_goes_once_to_each_address_and_not_at_all_to_nobody(templates):
    sent = mail_send(
        to=["b@x.org", "a@x.org", "b@x.org", ""],
        template="hello",
        context={"name": "N", "link": "L"},
    )
    assert sent == 1
    assert mail.outbox[0].to == ["a@x.org", "b@x.org"]
    assert mail_send(to=["", None], template="hello", context={}) == 0
    assert len(mail.outbox) == 1


def test_on_commit_sends_only_if_the_transaction_commits(templates):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_send_on_commit(to=["a@x.org"], template="hello", context={"name": "N"})
        raise RuntimeError
    assert mail.outbox == []


def test_on_commit_sends_after_commit(templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_send_on_commit(to=["a@x.org"], template="hello", context={"name": "N"})
    assert [m.to for m in mail.outbox] == [["a@x.org"]]
