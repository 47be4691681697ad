"""Open Badges 3.0 credentials: building, canonicalization, signing, verification, status lists.

Pure Python, no Django. Modules, in the order a credential passes through them:
`openbadges` builds an unsigned `OpenBadgeCredential`, `proof` signs it with an
`eddsa-rdfc-2022` Data Integrity proof (`canon` canonicalizes with RDFC-1.0 using
only the contexts shipped in `contexts/`, see `documents`), `keys` holds the
issuer's Ed25519 keys, `statuslist` the revocation list, and `verify` checks a
credential offline.
"""
