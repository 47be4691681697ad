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
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    if prune and not extra_contexts:
        found = _by_shape(document, max_blank_nodes)
        if found is not None:
            return found
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
    _refuse_ambiguous(quads, len(blanks))
    return _canonical_nquads(quads)


def _refuse_ambiguous(quads: list[ox.Quad], blank_nodes: int) -> None:
    # No more nodes can be ambiguous than there are blank nodes: a credential's few skip this.
    if blank_nodes <= MAX_AMBIGUOUS_BLANK_NODES:
        return
    ambiguous = _ambiguous_blank_nodes(quads)
    if ambiguous > MAX_AMBIGUOUS_BLANK_NODES:
        raise CanonicalizationError(
            f"document has {ambiguous} blank nodes that cannot be told apart; at most "
            f"{MAX_AMBIGUOUS_BLANK_NODES} are canonicalized (RDFC-1.0 takes exponential time)")


def _canonical_nquads(quads: list[ox.Quad]) -> str:
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


# -- canonicalizing by shape ------------------------------------------------------
#
# Turning JSON-LD into RDF is most of a canonicalization's cost, and every
# credential of one kind has the same shape: the same keys, types and nesting,
# with other names, dates and ids. A shape is the document with every string
# replaced by a slot (a unique IRI); it is turned into RDF once, and a document of
# that shape gets its quads by putting its strings back into the slots, then is
# canonicalized (RDFC-1.0 depends on the values, so that always runs).
#
# A slot is reused only where JSON-LD copies a string as it is: the whole lexical
# form of a literal (its datatype and language come from the context, not the
# string), or the whole of an IRI when the string is an absolute IRI that no term
# of the contexts can expand. Any other string (a type, a term, a language tag, a
# compact IRI, one that vanished) is structural: it is part of the shape's key and
# stays in the document when the shape is worked out. A document the shapes cannot
# answer for goes the whole way, so the canonical form is the same either way
# (`tests/core/credentials/test_canon.py` compares them).

_SLOT_PREFIX = f"urn:x-pathwise-slot-{secrets.token_hex(8)}:"
_SLOT = re.compile(re.escape(_SLOT_PREFIX) + r"(\d+)")
_SLOT_IN_JSON = re.compile('"' + re.escape(_SLOT_PREFIX) + r'(\d+)"')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Larger documents (and the hostile ones) go the whole way: a shape is for credentials.
MAX_SHAPE_BYTES = 64 * 1024
# Working out a shape reruns JSON-LD when it finds a structural string; at most this often.
MAX_SHAPE_PASSES = 3
MAX_SHAPES = 256


class _UnshapedError(Exception):
    """The document has what shapes do not handle (an embedded context)."""


