"""The worker signs credentials in these tests: keys go to a throwaway folder. Webhooks go
to a real receiver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.notifications.receiver import Receiver, serve


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on a local port, keeping what it is sent."""
    yield from serve()
