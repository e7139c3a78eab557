"""Property-based: schemathesis generates requests from the OpenAPI schema; none may get a 5xx."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import openapi

from assistant.api import create_app
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from tests.support.fakes import make_services


def test_api_schema_no_server_errors(settings: Settings, seeded_fake: Ingestor) -> None:
    app = create_app(services=make_services(settings, seeded_fake))
    schema = openapi.from_asgi("/openapi.json", app)
    checked = []
    statuses: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        checked.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case: Any) -> None:
            response = case.call()
            statuses.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, case.body, response.text[:300])
            if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                assert "error" in response.json()

        no_server_error()
    assert len(statuses) > 100 and any(s < 300 for s in statuses) and any(s == 422 for s in statuses)
    assert {"POST /v1/chat", "POST /v1/chat/completions", "POST /v1/articles", "DELETE /v1/articles/{article_id}",
            "GET /v1/conversations/{conversation_id}"} <= set(checked)
