"""Pruning the shipped contexts never changes the canonical form (or what is refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.credentials.canon import CanonicalizationError, canonicalize
from pathwise.core.credentials.issuer import IssuerSettings
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import Holder, build_credential
from pathwise.core.credentials.statuslist import StatusList, status_list_credential
from pathwise.core.program import Program
from tests.core.credentials.test_eddsa_rdfc_2022 import (
    OB_UNSIGNED,
    W3C_EXAMPLES_CONTEXT,
    W3C_UNSIGNED,
)

KEY = KeyPair(bytes(range(32)))
ISSUER = IssuerSettings(base_url="https://badges.example.org")
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


def both(document: dict[str, Any], **kw: Any) -> tuple[str, str]:
    return canonicalize(document, prune=True, **kw), canonicalize(document, prune=False, **kw)


def test_vectors_canonicalize_the_same_pruned_or_whole() -> None:
    pruned, whole = both(OB_UNSIGNED)
    assert pruned == whole
    pruned, whole = both(W3C_UNSIGNED, extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert pruned == whole


holders = st.builds(Holder, st.just("P-9"), text, st.one_of(st.none(), st.emails()))
issues = st.fixed_dictionaries({
    "salt": text, "status_index": st.integers(0, 131_071),
    "earned_on": st.dates(dt.date(2000, 1, 1), dt.date(2099, 1, 1))})


@settings(max_examples=60, deadline=None)
@given(achievement=st.sampled_from(["CODE", "PBK", "NOC", "COP", "cscce-cm"]),
       holder=holders, details=issues)
def test_built_credentials_canonicalize_the_same_pruned_or_whole(
        program: Program, achievement: str, holder: Holder, details: dict[str, Any]) -> None:
    credential = build_credential(
        program, achievement, holder, credential_id="urn:uuid:1",
        issuer_id=KEY.did_key, base_url=ISSUER.base_url,
        status_list_url=ISSUER.status_list_url(KEY), **details)
    pruned, whole = both(credential)
    assert pruned == whole


def test_status_list_credential_canonicalizes_the_same() -> None:
    document = status_list_credential("https://x.example/status/1", KEY.did_key,
                                      StatusList.with_revoked([1]), "2026-01-01T00:00:00Z")
    pruned, whole = both(document)
    assert pruned == whole


@pytest.mark.parametrize("extra", [
    # a compact IRI whose prefix is a term of the context
    {"credentialSubject": {"id": "did:example:1", "schema:knows": "x"}},
    # terms used only as values of @type
    {"credentialSubject": {"id": "did:example:1", "type": ["AchievementSubject"]}},
    # an embedded local context that uses a term as a prefix
    {"credentialSubject": {"@context": {"ex": "https://example.org/#", "k": "ex:k"},
                           "id": "did:example:1", "k": "v"}},
    # a term the document does not use but the evidence node names through @vocab
    {"evidence": [{"id": "https://example.org/e", "type": ["Evidence"], "narrative": "n"}]},
])
def test_unusual_documents_canonicalize_the_same(extra: dict[str, Any]) -> None:
    document = {**OB_UNSIGNED, **extra}
    assert canonicalize(document, prune=True) == canonicalize(document, prune=False)


def test_overriding_a_protected_term_is_refused_pruned_or_not() -> None:
    document = {**OB_UNSIGNED,
                "@context": [*OB_UNSIGNED["@context"], {"name": "https://evil.example/name"}]}
    for prune in (True, False):
        with pytest.raises(CanonicalizationError, match="protected"):
            canonicalize(document, prune=prune)


def _outcome(document: dict[str, Any], *, prune: bool) -> tuple[str, str]:
    try:
        return "canonical", canonicalize(document, prune=prune)
    except CanonicalizationError as exc:
        return "refused", str(exc)


@pytest.mark.parametrize("credential_id", [
    "urn:uuid:1", "https://example.org/a b", "https://example.org/\\u0041", "_:b0",
    "schema:thing", "did:example:1", "Achievement", "https://example.org/<x>", ""])
def test_credentials_of_one_shape_canonicalize_as_the_whole_way_whatever_their_strings(
        program: Program, credential_id: str) -> None:
    # One shape, worked out once, answers for all of these; strings it cannot carry as
    # they are (not an IRI, a compact IRI, a term's name) go the whole way.
    for name in ("Ada", 'a "quote", a \\ and a\nline break', "name", "Achievement",
                 "urn:x-pathwise-slot-0:0", "\u2028\u0000"):
        credential = build_credential(
            program, "CODE", Holder("P-9", name, "ada@example.org"),
            credential_id=credential_id, issuer_id=KEY.did_key, base_url=ISSUER.base_url,
            status_list_url=ISSUER.status_list_url(KEY), status_index=3,
            earned_on=dt.date(2024, 1, 2))
        assert _outcome(credential, prune=True) == _outcome(credential, prune=False)
