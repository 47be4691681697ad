"""The whole OpenAPI document, exercised by schemathesis in process (WSGI): for every
operation, generated requests as staff and as a participant find no server error and no
response that breaks the document.

Bounded: a few examples per operation, derandomized, so the suite stays fast and the
run is the same every time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.credentials.actions import issue_earned
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.webhooks import register_endpoint
from pathwise.participants import models as m
from pathwise.runs.actions import assign_instructor
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]




def _document() -> dict[str, Any]:
    """The document /api/v1/schema/ serves, made by the same generator when the tests are
    collected (before the test client's host is allowed, so not over HTTP)."""
    made = SchemaGenerator().get_schema(request=None, public=True)
    loaded: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(made))
    return loaded


schema = schemathesis.openapi.from_dict(_document())
schema.app = get_wsgi_application()


@pytest.fixture
def world(settings: Any, tmp_path: Any, grace: m.Participant, ada: m.Participant, *,
          staff: Any, publish_run: Callable[..., Offering],
          django_user_model: Any) -> Iterator[list[str]]:
    """A catalogue, a seat, a credential, a run under way with its instructor and a webhook
    endpoint to find; the staff, instructor and participant tokens.

    The WSGI handler closes the database connection after each request, which would end
    the test's transaction (PostgreSQL); as Django's test client does, it is kept open.
    """
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.DATA_DIR = tmp_path
    take_seat(grace, publish_run("QSS-S", "QSS", starts_in=30), Actor("test"))
    publish_run("PBK-S", "PBK", starts_in=90)
    publish_run("MW-S", "MW-ROLES", starts_in=20, private_to="Elsewhere Inc")
    issue_earned(ada, dt.datetime.now(dt.UTC))
    under_way = publish_run("PBK-S0", "PBK",
                            starts_on=dt.datetime.now(dt.UTC).date() - dt.timedelta(days=20))
    take_seat(grace, under_way, Actor("test"), today=under_way.starts_on - dt.timedelta(days=1))
    django_user_model.objects.create_user("ina", password="ina-password-1")
    assign_instructor(under_way, "ina", Actor("test"))
    register_endpoint("https://receiver.example/hooks", ["seat.enrolled"], Actor("test"))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield [token_for(staff), token_for(django_user_model.objects.get(username="ina")),
               token_for(grace.user)]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_breaks_the_api_or_its_document(case: Any,
                                                             world: list[str]) -> None:
    for token in world:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
