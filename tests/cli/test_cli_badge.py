"""`pathwise badge` and `pathwise verify`: signed credentials from records, checked offline."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from pathwise.core.credentials.issuer import IssuerSettings, sign_status_list
from pathwise.core.credentials.keys import KeyStore
from pathwise.core.credentials.openbadges import holder_name, schema_errors
from pathwise.core.credentials.statuslist import StatusList
from pathwise.core.program import ProgramLibrary
from tests.builders import complete_journey, drop_components

AFTER_ALL = "2024-09-01"  # the complete journey's last record is on 2024-08-01


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("PATHWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("PATHWISE_DID_WEB", raising=False)
    monkeypatch.delenv("PATHWISE_BASE_URL", raising=False)
    return folder


@pytest.fixture
def badge(pathwise, write_json, records_file):
    def _badge(achievement: str, records: dict[str, Any] | None = None,
               as_of: str = AFTER_ALL, *extra: str):
        data = records or records_file()
        data["participant"]["email"] = "ada@example.org"
        return pathwise("badge", write_json(data), "--achievement", achievement,
                        "--as-of", as_of, *extra)
    return _badge


@pytest.mark.parametrize("achievement", ["CODE", "PBK", "NOC", "cscce-cm"])
def test_badge_prints_a_signed_credential_that_verifies(badge, pathwise, write_json,
                                                        achievement):
    run = badge(achievement)
    assert run.code == 0, run.err
    credential = run.json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert schema_errors(credential) == []
    assert holder_name(credential) == "Ada Lovelace"
    assert isinstance(credential["proof"], list)
    check = pathwise("verify", write_json(credential, "credential.json"))
    assert check.code == 0, check.out
    result = check.json()
    assert result["verified"] is True
    assert result["errors"] == []


def test_final_badge_is_the_program_certification(badge):
    program = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert program is not None
    credential = badge("cscce-cm").json()
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == program.final_badge.name
    assert credential["validFrom"] == "2024-08-01T00:00:00Z"  # the certification date


def test_keys_are_created_on_first_use_and_reused(badge, data_dir):
    first = badge("CODE").json()
    files = list((data_dir / "keys").glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    second = badge("PBK").json()
    assert first["issuer"]["id"] == second["issuer"]["id"]
    assert first["issuer"]["id"].startswith("did:key:z6Mk")


def test_base_url_names_the_credential_and_achievement(badge):
    credential = badge("CODE", None, AFTER_ALL, "--base-url", "https://badges.example.org").json()
    assert credential["id"].startswith("https://badges.example.org/credentials/")
    assert credential["credentialSubject"]["achievement"]["id"] == (
        "https://badges.example.org/achievements/cscce-cm/CODE")


def test_a_course_not_passed_is_refused_naming_the_requirement(badge, records_file, refused):
    records = records_file(drop_components(complete_journey(), "PBK"))
    line = refused(badge("PBK", records), "badge")
    assert "has not earned PBK" in line
    assert "requirement pbk" in line


def test_the_final_badge_is_refused_while_a_requirement_is_unmet(badge, records_file,
                                                                 refused):
    records = records_file(drop_components(complete_journey(), "CAPSTONE"))
    line = refused(badge("cscce-cm", records), "badge")
    assert "requirement capstone" in line


def test_records_after_as_of_do_not_earn_a_badge(badge, refused):
    line = refused(badge("cscce-cm", None, "2024-07-31"), "badge")
    assert "has not earned cscce-cm" in line


@pytest.mark.parametrize("achievement", ["ORIENT", "QSS", "nope"])
def test_components_without_badges_are_refused(badge, refused, achievement):
    line = refused(badge(achievement), "badge")
    assert "is not an achievement" in line


def test_verify_reports_one_changed_character(badge, pathwise, tmp_path):
    text = json.dumps(badge("CODE").json(), indent=2)
    tampered = text.replace('"Content Design"', '"Content Desigm"', 1)
    assert tampered != text
    path = tmp_path / "tampered.json"
    path.write_text(tampered, encoding="utf-8")
    run = pathwise("verify", path)
    assert run.code == 1
    result = run.json()
    assert result["verified"] is False
    assert any("does not match" in e for e in result["errors"])


def test_verify_reports_a_revoked_credential(badge, pathwise, write_json, data_dir):
    credential = badge("CODE").json()
    index = int(credential["credentialStatus"]["statusListIndex"])
    key = KeyStore(data_dir).current()
    settings = IssuerSettings()
    revoked = sign_status_list(StatusList.with_revoked([index]), key=key, settings=settings)
    fine = sign_status_list(StatusList(), key=key, settings=settings)
    path = write_json(credential, "credential.json")

    run = pathwise("verify", path, "--status-list", write_json(revoked, "revoked.json"))
    assert run.code == 1
    assert any(e.startswith("revoked:") for e in run.json()["errors"])

    run = pathwise("verify", path, "--status-list", write_json(fine, "fine.json"))
    assert run.code == 0
    assert any("not revoked" in c for c in run.json()["checks"])


def test_verify_reads_a_baked_png_and_svg(badge, pathwise, tmp_path):
    bake = pytest.importorskip("pathwise.core.credentials.bake")
    from PIL import Image

    credential_json = json.dumps(badge("CODE").json())
    png = tmp_path / "blank.png"
    Image.new("RGB", (4, 4), "white").save(png)
    baked_png = tmp_path / "badge.png"
    baked_png.write_bytes(bake.bake_png(png.read_bytes(), credential_json))
    baked_svg = tmp_path / "badge.svg"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
           '<rect width="4" height="4"/></svg>')
    baked_svg.write_text(bake.bake_svg(svg, credential_json), encoding="utf-8")
    for path in (baked_png, baked_svg):
        run = pathwise("verify", path)
        assert run.code == 0, run.out
        assert run.json()["verified"] is True


def test_verify_refuses_a_missing_file(pathwise, refused, tmp_path):
    line = refused(pathwise("verify", tmp_path / "nothing.json"), "verify")
    assert "no such file" in line


def test_verify_of_something_that_is_not_a_credential_is_not_verified(pathwise, write_json):
    run = pathwise("verify", write_json({"hello": "world"}, "x.json"))
    assert run.code == 1
    assert run.json()["verified"] is False



def test_verify_refuses_json_nested_too_deeply(pathwise, refused, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = refused(pathwise("verify", path), "verify")
    assert "nested too deeply" in line
