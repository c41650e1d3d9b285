import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)

    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_its_answers_and_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (method, path)
            assert {"401", "403", "429"} <= responses.keys(), (method, path)
            for code in success:
                assert "application/json" in responses[code]["content"], (method, path)
            if method in ("post", "patch"):
                assert "application/json" in operation["requestBody"]["content"], (method, path)
                assert "400" in responses, (method, path)


def test_stages_are_an_enum_and_moves_document_409(schema):
    stage = schema["components"]["schemas"]["StageEnum"]
    move = schema["paths"]["/api/v1/applications/{id}/move-stage/"]["post"]

    assert stage["enum"] == [
        "application", "confirmation", "verification", "interview", "decision", "employment",
    ]  # fmt: skip
    assert "409" in move["responses"]
    assert move["requestBody"]["content"]["application/json"]["examples"]


def test_list_filters_are_documented(schema):
    params = schema["paths"]["/api/v1/applications/"]["get"]["parameters"]

    assert {"q", "tags", "stage", "vacancy", "sort", "page", "per_page"} <= {
        p["name"] for p in params
    }


def test_schema_endpoint_serves_json_and_yaml(api):
    as_json = api.get("/api/schema/")
    as_yaml = api.get("/api/schema/", {"format": "yaml"})

    assert as_json.status_code == 200
    assert "/api/v1/applicants/" in as_json.json()["paths"]
    assert as_yaml.content.startswith(b"openapi: 3")


def test_docs_page_uses_local_swagger_ui(recruiter_client):
    response = recruiter_client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{settings.STATIC_URL}drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_docs_page_sends_strangers_to_sign_in(client):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
