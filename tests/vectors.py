"""Published eddsa-rdfc-2022 test data, shared by our verifier's tests and the Node ones."""

from __future__ import annotations

from typing import Any

#: W3C vc-di-eddsa, Appendix B.1 (eddsa-rdfc-2022).
W3C_EXAMPLES_V2_URL = "https://www.w3.org/ns/credentials/examples/v2"
#: The W3C examples context; no npm package ships it, so tests hand it over locally.
W3C_EXAMPLES_V2_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
W3C_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_UNSIGNED: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", W3C_EXAMPLES_V2_URL],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_PROOF_VALUE = ("z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3"
                   "ijx4K1FBTQsCZahKZme")
W3C_SIGNED: dict[str, Any] = {
    **W3C_UNSIGNED,
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"did:key:{W3C_KEY}#{W3C_KEY}",
        "proofPurpose": "assertionMethod",
        "proofValue": W3C_PROOF_VALUE,
    },
}
