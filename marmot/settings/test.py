"""Test settings: the base settings with fast hashing and in-memory email."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from marmot.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
AXES_ENABLED = False
