"""Where evidence files are kept, from the environment (ADR 0035)."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from marmot.settings import storages
from marmot.settings.storages import evidence_storage_from_env

VARIABLES = (
    "EVIDENCE_STORAGE",
    "EVIDENCE_ROOT",
    "EVIDENCE_S3_BUCKET",
    "EVIDENCE_S3_ENDPOINT_URL",
    "EVIDENCE_S3_REGION",
    "EVIDENCE_S3_LOCATION",
)


@pytest.fixture
def environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_to(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return evidence_storage_from_env(environ.Env(), "/srv/var/evidence")

    return set_to


def test_a_private_folder_by_default(environment):
    assert environment() == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": "/srv/var/evidence",
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
    assert environment(EVIDENCE_ROOT="/data/evidence")["OPTIONS"]["location"] == (
        "/data/evidence"
    )


def test_s3_compatible_storage_private_and_never_overwritten(environment, monkeypatch):
    monkeypatch.setattr(storages, "find_spec", lambda name: object())
    assert environment(
        EVIDENCE_STORAGE="S3",
        EVIDENCE_S3_BUCKET="marmot-evidence",
        EVIDENCE_S3_ENDPOINT_URL="https://objects.example.org",
        EVIDENCE_S3_LOCATION="luton",
    ) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "marmot-evidence",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "location": "luton",
            "endpoint_url": "https://objects.example.org",
        },
    }


@pytest.mark.parametrize(
    "values, installed, message",
    [
        ({"EVIDENCE_STORAGE": "s3"}, True, "needs EVIDENCE_S3_BUCKET"),
        (
            {"EVIDENCE_STORAGE": "s3", "EVIDENCE_S3_BUCKET": "b"},
            False,
            "install requirements-s3.txt",
        ),
        ({"EVIDENCE_STORAGE": "ftp"}, True, 'EVIDENCE_STORAGE is "ftp"'),
    ],
)
def test_a_misconfiguration_stops_the_start_saying_what_to_set(
    environment, monkeypatch, values, installed, message
):
    monkeypatch.setattr(
        storages, "find_spec", lambda name: object() if installed else None
    )
    with pytest.raises(ImproperlyConfigured, match=message):
        environment(**values)