@dataclass(frozen=True, slots=True)
class _Shape:
    """A shape's RDF as N-Quads text cut at its slots: (text, slot index, is a literal)…"""

    pieces: tuple[str | tuple[int, bool], ...]
    structural: frozenset[int]
    iri_slots: tuple[int, ...]
    blank_nodes: int
    text_length: int
    names: frozenset[str]

    def canonical(self, values: list[str], max_blank_nodes: int) -> str | None:
        """The document's canonical form, or None when it has to go the whole way."""
        # Each character takes at most 6 in JSON (\u0001): within this, the document is too.
        if self.text_length + 6 * sum(map(len, values)) > MAX_DOCUMENT_BYTES:
            return None
        if not all(_plain_iri(values[i], self.names) and _IRI_SAFE.fullmatch(values[i])
                   for i in self.iri_slots):
            return None
        if self.blank_nodes > max_blank_nodes:
            raise CanonicalizationError(f"document has {self.blank_nodes} blank nodes; at most "
                                        f"{max_blank_nodes} are canonicalized")
        text = "".join([piece if isinstance(piece, str) else (
            _nquads_string(values[piece[0]]) if piece[1] else values[piece[0]])
            for piece in self.pieces])
        try:
            quads = list(ox.parse(text, format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, ValueError):
            # Not an IRI, or not text Rust can hold (a lone surrogate): refused the whole way.
            return None
        _refuse_ambiguous(quads, self.blank_nodes)
        return _canonical_nquads(quads)


# What an IRI slot may hold as it is in N-Quads (no escapes, nothing N-Quads reads otherwise).
_IRI_SAFE = re.compile(r'[^\x00-\x20<>"{}|^`\\]*')
_NQUADS_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nquads_string(value: str) -> str:
    # `translate` looks every character up in Python: most strings need no escape at all.
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        return value.translate(_NQUADS_ESCAPES)
    return value


def _plain_iri(value: str, names: frozenset[str]) -> bool:
    """Whether JSON-LD keeps `value` as it is where it expects an IRI."""
    scheme = _SCHEME.match(value)
    if scheme is None or value in names:
        return False
    prefix = value[:scheme.end() - 1]
    return prefix != "_" and (value.startswith("//", scheme.end()) or prefix not in names)


def _hollow(node: Any, values: list[str]) -> Any:
    """`node` with each string replaced by a slot, the strings appended to `values`."""
    if isinstance(node, str):
        values.append(node)
        return f"{_SLOT_PREFIX}{len(values) - 1}"
    if isinstance(node, dict):
        if "@context" in node:
            raise _UnshapedError
        return {key: _hollow(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_hollow(item, values) for item in node]
    return node


_STRUCTURAL: dict[tuple[Any, ...], frozenset[int]] = {}
_SHAPES: dict[tuple[Any, ...], _Shape | None] = {}


def _by_shape(document: Mapping[str, Any], max_blank_nodes: int) -> str | None:
    context = document.get("@context")
    urls = tuple(context) if isinstance(context, list) else (context,)
    if not all(isinstance(u, str) and u in CONTEXTS for u in urls):
        return None
    values: list[str] = []
    try:
        hollow = _hollow({k: v for k, v in document.items() if k != "@context"}, values)
    except (_UnshapedError, RecursionError):
        return None
    text = json.dumps(hollow, ensure_ascii=False)
    if len(text) > MAX_SHAPE_BYTES:
        return None
    base = (context if isinstance(context, str) else urls, text)
    structural = _STRUCTURAL.get(base, frozenset())
    key = (*base, *(values[i] for i in sorted(structural)))
    if key in _SHAPES:
        shape = _SHAPES[key]
    else:
        shape = _work_out(base, text, values, structural)
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
            _STRUCTURAL.clear()
        if shape is not None and shape.structural != structural:
            _STRUCTURAL[base] = shape.structural
            key = (*base, *(values[i] for i in sorted(shape.structural)))
        _SHAPES[key] = shape
    return None if shape is None else shape.canonical(values, max_blank_nodes)


def _work_out(base: tuple[Any, str], text: str, values: list[str],
              structural: frozenset[int]) -> _Shape | None:
    """The shape of a document, its structural strings put back; None if it has none."""
    context, _ = base
    names = _term_names((context,) if isinstance(context, str) else context)
    # A string naming a term (a type, a vocabulary value) shapes the RDF: start from those.
    structural |= {i for i, value in enumerate(values) if value in names}
    for _ in range(MAX_SHAPE_PASSES):
        filled = _SLOT_IN_JSON.sub(
            functools.partial(_put_back, values=values, kept=structural), text)
        if _SLOT_PREFIX in "".join(values[i] for i in structural):
            return None
        try:
            document = {"@context": context if isinstance(context, str) else list(context),
                        **json.loads(filled)}
            json_ld = _json_ld_text(document, None, prune=True)
            quads = list(ox.parse(json_ld, format=ox.RdfFormat.JSON_LD))
        except (SyntaxError, ValueError, RecursionError, PathwiseError):
            return None
        seen, bad, iris = _slots(quads)
        bad |= set(range(len(values))) - seen - structural
        bad |= {i for i in iris if not _plain_iri(values[i], names)}
        if not bad:
            blanks = {t.value for q in quads for t in (q.subject, q.object, q.graph_name)
                      if isinstance(t, ox.BlankNode)}
            return _Shape(_pieces(quads), structural, tuple(sorted(iris)), len(blanks),
                          len(json_ld), names)
        structural = structural | bad
    return None


def _put_back(found: re.Match[str], *, values: list[str], kept: frozenset[int]) -> str:
    index = int(found.group(1))
    return json.dumps(values[index], ensure_ascii=False) if index in kept else found.group()


def _slots(quads: list[ox.Quad]) -> tuple[set[int], set[int], set[int]]:
    """The slots seen as a whole term, those seen otherwise, and those seen as IRIs."""
    seen: set[int] = set()
    bad: set[int] = set()
    iris: set[int] = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            text = str(term)
            if _SLOT_PREFIX not in text:
                continue
            whole = None
            if isinstance(term, ox.NamedNode):
                whole = _SLOT.fullmatch(term.value)
                if whole:
                    iris.add(int(whole.group(1)))
            elif (isinstance(term, ox.Literal) and term.direction is None
                  and _SLOT_PREFIX not in str(term.datatype)):
                whole = _SLOT.fullmatch(term.value)
            if whole is None:
                bad.update(int(m.group(1)) for m in _SLOT.finditer(text))
            else:
                seen.add(int(whole.group(1)))
    return seen - bad, bad, iris


def _pieces(quads: list[ox.Quad]) -> tuple[str | tuple[int, bool], ...]:
    """The quads as N-Quads text, cut where a slot is: (index, whether a literal's)."""
    serialized = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert serialized is not None
    text = serialized.decode("utf-8")
    pieces: list[str | tuple[int, bool]] = []
    at = 0
    for found in _SLOT.finditer(text):
        pieces.append(text[at:found.start()])
        pieces.append((int(found.group(1)), text[found.start() - 1] == '"'))
        at = found.end()
    pieces.append(text[at:])
    return tuple(pieces)
