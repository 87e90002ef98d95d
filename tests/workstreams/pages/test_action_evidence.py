"""Evidence files on progress updates (ADR 35): what the site takes, judged by
content; who may upload and download; hostile files refused with a form error
and nothing written; the download's headers; the request-size guard.

Every file goes to a temporary folder (``evidence_dir``), never the checkout."""

import copy
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import make_role_users, rolled_back_after, user_with_role
from tests.workstreams import evidence_fixtures as files
from tests.workstreams.evidence_fixtures import evidence_on, upload
from tests.workstreams.factories import OrganisationMembershipFactory
from tests.workstreams.fixtures import build_world, date, summary_links
from workstreams.evidence import evidence_check, safe_stem
from workstreams.models import Action, EvidenceFile, ProgressUpdate, Workplan

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        world = build_world(make_role_users)
        other_partner = user_with_role(roles.PARTNER, username="other_partner")
        OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
        world.users["other_partner"] = other_partner
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


@pytest.fixture
def evidence_dir(settings, tmp_path) -> Path:
    """The evidence storage, in this test's own temporary folder."""
    storages = copy.deepcopy(settings.STORAGES)
    storages["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    settings.STORAGES = storages
    return tmp_path


def stored(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_update(client, action, *uploads, **data):
    today = timezone.localdate()
    return client.post(
        reverse("progress-update-create", args=[action.pk]),
        {
            **date("reported_on", str(today.day), str(today.month), str(today.year)),
            "status": "unchanged",
            "rag": "unchanged",
            "text": "Survey finished: report attached.",
            "evidence_files": list(uploads),
            **data,
        },
    )


# What the site takes, by content ---------------------------------------------


@pytest.mark.parametrize(
    "name, content, kind, kept",
    [
        ("Report.pdf", files.PDF, "application/pdf", "Report.pdf"),
        ("photo.JPEG", files.JPEG, "image/jpeg", "photo.jpeg"),
        ("chart.png", files.PNG, "image/png", "chart.png"),
        ("minutes.docx", files.docx(), "wordprocessingml.document", "minutes.docx"),
        ("budget.xlsx", files.xlsx(), "spreadsheetml.sheet", "budget.xlsx"),
        ("slides.pptx", files.pptx(), "presentationml.presentation", "slides.pptx"),
        ("notes.odt", files.opendocument("text"), "opendocument.text", "notes.odt"),
        ("sums.ods", files.opendocument("spreadsheet"), "spreadsheet", "sums.ods"),
        ("deck.odp", files.opendocument("presentation"), "presentation", "deck.odp"),
        ("no extension", files.PDF, "application/pdf", "no extension.pdf"),
        ("../../etc/passwd.pdf", files.PDF, "application/pdf", "passwd.pdf"),
        ("C:\\Users\\sam\\plan.pdf", files.PDF, "application/pdf", "plan.pdf"),
        (
            '<img src=x onerror="x">.pdf',
            files.PDF,
            "application/pdf",
            "img src_x onerror__x.pdf",
        ),
        ("re\u0000port\r\n.pdf", files.PDF, "application/pdf", "re_port.pdf"),
        ("...", files.PDF, "application/pdf", "evidence.pdf"),
    ],
)
def test_a_file_is_known_by_its_content_and_its_name_made_safe(
    name, content, kind, kept
):
    checked = evidence_check(upload(name, content), max_bytes=MB)
    assert kind in checked.kind.content_type
    assert checked.name == kept
    assert "/" not in checked.name and "\\" not in checked.name


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "report.pdf",
            files.HTML,
            "“report.pdf” is named as a PDF document but is not a type of file the "
            "site takes, whatever its name says",
        ),
        ("setup.docx", files.EXE, "is not a type of file the site takes"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a type"),
        (
            "chart.pdf",
            files.PNG,
            "“chart.pdf” is named as a PDF document but its content is a PNG image: "
            "rename it to end .png, or choose the right file.",
        ),
        ("minutes.docx", files.xlsx(), "but its content is an Excel workbook"),
        ("macro.docx", files.docm(), "“macro.docx” contains macros"),
        ("bomb.docx", files.zip_bomb(), "unpacks to far more than its size"),
        ("escape.docx", files.escaping_zip(), "holds files named outside itself"),
        ("plain.zip", files.zipped({"a.txt": b"hello"}), "is not a type of file"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "is damaged"),
        ("big.pdf", files.PDF + b"0" * MB, "“big.pdf” is 1 MB: each evidence file"),
    ],
)
def test_hostile_and_mismatched_files_are_refused_saying_why(name, content, message):
    with pytest.raises(ValidationError) as raised:
        evidence_check(upload(name, content), max_bytes=MB)
    assert message in raised.value.messages[0]


