"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline.

pyoxigraph does the work in Rust: JSON-LD to RDF (with every context inlined
from the shipped copies, so nothing is ever fetched), RDFC-1.0, and canonical
N-Quads with the escapes RDFC-1.0 requires (pyld writes raw control characters
where RDFC-1.0 wants `\\b`, `\\u0001` …, so its output would not verify elsewhere).

Speed: the shipped contexts define hundreds of terms and a credential uses a few
dozen, and processing the whole contexts is most of the cost. Before parsing,
each context is pruned to the term definitions the document can reach: every
keyword, every term whose name occurs in the document (as a key, a value, or
the prefix of a compact IRI), and, repeatedly, every term named by the
definitions kept. A definition nothing refers to cannot change the RDF, so the
canonical form is the same (tests compare pruned and whole contexts); pruned
contexts are cached by the contexts and the terms used.

Untrusted input is bounded before the canonicalization algorithm runs: size of
the JSON, number of blank nodes, and above all the number of blank nodes that
their own statements do not tell apart (same first-degree hash). Only those
reach RDFC-1.0's N-degree hashing, which is exponential: a "poisoned" clique of
8 such nodes takes pyoxigraph 7 seconds, of 10 practically forever. A
credential's blank nodes (criteria, identity objects) are all distinguishable.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from pathwise.core.credentials.documents import CONTEXTS, inline_contexts
from pathwise.core.errors import PathwiseError

MAX_DOCUMENT_BYTES = 512 * 1024
MAX_BLANK_NODES = 64
MAX_AMBIGUOUS_BLANK_NODES = 6  # a clique of 6 canonicalizes in about 0.1 s


class CanonicalizationError(PathwiseError):
    """A document cannot be turned into canonical N-Quads."""


def canonicalize(document: Mapping[str, Any], *,
                 extra_contexts: Mapping[str, Any] | None = None,
                 max_blank_nodes: int = MAX_BLANK_NODES, prune: bool = True) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (sorted lines, each ending in \\n)."""
    try:
        text = _json_ld_text(document, extra_contexts, prune=prune)
    except RecursionError as exc:
        raise CanonicalizationError("document is nested too deeply") from exc
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
    ambiguous = _ambiguous_blank_nodes(quads) if len(blanks) > 1 else 0
    if ambiguous > MAX_AMBIGUOUS_BLANK_NODES:
        raise CanonicalizationError(
            f"document has {ambiguous} blank nodes that cannot be told apart; at most "
            f"{MAX_AMBIGUOUS_BLANK_NODES} are canonicalized (RDFC-1.0 takes exponential time)")
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    serialized = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS)
    assert serialized is not None
    lines = sorted(line for line in serialized.decode("utf-8").split("\n") if line)
    return "".join(line + "\n" for line in lines)


def _ambiguous_blank_nodes(quads: list[ox.Quad]) -> int:
    """How many blank nodes share their first-degree hash (RDFC-1.0 §4.6) with another."""
    mentions: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.BlankNode):
                mentions.setdefault(term.value, []).append(quad)
    counts: dict[str, int] = {}
    for node, node_quads in mentions.items():

        def show(term: object, node: str = node) -> str:
            if isinstance(term, ox.BlankNode):
                return "_:a" if term.value == node else "_:z"
            return str(term)

        lines = sorted(" ".join(show(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
                       for q in node_quads)
        key = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        counts[key] = counts.get(key, 0) + 1
    return sum(n for n in counts.values() if n > 1)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- pruning the contexts to the terms a document can reach ---------------------------


def _json_ld_text(document: Mapping[str, Any], extra: Mapping[str, Any] | None, *,
                  prune: bool) -> str:
    body = {k: v for k, v in document.items() if k != "@context"}
    context = document.get("@context")
    if not prune or context is None:
        return json.dumps(inline_contexts(dict(document), extra), ensure_ascii=False)
    inlined_body = inline_contexts(body, extra)
    used = _strings(inlined_body, set())
    urls = tuple(context) if isinstance(context, list) else (context,)
    if not extra and all(isinstance(u, str) and u in CONTEXTS for u in urls):
        names = _term_names(urls)
        context_text = _pruned_shipped(urls, frozenset(used & names))
    else:
        inlined = inline_contexts({"@context": context}, extra)["@context"]
        context_text = json.dumps(_prune(inlined, used), ensure_ascii=False)
    rest = json.dumps(inlined_body, ensure_ascii=False)
    return '{"@context": ' + context_text + (", " + rest[1:] if rest != "{}" else "}")


def _strings(node: Any, out: set[str]) -> set[str]:
    """Every key and string value, and the prefix of each that looks like a compact IRI."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                _add(key, out)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            _add(item, out)
    return out


def _add(text: str, out: set[str]) -> None:
    out.add(text)
    if ":" in text:
        out.add(text.split(":", 1)[0])


def _prune_once(context: Any, used: set[str]) -> Any:
    if isinstance(context, list):
        return [_prune_once(c, used) for c in context]
    if not isinstance(context, dict):
        return context
    kept: dict[str, Any] = {}
    for term, definition in context.items():
        if not (term.startswith("@") or term in used):
            continue
        if isinstance(definition, dict) and "@context" in definition:
            kept[term] = {**definition, "@context": _prune_once(definition["@context"], used)}
        else:
            kept[term] = definition
    return kept


def _prune(context: Any, used: Iterable[str]) -> Any:
    reach = set(used)
    while True:
        kept = _prune_once(context, reach)
        grown = _strings(kept, set(reach))
        if grown == reach:
            return kept
        reach = grown


@functools.cache
def _term_names(urls: tuple[str, ...]) -> frozenset[str]:
    inlined = inline_contexts({"@context": list(urls)})["@context"]
    return frozenset(_strings(inlined, set()))


@functools.lru_cache(maxsize=256)
def _pruned_shipped(urls: tuple[str, ...], used: frozenset[str]) -> str:
    inlined = inline_contexts({"@context": list(urls)})["@context"]
    return json.dumps(_prune(inlined, used), ensure_ascii=False)
