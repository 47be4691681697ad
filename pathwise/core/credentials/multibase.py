"""Multibase and Multikey encodings used by Data Integrity proofs and status lists.

Only what the credentials need: base58btc (`z` prefix) for keys and signatures,
base64url without padding (`u` prefix) for status-list bitstrings, and the
Ed25519 Multikey headers (public 0xed01, secret 0x8026).
"""

from __future__ import annotations

import base64

from pathwise.core.errors import PathwiseError

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}

ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"


class EncodingError(PathwiseError):
    """A multibase, multikey or base58 value cannot be decoded."""


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        if c not in _INDEX:
            raise EncodingError(f"{c!r} is not a base58btc character")
        n = n * 58 + _INDEX[c]
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def multibase_b58(data: bytes) -> str:
    return "z" + b58encode(data)


def from_multibase_b58(value: str) -> bytes:
    if not value.startswith("z"):
        raise EncodingError("expected a base58btc multibase value starting with 'z'")
    return b58decode(value[1:])


def multibase_b64url(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_multibase_b64url(value: str) -> bytes:
    if not value.startswith("u"):
        raise EncodingError("expected a base64url multibase value starting with 'u'")
    body = value[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as exc:
        raise EncodingError(f"not base64url: {exc}") from exc


def public_multikey(public_key: bytes) -> str:
    """`z6Mk…`: the Multikey encoding of a 32-byte Ed25519 public key."""
    return multibase_b58(ED25519_PUB_HEADER + public_key)


def secret_multikey(seed: bytes) -> str:
    """`z3u2…`: the Multikey encoding of a 32-byte Ed25519 seed."""
    return multibase_b58(ED25519_PRIV_HEADER + seed)


def decode_public_multikey(value: str) -> bytes:
    raw = from_multibase_b58(value)
    if not raw.startswith(ED25519_PUB_HEADER) or len(raw) != 34:
        raise EncodingError(f"{value!r} is not an Ed25519 public Multikey")
    return raw[2:]


def decode_secret_multikey(value: str) -> bytes:
    raw = from_multibase_b58(value)
    if not raw.startswith(ED25519_PRIV_HEADER) or len(raw) != 34:
        raise EncodingError("not an Ed25519 secret Multikey")
    return raw[2:]
