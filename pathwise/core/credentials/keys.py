"""Ed25519 issuer keys: Multikey encodings, `did:key` identifiers, and the key store.

The key store is a folder in the data directory (`PATHWISE_DATA_DIR`, default
`./var`): `keys/<n>.json` per key (mode 0600) and `keys/current` naming the one
that signs. A key is created on first use; `rotate()` adds a new current key and
keeps the old ones, so credentials signed with them still verify.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from pathwise.core.credentials.multibase import (
    EncodingError,
    decode_secret_multikey,
    public_multikey,
    secret_multikey,
)
from pathwise.core.errors import PathwiseError

DEFAULT_DATA_DIR = "./var"


class KeyStoreError(PathwiseError):
    """The key store is unreadable or inconsistent."""


@dataclass(frozen=True, slots=True)
class KeyPair:
    """An Ed25519 key from its 32-byte seed."""

    seed: bytes
    created: str = ""

    @classmethod
    def generate(cls) -> KeyPair:
        private = Ed25519PrivateKey.generate()
        seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return cls(seed, now)

    @classmethod
    def from_secret_multikey(cls, value: str, created: str = "") -> KeyPair:
        return cls(decode_secret_multikey(value), created)

    @property
    def private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public_key(self) -> bytes:
        public = _PUBLIC_KEYS.get(self.seed)
        if public is None:
            public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            if len(_PUBLIC_KEYS) < 1000:
                _PUBLIC_KEYS[self.seed] = public
        return public

    @property
    def public_multikey(self) -> str:
        return public_multikey(self.public_key)

    @property
    def secret_multikey(self) -> str:
        return secret_multikey(self.seed)

    @property
    def did_key(self) -> str:
        return did_key(self.public_key)

    def verification_method(self, controller: str | None = None) -> str:
        """`<controller>#<multikey>`; the controller defaults to the key's own did:key."""
        return f"{controller or self.did_key}#{self.public_multikey}"

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


# Deriving a public key from its seed costs about half a signature; signing asks for it
# twice (the did:key, the verification method), so each is derived once per process.
_PUBLIC_KEYS: dict[bytes, bytes] = {}


def did_key(public_key: bytes) -> str:
    return f"did:key:{public_multikey(public_key)}"


def verify_signature(public_key: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def data_dir(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("PATHWISE_DATA_DIR") or DEFAULT_DATA_DIR)


class KeyStore:
    """Issuer keys in `<data_dir>/keys`; never in the database."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / "keys"

    @classmethod
    def from_environment(cls) -> KeyStore:
        return cls(data_dir())

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted((p for p in self.folder.glob("*.json") if p.stem.isdigit()),
                      key=lambda p: int(p.stem))

    def _read(self, path: Path) -> KeyPair:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = KeyPair.from_secret_multikey(data["secretKeyMultibase"], data.get("created", ""))
        except (OSError, ValueError, KeyError, TypeError, EncodingError) as exc:
            raise KeyStoreError(f"{path}: not a readable Pathwise key ({exc})") from exc
        if data.get("publicKeyMultibase") not in (None, key.public_multikey):
            raise KeyStoreError(f"{path}: public key does not match the secret key")
        return key

    def all_keys(self) -> list[KeyPair]:
        """Every key, oldest first."""
        return [self._read(p) for p in self._files()]

    def current(self) -> KeyPair:
        """The signing key, created (mode 0600) when the store has none."""
        pointer = self.folder / "current"
        if pointer.is_file():
            name = pointer.read_text(encoding="utf-8").strip()
            path = self.folder / f"{name}.json"
            if not name.isdigit() or not path.is_file():
                raise KeyStoreError(f"{pointer}: names a key that does not exist ({name!r})")
            return self._read(path)
        return self.rotate()

    def rotate(self) -> KeyPair:
        """Add a new key and make it current; older keys stay for verifying."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        files = self._files()
        number = int(files[-1].stem) + 1 if files else 1
        key = KeyPair.generate()
        path = self.folder / f"{number}.json"
        body = json.dumps({"type": "Multikey", "created": key.created,
                           "publicKeyMultibase": key.public_multikey,
                           "secretKeyMultibase": key.secret_multikey}, indent=2) + "\n"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        tmp = self.folder / "current.tmp"
        tmp.write_text(f"{number}\n", encoding="utf-8")
        tmp.replace(self.folder / "current")
        return key

    def find(self, multikey: str) -> KeyPair | None:
        """The stored key whose public Multikey is `multikey` (current or rotated out)."""
        for key in self.all_keys():
            if key.public_multikey == multikey:
                return key
        return None

    def public_key_for(self, multikey: str) -> bytes | None:
        """The public key of a stored key with this Multikey value (for did:web)."""
        key = self.find(multikey)
        return key.public_key if key else None
