"""The OpenAPI document as a whole, finished in one place (ADR 0039).

``postprocess_schema`` is a drf-spectacular postprocessing hook
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``). It runs once on the whole
document, after the views have said what they know, and:

- describes each tag (one per resource: the path's first segment after
  ``/api/v1/``, which ``SCHEMA_PATH_PREFIX`` makes drf-spectacular use);
- gives every operation a summary, where its view gives none, from the
  resource and what the operation does ("List actions", "Get an action");
- writes nullable references in the form strict OpenAPI 3.0.3 validators
  accept (``nullable`` does nothing beside ``allOf`` without a ``type``);
- makes a string that may be blank one schema, not a ``oneOf`` whose two
  branches both match ``""``;
- documents the 415 every operation with a body gives for a body that is
  not JSON (the API parses JSON only), and the 413 for one that is too large;
- adds the request and response examples that each app keeps in its own
  ``<app>.api.examples`` module (and core in ``marmot.api.examples``).

Core imports no app: the apps' example modules are found through the app
registry, as the admin finds ``admin.py`` modules.
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

#: Each resource's tag: (description, the noun with its article, plural noun).
RESOURCES = {
    "actions": (
        "What partners do in a workstream's workplan, with status, RAG and milestones.",
        "an action",
        "actions",
    ),
    "areas": ("Places with ONS codes: the place and its comparators.", "an area"),
    "auth": ("API tokens for scripts: get one, revoke it.", "a token"),
    "dashboard": (
        "The KPI dashboard: each measure's latest value, comparisons and trend.",
        "the dashboard",
    ),
    "indicators": ("Outcome measures and output KPIs' indicators.", "an indicator"),
    "kpi-entries": (
        "Values recorded for output KPIs, with their approval.",
        "a KPI value",
        "KPI values",
    ),
    "kpis": ("Output KPIs of a workstream's logic model.", "a KPI", "KPIs"),
    "logic-models": ("Versioned logic models of workstreams.", "a logic model"),
    "me": ("The signed-in user: roles, workstreams, organisation.", "the user"),
    "milestones": ("Milestones on an action.", "a milestone"),
    "organisations": ("Partner organisations.", "an organisation"),
    "periods": ("Time periods, labelled as published.", "a period"),
    "principles": ("The eight Marmot principles.", "a principle"),
    "priorities": (
        "A workplan's ordered priorities.",
        "a priority",
        "priorities",
    ),
    "progress-updates": (
        "Append-only progress updates on actions.",
        "a progress update",
    ),
    "recommendations": (
        "Marmot recommendations and the actions that answer them.",
        "a recommendation",
    ),
    "submissions": (
        "Partners' proposed actions and the chair's decisions on them.",
        "a submission",
    ),
    "values": (
        "Indicator values with confidence limits, assessments and trend.",
        "a value",
    ),
    "workplans": ("Annual workplans: draft → consultation → signed off.", "a workplan"),
    "workstreams": (
        "Workstreams, their chairs and how they are doing.",
        "a workstream",
    ),
}

#: Summaries of operations whose view gives none and that are not plain
#: list/get/create/change/delete of their resource.
SUMMARIES = {
    "dashboard_retrieve": "Get the dashboard",
    "indicators_inequalities_retrieve": "Get an indicator's inequalities",
    "submissions_accept_create": "Accept a submission (it becomes an action)",
    "submissions_reject_create": "Reject a submission, with a reason",
    "submissions_request_info_create": "Ask the partner for more information",
    "submissions_messages_list": "List a submission's messages",
    "submissions_messages_create": "Write a message on a submission",
    "values_manual_assessment_create": "Set a value's assessment by hand",
}

_CRUD = {
    "list": "List {plural}",
    "retrieve": "Get {one}",
    "create": "Create {one}",
    "update": "Replace {one}",
    "partial_update": "Change some of {possessive} fields",
    "destroy": "Delete {one}",
}

NOT_JSON = {
    "description": "The body is not JSON: send it with "
    "`Content-Type: application/json`.",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}
    },
}

TOO_LARGE = {
    "description": "The body is larger than the server takes "
    "(`REQUEST_BODY_MAX_BYTES`; marmot/site/body_size.py).",
    "content": NOT_JSON["content"],
}

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


def postprocess_schema(result, generator, request, public):
    """drf-spectacular postprocessing hook: see the module docstring."""
    used_tags = []
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            for tag in operation.get("tags", []):
                if tag not in used_tags:
                    used_tags.append(tag)
            if not operation.get("summary"):
                operation["summary"] = _summary(path, operation)
            if "requestBody" in operation:
                operation["responses"].setdefault("415", NOT_JSON)
                operation["responses"].setdefault("413", TOO_LARGE)
    result["tags"] = [
        {"name": tag, "description": RESOURCES[tag][0]}
        if tag in RESOURCES
        else {"name": tag}
        for tag in sorted(used_tags)
    ]
    components = result.get("components", {}).get("schemas", {})
    _walk(result, components)
    _add_examples(result)
    return result


def _resource(path: str) -> tuple[str, list[str]]:
    """The tag's resource and the path segments after it (``{id}`` left out)."""
    segments = [s for s in path.strip("/").split("/") if not s.startswith("{")]
    # /api/v1/<resource>/...
    rest = segments[2:] if len(segments) > 2 else segments
    return rest[0], rest[1:]


