"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline.

pyoxigraph does the work in Rust: JSON-LD to RDF (with every context inlined
from the shipped copies, so nothing is ever fetched), RDFC-1.0, and canonical
N-Quads with the escapes RDFC-1.0 requires (pyld writes raw control characters
where RDFC-1.0 wants `\\b`, `\\u0001` …, so its output would not verify elsewhere).

Untrusted input is bounded before the canonicalization algorithm runs: size of
the JSON, and number of blank nodes (RDFC-1.0 is exponential on "poisoned"
graphs of many indistinguishable blank nodes; a credential has a handful).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from pathwise.core.credentials.documents import inline_contexts
from pathwise.core.errors import PathwiseError

MAX_DOCUMENT_BYTES = 512 * 1024
MAX_BLANK_NODES = 64


class CanonicalizationError(PathwiseError):
    """A document cannot be turned into canonical N-Quads."""


def canonicalize(document: Mapping[str, Any], *,
                 extra_contexts: Mapping[str, Any] | None = None,
                 max_blank_nodes: int = MAX_BLANK_NODES) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (sorted lines, each ending in \\n)."""
    inlined = inline_contexts(dict(document), extra_contexts)
    text = json.dumps(inlined, ensure_ascii=False)
    if len(text) > MAX_DOCUMENT_BYTES:
        raise CanonicalizationError(
            f"document is too large to canonicalize ({len(text)} > {MAX_DOCUMENT_BYTES} bytes)")
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.JSON_LD))
    except (SyntaxError, ValueError) as exc:
        raise CanonicalizationError(f"not valid JSON-LD: {_first_line(exc)}") from exc
    blanks = set()
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.BlankNode):
                blanks.add(term.value)
    if len(blanks) > max_blank_nodes:
        raise CanonicalizationError(
            f"document has {len(blanks)} blank nodes; at most {max_blank_nodes} are canonicalized")
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    serialized = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS)
    assert serialized is not None
    lines = sorted(line for line in serialized.decode("utf-8").split("\n") if line)
    return "".join(line + "\n" for line in lines)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
