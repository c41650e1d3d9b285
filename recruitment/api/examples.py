"""Examples shown in the schema and Swagger UI for the main endpoints."""

from drf_spectacular.utils import OpenApiExample

LOOKUP = {"id": 3, "name": "Poznań"}
APPLICANT = {
    "id": 42,
    "first_name": "Anna",
    "last_name": "Kowalska",
    "full_name": "Anna Kowalska",
    "email": "anna.kowalska@example.com",
    "phone": "+48 600 100 200",
    "city": LOOKUP,
    "birth_year": 1991,
    "age": 35,
    "experience_years": 7,
    "current_work": "Python developer at a bank",
    "source": {"id": 1, "name": "Recommendation"},
    "tags": [{"id": 1, "name": "python"}, {"id": 2, "name": "django"}],
    "linkedin_url": "https://www.linkedin.com/in/anna-kowalska",
    "created_at": "2026-03-02T09:15:00+01:00",
    "latest_activity_at": "2026-03-05T14:40:00+01:00",
    "notes_count": 2,
}
APPLICATION = {
    "id": 7,
    "applicant": APPLICANT,
    "vacancy": {"id": 2, "title": "Senior Python Developer"},
    "stage": "interview",
    "is_closed": False,
    "status_label": "Interview",
    "created_at": "2026-03-02T09:16:00+01:00",
    "stage_changed_at": "2026-03-05T14:40:00+01:00",
    "closed_at": None,
    "close_reason": "",
    "close_note": "",
}

APPLICANT_CREATE = [
    OpenApiExample(
        "New applicant",
        request_only=True,
        value={
            "first_name": "Anna",
            "last_name": "Kowalska",
            "email": "anna.kowalska@example.com",
            "phone": "+48 600 100 200",
            "city": 3,
            "birth_year": 1991,
            "experience_years": 7,
            "source": 1,
            "tags": [1, 2],
        },
    ),
    OpenApiExample("Applicant", response_only=True, value=APPLICANT),
]
APPLICATION_CREATE = [
    OpenApiExample("Apply for a vacancy", request_only=True, value={"applicant": 42, "vacancy": 2}),
    OpenApiExample("Application", response_only=True, value=APPLICATION),
]
APPLICATION_MOVE = [
    OpenApiExample(
        "Move to interview, if still at verification",
        request_only=True,
        value={"stage": "interview", "expected_stage": "verification"},
    ),
    OpenApiExample("Moved", response_only=True, value=APPLICATION),
    OpenApiExample(
        "Stale",
        response_only=True,
        status_codes=["409"],
        value={
            "detail": "Someone moved this application to Decision meanwhile; reload and try again."
        },
    ),
]
APPLICATION_CLOSE = [
    OpenApiExample(
        "Reject",
        request_only=True,
        value={"reason": "rejected", "note": "Not enough Django experience yet."},
    ),
    OpenApiExample(
        "Closed",
        response_only=True,
        status_codes=["409"],
        value={"detail": "This application is closed (Rejected); it cannot change."},
    ),
]
APPLICATION_LIST = [OpenApiExample("A page of applications", response_only=True, value=APPLICATION)]
NOTE_CREATE = [
    OpenApiExample(
        "Note on an application",
        request_only=True,
        value={"applicant": 42, "application": 7, "body": "<p>Strong on <b>Django</b>.</p>"},
    ),
    OpenApiExample(
        "Note",
        response_only=True,
        value={
            "id": 301,
            "applicant": 42,
            "application": 7,
            "kind": "note.added",
            "actor": "rita",
            "created_at": "2026-03-05T14:40:00+01:00",
            "body": "<p>Strong on <b>Django</b>.</p>",
            "from_stage": "",
            "to_stage": "",
            "rating": None,
            "criterion": "",
            "target": None,
            "edited_at": None,
            "deleted_at": None,
        },
    ),
]
