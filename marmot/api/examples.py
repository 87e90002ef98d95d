"""Examples for the core API's operations (the token), by operation id.

Each app keeps its own in ``<app>.api.examples`` (same shape); the schema hook
``marmot.api.schema_hooks`` puts them into the document, and
tests/api/test_schema_examples.py checks each against its schema. A key is
``"request"`` or a response status code; the value is the JSON body."""

EXAMPLES = {
    "auth_token_create": {
        "request": {"username": "chair-housing", "password": "correct horse battery"},
        "200": {
            "token": "3f1c0e9a5b7d4e2f8a6c1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f",
            "expiry": "2026-12-05T09:30:00Z",
        },
    },
}
