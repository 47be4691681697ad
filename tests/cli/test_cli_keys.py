"""`pathwise keys`: the signing key is created by a command, and rotation keeps the old ones."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from pathwise.cli import main


def test_keys_are_created_rotated_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: Any) -> None:
    monkeypatch.setenv("PATHWISE_DATA_DIR", str(tmp_path))
    assert main(["keys"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["current"]["did"].startswith("did:key:z6Mk")
    key_file = tmp_path / "keys" / "1.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    assert main(["keys", "--rotate"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["current"]["did"] != first["current"]["did"]
    assert second["keys"] == [first["current"]["publicKeyMultibase"],
                              second["current"]["publicKeyMultibase"]]
    assert main(["keys"]) == 0
    assert json.loads(capsys.readouterr().out)["current"] == second["current"]