def test_safe_stem_keeps_letters_of_any_language():
    assert safe_stem("Café — résumé 2026.pdf") == "Café _ résumé 2026"


# Uploading, as each role ------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("anonymous", False),
        ("partner", True),  # their organisation leads the action
        ("other_partner", False),
        ("chair", True),
        ("other_chair", False),
        ("oversight", False),
        ("officer", True),
    ],
)
def test_who_may_upload(world, evidence_dir, role, allowed):
    response = post_update(
        signed_in(world.users[role]),
        world.action,
        upload("Survey report.pdf", files.PDF),
        evidence_link="https://www.example.org/survey",
    )
    if not allowed:
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        assert not EvidenceFile.objects.exists()
        assert stored(evidence_dir) == []
        return
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "Survey report.pdf",
        "application/pdf",
        len(files.PDF),
    )
    assert re.fullmatch(
        rf"actions/{world.action.pk}/[0-9a-f]{{32}}\.pdf", evidence.file.name
    )
    [path] = stored(evidence_dir)
    assert path.read_bytes() == files.PDF
    assert evidence.progress_update.evidence_link == "https://www.example.org/survey"


@pytest.mark.parametrize(
    "uploads, message",
    [
        (
            [upload("report.pdf", files.HTML)],
            "“report.pdf” is named as a PDF document but is not a type of file",
        ),
        ([upload("bomb.docx", files.zip_bomb())], "unpacks to far more than its size"),
        (
            [upload("big.pdf", files.PDF + b"0" * 130_000)],
            "“big.pdf” is 127 kB: each evidence file must be 100 kB or smaller.",
        ),
        ([upload("empty.pdf", b"")], "The file is empty: choose the file"),
        (
            [upload(f"r{n}.pdf", files.PDF) for n in range(4)],
            "Choose at most 3 files for one update.",
        ),
        (
            [upload("fine.pdf", files.PDF), upload("chart.pdf", files.PNG)],
            "“chart.pdf” is named as a PDF document but its content is a PNG image",
        ),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_written(
    world, evidence_dir, settings, uploads, message
):
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    response = post_update(signed_in(world.users["chair"]), world.action, *uploads)
    assert response.status_code == 200
    [(anchor, said)] = summary_links(response)
    assert anchor == "id_evidence_files"
    assert message in said
    assert not ProgressUpdate.objects.exists()
    assert stored(evidence_dir) == []


def test_if_recording_fails_the_stored_files_are_removed(
    world, evidence_dir, monkeypatch
):
    def refuse(self, *args, **kwargs):
        if EvidenceFile.objects.exists():  # the second file
            raise ValidationError("disk full")

    monkeypatch.setattr(EvidenceFile, "full_clean", refuse)
    response = post_update(
        signed_in(world.users["chair"]),
        world.action,
        upload("one.pdf", files.PDF),
        upload("two.pdf", files.PDF),
    )
    assert response.status_code == 200
    assert "disk full" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored(evidence_dir) == []


# Downloading ---------------------------------------------------------------------


DOWNLOAD_ROLES = {
    "anonymous": "login",
    "partner": 200,  # their organisation leads it
    "other_partner": 403,
    "chair": 200,
    "other_chair": 403,
    "oversight": 200,
    "officer": 200,
}


def test_who_may_download_a_draft_workplans_file(world, evidence_dir):
    evidence = evidence_on(world.action, author=world.users["chair"])
    url = reverse("evidence-download", args=[evidence.pk])
    for role, expected in DOWNLOAD_ROLES.items():
        response = signed_in(world.users[role]).get(url)
        if expected == "login":
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("login")), role
            continue
        assert response.status_code == expected, role
        if expected == 200:
            assert b"".join(response.streaming_content) == files.PDF
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == (
                'attachment; filename="Survey report.pdf"'
            )
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]
            assert response["Cache-Control"] == "private, no-store"


