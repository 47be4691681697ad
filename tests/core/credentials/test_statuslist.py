"""Bitstring Status List: bit order, encoding, and the signed list credential."""

from __future__ import annotations

import base64
import datetime as dt
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.credentials.issuer import IssuerSettings, sign_status_list
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.statuslist import MIN_BITS, StatusList, StatusListError
from pathwise.core.credentials.verify import verify_credential


def raw_bits(encoded: str) -> bytes:
    """Decode independently of the module: strip `u`, base64url with padding, gunzip."""
    assert encoded.startswith("u")
    assert "=" not in encoded
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_an_empty_list_has_131072_zero_bits() -> None:
    bits = raw_bits(StatusList().encode())
    assert len(bits) * 8 == MIN_BITS == 131_072
    assert not any(bits)


def test_index_zero_is_the_left_most_bit() -> None:
    status = StatusList.with_revoked([0, 9, MIN_BITS - 1])
    bits = raw_bits(status.encode())
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001
    assert sum(bin(b).count("1") for b in bits) == 3


@given(st.sets(st.integers(0, MIN_BITS - 1), max_size=50))
def test_set_bits_round_trip_through_the_encoding(indexes: set[int]) -> None:
    decoded = StatusList.decode(StatusList.with_revoked(indexes).encode())
    assert decoded.revoked() == sorted(indexes)
    assert all(decoded.get(i) for i in indexes)


def test_short_lists_and_bad_indexes_are_refused() -> None:
    with pytest.raises(StatusListError):
        StatusList(1024)
    with pytest.raises(StatusListError):
        StatusList().set(MIN_BITS)
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(16))).decode().rstrip("=")
    with pytest.raises(StatusListError, match="at least"):
        StatusList.decode(short)
    with pytest.raises(StatusListError):
        StatusList.decode("not multibase")


def test_the_status_list_credential_is_signed_and_verifies(
        key: KeyPair, issuer: IssuerSettings) -> None:
    signed = sign_status_list(StatusList.with_revoked([3]), key=key, settings=issuer,
                              created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert signed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert signed["id"] == issuer.status_list_url(key)
    subject = signed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert StatusList.decode(subject["encodedList"]).revoked() == [3]
    assert verify_credential(signed, trusted={key.did_key},
                             now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)).verified
