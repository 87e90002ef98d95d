"""Examples for the programme's API operations, by operation id (a key is
``"request"`` or a response status code; the value is the JSON body). The
schema hook (``marmot.api.schema_hooks``) puts them into the OpenAPI document;
tests/api/test_schema_document.py checks each against its schema, so an
example cannot drift from its serializer."""

ACTION = {
    "id": 12,
    "workstream": "housing",
    "workplan": 1,
    "priority": 2,
    "title": "Inspect private rented homes with low energy ratings",
    "description": "Target the 500 homes rated F or G first.",
    "lead_organisation": 3,
    "lead_person": "Private sector housing team",
    "status": "in_progress",
    "rag": "amber",
    "is_next_step": False,
    "start_date": "2024-04-01",
    "due_date": "2025-03-31",
    "completed_on": None,
    "source": "workplan",
    "activities": [],
    "recommendations": [4],
    "principles": [6],
    "archived_at": None,
    "carried_from": None,
    "milestones": [],
    "percent_complete": {
        "value": 40,
        "source": "by_hand",
        "words": "40% (set by hand)",
    },
    "percent_complete_by_hand": 40,
    "row_version": 4,
    "updated_at": "2025-01-14T10:02:11Z",
}

PROGRESS_UPDATE_REQUEST = {
    "action": 12,
    "reported_on": "2025-01-14",
    "text": "212 of 500 homes inspected; 31 improvement notices served.",
    "status": "in_progress",
    "rag": "amber",
    "evidence_link": "https://www.example.org/housing/inspections-q3",
}

SUBMISSION_REQUEST = {
    "workstream": "housing",
    "principles": [6],
    "title": "Warm homes advice at food banks",
    "description": "Energy advisers at three food banks once a week, October to March.",
    "start_date": "2025-10-01",
    "end_date": "2026-03-31",
    "lead_contact": "Sam Patel, Community Energy Anytown",
    "evidence_url": "",
}

SUBMISSION = {
    "id": 7,
    "organisation": 5,
    "submitted_by": 21,
    **SUBMISSION_REQUEST,
    "supports_activity": None,
    "supports_recommendation": None,
    "status": "submitted",
    "decision_reason": "",
    "decided_by": None,
    "decided_at": None,
    "action": None,
    "row_version": 1,
    "created_at": "2025-09-02T14:20:00Z",
}

EXAMPLES = {
    "actions_list": {
        "200": {
            "count": 1,
            "next": None,
            "previous": None,
            "results": [ACTION],
        },
    },
    "actions_retrieve": {"200": ACTION},
    "actions_partial_update": {
        "request": {"status": "completed", "completed_on": "2025-03-20"},
        "200": {
            **ACTION,
            "status": "completed",
            "completed_on": "2025-03-20",
            "row_version": 5,
            "updated_at": "2025-03-20T09:15:42Z",
        },
    },
    "progress_updates_create": {
        "request": PROGRESS_UPDATE_REQUEST,
        "201": {
            "id": 88,
            **PROGRESS_UPDATE_REQUEST,
            "author": 9,
            "rag_cleared": False,
            "evidence_files": [],
            "created_at": "2025-01-14T11:30:05Z",
        },
    },
    "submissions_create": {"request": SUBMISSION_REQUEST, "201": SUBMISSION},
    "submissions_accept_create": {
        "request": {"workplan": 1, "confirm_outside_plan": True},
        "200": {
            **SUBMISSION,
            "status": "accepted",
            "decided_by": 9,
            "decided_at": "2025-09-10T16:00:00Z",
            "action": 31,
            "row_version": 2,
        },
    },
    "submissions_reject_create": {
        "request": {"reason": "The food bank project is already funded."},
    },
    "priorities_create": {
        "request": {
            "workplan": 1,
            "title": "Housing conditions in the private rented sector",
            "description": "",
        },
        "201": {
            "id": 6,
            "workplan": 1,
            "workstream": "housing",
            "title": "Housing conditions in the private rented sector",
            "description": "",
            "position": 5,
            "action_count": 0,
        },
    },
    "workplans_reorder_priorities_create": {
        "request": {"priority_ids": [2, 1, 4, 3, 6]},
    },
}
