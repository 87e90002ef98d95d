"""Test settings: the base settings with fast hashing, in-memory email and, on
PostgreSQL, commits that do not wait for the disk."""

import atexit as _atexit
import os
import shutil as _shutil
import tempfile as _tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from marmot.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
AXES_ENABLED = False
# Evidence files (ADR 0035) go to a temporary folder, never into the checkout.
_evidence = _tempfile.mkdtemp(prefix="marmot-test-evidence-")
_atexit.register(_shutil.rmtree, _evidence, ignore_errors=True)
STORAGES["evidence"]["OPTIONS"]["location"] = _evidence  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Test databases are thrown away: a commit (migrations, transactional
    # tests) need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
