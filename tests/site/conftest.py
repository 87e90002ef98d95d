"""Site tests use the project-wide fixtures in tests/conftest.py."""
