"""API fixtures: tokens for the shared example people, and a JSON client that sends them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from pathwise.api.actions import create_token
from pathwise.auditlog.log import Actor
from pathwise.participants import models as m


@dataclass
class Api:
    """A client of the API holding one bearer token (or none: anonymous)."""

    token: str | None

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.token is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        client = Client()
        if method == "GET":
            return client.get(path, body, **extra)
        return client.generic(method, path, json.dumps(body) if body is not None else "",
                              content_type="application/json", **extra)

    def get(self, path: str, params: Any = None, **headers: str) -> Any:
        return self.call("GET", path, params, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.call("POST", path, body if body is not None else {}, **headers)


def token_for(user: Any, scope: str = "write") -> str:
    return create_token(user, scope, Actor("test"))[1]


@pytest.fixture
def anonymous() -> Api:
    return Api(None)


@pytest.fixture
def ada_api(ada: m.Participant) -> Api:
    return Api(token_for(ada.user))


@pytest.fixture
def grace_api(grace: m.Participant) -> Api:
    return Api(token_for(grace.user))


@pytest.fixture
def staff_api(staff: Any) -> Api:
    return Api(token_for(staff))


@pytest.fixture
def staff_reader(staff: Any) -> Api:
    return Api(token_for(staff, "read"))
