"""The schema document as a whole (ADR 0039): JSON-only bodies, operation ids
and tags without the version, a summary on every operation, strict OpenAPI 3.0
forms, and examples that agree with the schema."""

import pytest

from marmot.api.schema_hooks import RESOURCES, registered_examples
from tests.api.schema_validation import api_contract

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def document():
    return api_contract().document


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _walk(node, pointer=""):
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def test_request_bodies_are_json_only(document):
    bodies = [
        (method, path, set(op["requestBody"]["content"]))
        for path, method, op in _operations(document)
        if "requestBody" in op
    ]
    assert len(bodies) > 40
    assert [b for b in bodies if b[2] != {"application/json"}] == []


def test_the_api_refuses_a_form_body(client):
    response = client.post(
        "/api/v1/auth/token/", {"username": "someone", "password": "x"}
    )
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415


def test_operation_ids_and_tags_name_the_resource_without_the_version(document):
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids))
    assert {"actions_list", "actions_partial_update", "auth_token_create"} <= set(ids)
    assert [i for i in ids if i.startswith("v1")] == []
    for path, method, op in _operations(document):
        # A list's CSV address (values.csv) is the same resource's.
        resource = path.removeprefix("/api/v1/").split("/")[0].removesuffix(".csv")
        assert op["tags"] == [resource], (method, path)
        assert op["operationId"].startswith(resource.replace("-", "_")), op


def test_every_tag_is_described(document):
    used = {op["tags"][0] for _, _, op in _operations(document)}
    tags = {tag["name"]: tag for tag in document["tags"]}
    assert set(tags) == used
    assert used <= set(RESOURCES), "describe the new resource in RESOURCES"
    assert all(tag["description"] for tag in tags.values())


def test_every_operation_has_a_summary(document):
    summaries = {
        op["operationId"]: op.get("summary", "") for _, _, op in _operations(document)
    }
    assert [i for i, s in summaries.items() if not s] == []
    # Generated where the view gives none; the view's own wins.
    assert summaries["actions_list"] == "List actions"
    assert summaries["actions_retrieve"] == "Get an action"
    assert summaries["actions_partial_update"] == "Change some of an action's fields"
    assert summaries["priorities_list"] == "List priorities"
    assert summaries["progress_updates_create"] == "Create a progress update"
    assert summaries["auth_token_create"] == "Get an API token for scripts"
    # No summary fell back to the catch-all form for sub-resources.
    assert [s for s in summaries.values() if ": " in s] == []


def test_no_nullable_beside_a_bare_composition(document):
    """``nullable`` means nothing without a ``type`` beside it (OAS 3.0.3), so
    ``allOf: [$ref] + nullable`` rejects null in strict validators."""
    bad = [
        pointer
        for pointer, node in _walk(document["components"])
        if isinstance(node, dict)
        and node.get("nullable") is True
        and "type" not in node
    ]
    assert bad == []


NULLABLE_OBJECTS = [
    ("Workstream", "current_workplan", "ActionCounts"),
    ("IndicatorValue", "trend", "Trend"),
    ("BenchmarkValues", "national", "BenchmarkValue"),
    ("EffectiveAssessments", "region", "Judgement"),
]


@pytest.mark.parametrize(("component", "field", "target"), NULLABLE_OBJECTS)
def test_a_nullable_object_is_one_of_the_object_or_null(
    document, component, field, target
):
    schema = document["components"]["schemas"][component]["properties"][field]
    ref = {"$ref": f"#/components/schemas/{target}"}
    assert schema["oneOf"][0] == ref
    assert schema["oneOf"][1] == {"type": "object", "nullable": True, "enum": [None]}
    validator = api_contract().validator_for(
        schema, f"/components/schemas/{component}/properties/{field}"
    )
    assert validator.is_valid(None)
    assert not validator.is_valid(3)
    assert not validator.is_valid({})  # the object's required fields


@pytest.mark.parametrize(
    ("component", "field", "length"),
    [
        ("Organisation", "website", 200),
        ("OrganisationRequest", "website", 200),
        ("ProgressUpdateRequest", "evidence_link", 500),
    ],
)
def test_a_blankable_url_is_one_string_schema(document, component, field, length):
    schema = document["components"]["schemas"][component]["properties"][field]
    assert "oneOf" not in schema
    assert schema["type"] == "string"
    assert schema["maxLength"] == length
    assert "empty string" in schema["description"]
    validator = api_contract().validator_for(
        schema, f"/components/schemas/{component}/properties/{field}"
    )
    assert validator.is_valid("")
    assert validator.is_valid("https://www.example.org/")
    assert not validator.is_valid("x" * (length + 1))


# --- examples ---------------------------------------------------------------

MAIN_EXAMPLES = {
    "auth_token_create": {"request", "200"},
    "actions_list": {"200"},
    "actions_partial_update": {"request", "200"},
    "progress_updates_create": {"request", "201"},
    "submissions_create": {"request", "201"},
    "submissions_accept_create": {"request"},
    "values_list": {"200"},
    "priorities_create": {"request", "201"},
    "workplans_reorder_priorities_create": {"request"},
    "dashboard_retrieve": {"200"},
}


def test_the_main_operations_have_examples():
    examples = registered_examples()
    for operation_id, codes in MAIN_EXAMPLES.items():
        assert codes <= set(examples.get(operation_id, {})), operation_id


def _example_cases():
    return [
        (operation_id, code)
        for operation_id, by_code in sorted(registered_examples().items())
        for code in by_code
    ]


@pytest.mark.parametrize(("operation_id", "code"), _example_cases())
def test_each_example_is_in_the_document_and_agrees_with_its_schema(
    document, operation_id, code
):
    found = [
        (path, method, op)
        for path, method, op in _operations(document)
        if op["operationId"] == operation_id
    ]
    assert len(found) == 1, f"{operation_id}: no such operation"
    path, method, op = found[0]
    if code == "request":
        media = op["requestBody"]["content"]["application/json"]
        pointer = f"/paths/{_escape(path)}/{method}/requestBody/content"
    else:
        media = op["responses"][code]["content"]["application/json"]
        pointer = f"/paths/{_escape(path)}/{method}/responses/{code}/content"
    value = registered_examples()[operation_id][code]
    assert media["example"] == value
    schema = media["schema"]
    validator = api_contract().validator_for(
        schema,
        f"{pointer}/application~1json",
        direction="request" if code == "request" else "response",
    )
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)
    ]
    assert errors == []
    unknown = list(_unknown_keys(value, schema, api_contract().document))
    assert unknown == [], "the example has fields the schema does not"


def _escape(path):
    return path.replace("~", "~0").replace("/", "~1")


def _resolve(schema, document):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _unknown_keys(value, schema, document, where=""):
    """Keys of ``value`` its object schema does not declare (the validators let
    extra keys through), so an example cannot drift from the serializer."""
    schema = _resolve(schema, document)
    branches = schema.get("oneOf", []) + schema.get("allOf", [])
    if isinstance(value, dict) and branches:
        for branch in branches:
            branch = _resolve(branch, document)
            if branch.get("properties"):
                yield from _unknown_keys(value, branch, document, where)
        return
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                yield f"{where}/{key}"
            else:
                yield from _unknown_keys(
                    item, schema["properties"][key], document, f"{where}/{key}"
                )
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _unknown_keys(
                item, schema["items"], document, f"{where}/{index}"
            )


def test_a_field_the_schema_lacks_is_caught(document):
    priority = {"$ref": "#/components/schemas/Priority"}
    found = list(_unknown_keys({"id": 1, "colour": "red"}, priority, document))
    assert found == ["/colour"]
