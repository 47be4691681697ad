"""Open Badges 3.0 credentials: building, canonicalization, signing, verification, status lists.

Pure Python, no Django, never the network. Modules, in the order a credential
passes through them:

- `issuer`: what the Django app and the CLI call. `IssuerSettings(base_url, did_web)`;
  `earned_on(program, audit, achievement)` (or `NotEarnedError` naming the unmet
  requirement); `issue_credential(...)` builds and signs; `sign_status_list(...)`
  signs the revocation list of one key; `did_web_for` / `did_web_document` for a
  `did:web` deployment.
- `openbadges`: the unsigned `OpenBadgeCredential` from the program data, the
  holder's identity (`holder_name`, `email_matches`) and the shipped OB 3.0 JSON
  schema (`schema_errors`).
- `proof`: `eddsa-rdfc-2022` Data Integrity proofs (`sign`, `verify_proof`,
  `resolve_offline` for `did:key` and our own `did:web`).
- `canon`: RDFC-1.0 canonical N-Quads via pyoxigraph, contexts from `contexts/`
  (`documents`), bounded for untrusted input.
- `keys`: Ed25519 `KeyPair`, Multikey and `did:key`; `KeyStore` in the data
  directory (created on first use, rotation keeps old keys).
- `statuslist`: Bitstring Status List bits, encoding and entries.
- `trust`: who a verifier trusts (`trusted_issuers(keys, did_web=, named=)`) and
  DID lists from settings and options (`parse_did_list`).
- `verify`: `load_credential_json(text)` reads untrusted JSON within bounds;
  `verify_credential(doc, trusted=...)` -> `Verification` (verified, checks,
  errors, revoked, untrusted_issuer).
- `bake`, `certificate`: baked images and the PDF certificate.
"""
