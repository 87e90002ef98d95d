"""Where uploaded evidence files are kept, from the environment (ADR 0035).

``EVIDENCE_STORAGE``:

- ``filesystem`` (the default): a folder, ``EVIDENCE_ROOT`` (``var/evidence``
  unless set). Never under a URL the web server serves: files are read only
  through the site's download view, which checks who is asking.
- ``s3``: an S3-compatible bucket through django-storages (install
  ``requirements-s3.txt``). ``EVIDENCE_S3_BUCKET`` names it;
  ``EVIDENCE_S3_ENDPOINT_URL`` (for MinIO, Ceph, a cloud other than AWS),
  ``EVIDENCE_S3_REGION`` and ``EVIDENCE_S3_LOCATION`` (a key prefix) are
  optional; credentials come the usual boto3 way (``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY``, or the machine's role). Objects are private and
  never overwritten; the site streams them, so no signed URL is handed out.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def evidence_storage_from_env(env, default_root: Path) -> dict:
    """The ``STORAGES["evidence"]`` entry the environment asks for."""
    kind = env.str("EVIDENCE_STORAGE", default="filesystem").strip().lower()
    if kind == "filesystem":
        return {
            "BACKEND": FILESYSTEM,
            "OPTIONS": {
                "location": env.str("EVIDENCE_ROOT", default=str(default_root)),
                "base_url": None,
                "file_permissions_mode": 0o640,
                "directory_permissions_mode": 0o750,
            },
        }
    if kind == "s3":
        if find_spec("storages") is None:
            raise ImproperlyConfigured(
                "EVIDENCE_STORAGE=s3 needs django-storages and boto3: install "
                "requirements-s3.txt."
            )
        bucket = env.str("EVIDENCE_S3_BUCKET", default="")
        if not bucket:
            raise ImproperlyConfigured(
                "EVIDENCE_STORAGE=s3 needs EVIDENCE_S3_BUCKET (the bucket's name)."
            )
        options = {
            "bucket_name": bucket,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "location": env.str("EVIDENCE_S3_LOCATION", default=""),
        }
        for option, variable in (
            ("endpoint_url", "EVIDENCE_S3_ENDPOINT_URL"),
            ("region_name", "EVIDENCE_S3_REGION"),
        ):
            value = env.str(variable, default="")
            if value:
                options[option] = value
        return {"BACKEND": S3, "OPTIONS": options}
    raise ImproperlyConfigured(
        f'EVIDENCE_STORAGE is "{kind}": use "filesystem" (the default) or "s3".'
    )