def test_a_published_actions_file_is_public_and_listed_on_its_page(world, evidence_dir):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on="2024-05-01"
    )
    evidence = evidence_on(world.action, name="Café résumé.docx", content=files.docx())
    ProgressUpdate.objects.filter(pk=evidence.progress_update_id).update(
        evidence_link="https://www.example.org/report"
    )
    public = signed_in(None)
    url = reverse("evidence-download", args=[evidence.pk])
    response = public.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Caf%C3%A9%20r%C3%A9sum%C3%A9.docx"
    )
    page = public.get(reverse("action-detail", args=[world.action.pk]))
    html = page.content.decode()
    assert f'href="{url}" download>Café résumé.docx</a>' in html
    assert (
        'href="https://www.example.org/report" rel="noopener noreferrer nofollow"'
        in html
    )
    api = public.get(f"/api/v1/progress-updates/{evidence.progress_update_id}/")
    [listed] = api.json()["evidence_files"]
    assert listed["name"] == "Café résumé.docx"
    assert listed["download_url"].endswith(url)


def test_unknown_or_missing_files_are_not_found(world, evidence_dir):
    evidence = evidence_on(world.action)
    evidence.file.storage.delete(evidence.file.name)
    chair = signed_in(world.users["chair"])
    assert (
        chair.get(reverse("evidence-download", args=[evidence.pk])).status_code == 404
    )
    assert chair.get("/evidence/999999/").status_code == 404


# The request-size guard -------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    world, evidence_dir, settings
):
    settings.REQUEST_BODY_MAX_BYTES = 40 * 1024
    chair = signed_in(world.users["chair"])
    response = post_update(
        chair, world.action, upload("big.pdf", files.PDF + b"0" * 50_000)
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert "the most this site takes in one go is" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert stored(evidence_dir) == []
    api = chair.post(
        "/api/v1/progress-updates/",
        data=b"x",
        content_type="application/json",
        CONTENT_LENGTH=str(10 * MB),
    )
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large"
    # Under the limit, the same upload is read and judged by the form.
    settings.REQUEST_BODY_MAX_BYTES = 200 * 1024
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    response = post_update(
        chair, world.action, upload("ok.pdf", files.PDF + b"0" * 50_000)
    )
    assert response.status_code == 302
    assert len(stored(evidence_dir)) == 1


def test_the_api_takes_a_link_and_clears_the_rating_but_not_a_bad_link(world):
    client = APIClient()
    client.force_authenticate(world.users["chair"])
    body = {
        "action": world.action.pk,
        "reported_on": str(timezone.localdate()),
        "text": "Rating no longer applies.",
        "status": "in_progress",
        "clear_rag": True,
    }
    bad = client.post(
        "/api/v1/progress-updates/",
        {**body, "evidence_link": "javascript:alert(1)"},
        format="json",
    )
    assert bad.status_code == 400
    assert "evidence_link" in bad.json()["error"]["fields"]
    both = client.post(
        "/api/v1/progress-updates/", {**body, "rag": "red"}, format="json"
    )
    assert both.status_code == 400
    response = client.post(
        "/api/v1/progress-updates/",
        {**body, "evidence_link": "https://www.example.org/r"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rag_cleared"] is True
    assert response.json()["evidence_link"] == "https://www.example.org/r"
    assert Action.objects.get(pk=world.action.pk).rag == ""
    assert ProgressUpdate.objects.count() == 1
