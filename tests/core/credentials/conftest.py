"""A fixed issuer key and settings for the credentials tests."""

from __future__ import annotations

import pytest

from pathwise.core.credentials.issuer import IssuerSettings
from pathwise.core.credentials.keys import KeyPair


@pytest.fixture(scope="session")
def key() -> KeyPair:
    return KeyPair(bytes(range(32)), "2026-01-01T00:00:00Z")


@pytest.fixture(scope="session")
def issuer() -> IssuerSettings:
    return IssuerSettings(base_url="https://badges.example.org")
