"""Bitstring Status List v1.0 (W3C): the revocation list and its credential.

A list is at least 131,072 bits (16 KB, so one entry tells nothing about who
holds it); index 0 is the left-most bit of the first byte (byte i // 8, mask
0x80 >> (i % 8)). `encodedList` is `u` + base64url, unpadded, of the GZIP of
the bits. Revocation is never reversed.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Mapping
from typing import Any

from pathwise.core.credentials.documents import VC_V2
from pathwise.core.credentials.multibase import (
    EncodingError,
    from_multibase_b64url,
    multibase_b64url,
)
from pathwise.core.errors import PathwiseError

MIN_BITS = 131_072
MAX_ENCODED_BYTES = 8 * 1024 * 1024  # a decompressed list larger than this is refused


class StatusListError(PathwiseError):
    """A status list or status entry is malformed."""


class StatusList:
    """A mutable bitstring; `True` at an index means revoked."""

    __slots__ = ("_bits",)

    def __init__(self, size: int = MIN_BITS) -> None:
        if size < MIN_BITS or size % 8:
            raise StatusListError(f"a status list has at least {MIN_BITS} bits, in whole bytes")
        self._bits = bytearray(size // 8)

    @classmethod
    def with_revoked(cls, indexes: Iterable[int], size: int = MIN_BITS) -> StatusList:
        status = cls(size)
        for index in indexes:
            status.set(index)
        return status

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise StatusListError(
                f"status index {index} is outside the list (0 to {self.size - 1})")

    def set(self, index: int) -> None:
        self._check(index)
        self._bits[index // 8] |= 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index // 8] & (0x80 >> (index % 8)))

    def revoked(self) -> list[int]:
        return [byte * 8 + bit for byte, value in enumerate(self._bits) if value
                for bit in range(8) if value & (0x80 >> bit)]

    def encode(self) -> str:
        return multibase_b64url(gzip.compress(bytes(self._bits), mtime=0))

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        try:
            compressed = from_multibase_b64url(encoded)
            with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as handle:
                raw = handle.read(MAX_ENCODED_BYTES + 1)
        except (EncodingError, OSError, EOFError) as exc:
            raise StatusListError(f"encodedList cannot be decoded: {exc}") from exc
        if len(raw) > MAX_ENCODED_BYTES:
            raise StatusListError("encodedList is too large")
        if len(raw) * 8 < MIN_BITS:
            raise StatusListError(
                f"encodedList has {len(raw) * 8} bits; a status list has at least {MIN_BITS}")
        status = cls(len(raw) * 8)
        status._bits[:] = raw
        return status


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The `credentialStatus` of a credential at `index` in the list at `list_url`."""
    if index < 0:
        raise StatusListError("a status index is not negative")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(list_url: str, issuer: str, status: StatusList,
                           valid_from: str) -> dict[str, Any]:
    """The unsigned `BitstringStatusListCredential` served at `list_url`."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status.encode(),
        },
    }


def entry_index(entry: Mapping[str, Any]) -> int:
    """The index a `BitstringStatusListEntry` points at, checked."""
    if entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError(f"credentialStatus type {entry.get('type')!r} is not "
                              "BitstringStatusListEntry")
    raw = entry.get("statusListIndex")
    if not isinstance(raw, str) or not raw.isdigit():
        raise StatusListError("statusListIndex is not a decimal string")
    return int(raw)
