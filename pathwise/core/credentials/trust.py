"""Who a verifier trusts to issue credentials.

A good signature only says that the key's owner signed; anyone can make a
`did:key` and name it as the issuer. A credential is verified only when its
issuer is one the verifier trusts: a deployment trusts its own DIDs (the
`did:key` of every key in its key store, current and rotated out, and its
`did:web`) and the DIDs its operator names (`PATHWISE_TRUSTED_ISSUERS`, or
`--trust-issuer` on the command line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pathwise.core.errors import PathwiseError

if TYPE_CHECKING:
    from pathwise.core.credentials.keys import KeyPair

#: A DID (W3C DID 1.0 §3.1): `did:<method>:<method-specific id>`, without a fragment or path.
_DID = re.compile(r"did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*"
                  r"(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*")
MAX_DID_LENGTH = 2048


class TrustError(PathwiseError):
    """A trusted-issuer setting or option that is not a DID."""


def parse_did(value: str, *, source: str) -> str:
    """`value` as a DID, or `TrustError` naming `source` and what is wrong."""
    did = value.strip()
    if len(did) > MAX_DID_LENGTH or not _DID.fullmatch(did) or did.endswith(":"):
        shown = did if len(did) <= 80 else did[:77] + "..."
        raise TrustError(f"{source}: {shown!r} is not a DID (did:<method>:<identifier>, "
                         "e.g. did:web:badges.example.org)")
    return did


def parse_did_list(text: str, *, source: str) -> tuple[str, ...]:
    """A comma-separated list of DIDs (blank entries are skipped)."""
    return tuple(parse_did(part, source=source) for part in text.split(",") if part.strip())


def trusted_issuers(keys: Iterable[KeyPair], *, did_web: str | None = None,
                    named: Iterable[str] = ()) -> frozenset[str]:
    """The issuers a deployment's verifier accepts: its own keys' `did:key`s, its
    `did:web`, and the DIDs its operator names."""
    own = {key.did_key for key in keys}
    if did_web:
        own.add(did_web)
    return frozenset(own | set(named))