def _summary(path: str, operation: dict) -> str:
    operation_id = operation.get("operationId", "")
    if operation_id in SUMMARIES:
        return SUMMARIES[operation_id]
    resource, sub = _resource(path)
    _description, one, *plural = RESOURCES.get(
        resource, ("", f"a {resource.replace('-', ' ')}")
    )
    plural = plural[0] if plural else one.split(" ", 1)[1] + "s"
    kind = next(
        (k for k in sorted(_CRUD, key=len, reverse=True) if operation_id.endswith(k)),
        None,
    )
    if sub or kind is None:
        words = " ".join(sub).replace("-", " ").replace("_", " ") or resource
        return f"{words.capitalize()}: {one}"
    possessive = f"{one}'s"
    return _CRUD[kind].format(one=one, plural=plural, possessive=possessive)


def _walk(node, components):
    """Rewrite, everywhere in the document, the two forms strict OpenAPI 3.0
    validators refuse (nullable references, doubly matching blank strings)."""
    if isinstance(node, dict):
        _nullable_reference(node, components)
        _blank_string(node)
        for value in node.values():
            _walk(value, components)
    elif isinstance(node, list):
        for value in node:
            _walk(value, components)


def _nullable_reference(schema: dict, components: dict) -> None:
    """``{allOf: [{$ref: X}], nullable: true}`` → ``{oneOf: [{$ref: X},
    {type: <X's type>, nullable: true, enum: [null]}]}``.

    In OpenAPI 3.0.3 ``nullable`` only widens a ``type`` in the same schema
    object, so null fails the ``allOf``: strict validators refuse it. The null
    branch is typed (so ``nullable`` applies) and admits only null; generators
    read the ``oneOf`` as ``X | None``."""
    all_of = schema.get("allOf")
    if not (
        schema.get("nullable") is True
        and isinstance(all_of, list)
        and len(all_of) == 1
        and "$ref" in all_of[0]
        and "type" not in schema
    ):
        return
    target = components.get(all_of[0]["$ref"].rsplit("/", 1)[-1], {})
    del schema["allOf"], schema["nullable"]
    schema["oneOf"] = [
        all_of[0],
        {"type": target.get("type", "object"), "nullable": True, "enum": [None]},
    ]


_FORMAT_WORDS = {"uri": "a URL", "email": "an email address"}


def _blank_string(schema: dict) -> None:
    """drf-spectacular writes a format field that may be blank as ``oneOf:
    [{type: string, format: uri}, {type: string, maxLength: 0}]``; both
    branches match ``""`` (formats are not asserted), so ``""`` fails the
    ``oneOf``. One string schema instead, its description saying what it
    holds."""
    one_of = schema.get("oneOf")
    if not (isinstance(one_of, list) and len(one_of) == 2):
        return
    value, blank = one_of
    if blank != {"type": "string", "maxLength": 0} or value.get("type") != "string":
        return
    del schema["oneOf"]
    what = _FORMAT_WORDS.get(value.get("format"), "a string of that form")
    schema.update({k: v for k, v in value.items() if k != "format"})
    said = f"{what[0].upper()}{what[1:]}, or an empty string for none."
    schema["description"] = (
        f"{schema['description']} {said}".strip()
        if (schema.get("description"))
        else said
    )


def example_modules():
    """``marmot.api.examples`` and each installed app's ``api.examples``."""
    modules = [import_module("marmot.api.examples")]
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "api"):
            api = import_module(f"{config.name}.api")
            if module_has_submodule(api, "examples"):
                modules.append(import_module(f"{config.name}.api.examples"))
    return modules


def registered_examples() -> dict:
    """Every example, by operation id: ``{"request": value, "201": value}``."""
    examples = {}
    for module in example_modules():
        for operation_id, by_code in module.EXAMPLES.items():
            if operation_id in examples:
                raise ValueError(f"Two examples for {operation_id}")
            examples[operation_id] = by_code
    return examples


def _add_examples(result):
    operations = {
        operation["operationId"]: operation
        for methods in result.get("paths", {}).values()
        for method, operation in methods.items()
        if method in HTTP_METHODS
    }
    for operation_id, by_code in registered_examples().items():
        operation = operations.get(operation_id)
        if operation is None:
            continue  # not in this (possibly partial) schema
        for code, value in by_code.items():
            if code == "request":
                media = operation.get("requestBody", {}).get("content", {})
            else:
                media = operation.get("responses", {}).get(code, {}).get("content", {})
            if "application/json" in media:
                media["application/json"]["example"] = value
