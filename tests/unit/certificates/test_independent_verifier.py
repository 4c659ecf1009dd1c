"""A verifier written apart from the signer: what an employer's script would do with Sanaly's published documents.

Nothing here uses app.certificates to check a proof. The verifier has its own context loader (which checks each
pinned file's SHA-256 before serving it), its own PyLD context cache, its own base58 decoder, takes the public key
from the issuer profile and the JWKS as served, and checks the Ed25519 signature with ``cryptography`` directly.
The app is used only to produce what a verifier would download: a credential, the issuer profile, the JWKS and
the status list. The verifier is itself checked against 1EdTech's published signed credential.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cachetools import LRUCache
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from app.certificates.signing import issuer_profile_document, jwks_document
from app.certificates.status_list import signed_status_list_credential

from .builders import ISSUED_AT, ISSUER, STATUS_LIST_URL, TEST_KEY, TEST_VERIFICATION_METHOD, make_signed_credential
from .vector_1edtech import VECTOR_CREDENTIAL, VECTOR_METHOD, VECTOR_MULTIKEY, VECTOR_PROOF_VALUE

CONTEXTS = Path(__file__).parents[3] / "app" / "certificates" / "contexts"
# url -> (file, SHA-256 published with the pinned copies)
PINNED = {
    "https://www.w3.org/ns/credentials/v2": (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob-v3p0-context-3.0.3.json",
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": (
        "ob-v3p0-extensions.json",
        "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
    ),
}
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Untrusted(Exception):
    """The independent verifier's verdict: do not trust this credential."""


class OfflineLoader:
    """Serves the three contexts a Sanaly credential needs, each checked against its pinned digest."""

    def __init__(self) -> None:
        self.served: list[str] = []

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url not in PINNED:
            raise Untrusted(f"refusing to load {url}")
        name, digest = PINNED[url]
        raw = (CONTEXTS / name).read_bytes()
        if hashlib.sha256(raw).hexdigest() != digest:
            raise Untrusted(f"{name} differs from the pinned context")
        self.served.append(url)
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(raw),
        }


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + BASE58_ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def canonical_nquads(document: dict[str, Any], loader: OfflineLoader) -> bytes:
    options = {"base": None, "documentLoader": loader, "contextResolver": ContextResolver(LRUCache(16), loader)}
    dropped: list[Any] = []
    try:
        jsonld.expand(document, dict(options), on_property_dropped=dropped.append)
        options.update(algorithm="URDNA2015", format="application/n-quads")
        nquads = jsonld.normalize(document, options)
    except jsonld.JsonLdError as error:
        raise Untrusted(f"cannot canonicalise: {error}") from error
    if dropped:
        raise Untrusted(f"terms outside the contexts would be unsigned: {dropped}")
    return nquads.encode("utf-8")


def key_from_profile(profile: dict[str, Any], method_id: str, issuer_id: str) -> Ed25519PublicKey:
    """The key the issuer publishes under ``method_id``, if the issuer controls it and lists it for assertions."""
    if profile.get("id") != issuer_id or method_id not in profile.get("assertionMethod", []):
        raise Untrusted("the issuer does not list this key for assertions")
    [method] = [m for m in profile.get("verificationMethod", []) if m.get("id") == method_id] or [None]
    if method is None or method.get("type") != "Multikey" or method.get("controller") != issuer_id:
        raise Untrusted("no Multikey controlled by the issuer under that id")
    decoded = base58btc_decode(method["publicKeyMultibase"].removeprefix("z"))
    if decoded[:2] != b"\xed\x01" or len(decoded) != 34:
        raise Untrusted("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def verify_independently(credential: dict[str, Any], profile: dict[str, Any], loader: OfflineLoader) -> None:
    """Raise Untrusted unless the credential's eddsa-rdfc-2022 proof checks out against the published profile."""
    proofs = credential.get("proof")
    [proof] = proofs if isinstance(proofs, list) else [proofs]
    if (proof.get("type"), proof.get("cryptosuite"), proof.get("proofPurpose")) != (
        "DataIntegrityProof",
        "eddsa-rdfc-2022",
        "assertionMethod",
    ):
        raise Untrusted("unsupported proof")
    issuer = credential["issuer"]
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
    key = key_from_profile(profile, proof["verificationMethod"], issuer_id)
    document = {name: value for name, value in credential.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    options["@context"] = credential["@context"]
    signed_bytes = hashlib.sha256(canonical_nquads(options, loader)).digest()
    signed_bytes += hashlib.sha256(canonical_nquads(document, loader)).digest()
    try:
        key.verify(base58btc_decode(proof["proofValue"].removeprefix("z")), signed_bytes)
    except InvalidSignature as error:
        raise Untrusted("bad signature") from error


def revoked_by_list(status_list: dict[str, Any], entry: dict[str, Any]) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"].removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


@pytest.fixture
def loader() -> OfflineLoader:
    return OfflineLoader()


@pytest.fixture(scope="module")
def published_profile() -> dict[str, Any]:
    """The issuer profile as the platform serves it, round-tripped through JSON like a download."""
    return json.loads(json.dumps(issuer_profile_document(ISSUER, [TEST_KEY.public_key()])))


def downloaded(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(document, ensure_ascii=False))


def test_a_sanaly_credential_verifies_with_the_published_key(published_profile, loader) -> None:
    verify_independently(downloaded(make_signed_credential()), published_profile, loader)
    assert set(loader.served) == set(PINNED)  # the verifier's own loader did the canonicalising


def test_one_changed_byte_in_a_signed_value_fails(published_profile, loader) -> None:
    credential = downloaded(make_signed_credential())
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Әсем Құрманғалиқызь"
    with pytest.raises(Untrusted, match="bad signature"):
        verify_independently(credential, published_profile, loader)
    credential = downloaded(make_signed_credential())
    credential["validFrom"] = credential["validFrom"].replace("51Z", "52Z")
    with pytest.raises(Untrusted, match="bad signature"):
        verify_independently(credential, published_profile, loader)


def test_a_key_the_issuer_does_not_publish_is_not_trusted(published_profile, loader) -> None:
    credential = downloaded(make_signed_credential())
    credential["proof"][0]["verificationMethod"] = f"{ISSUER.id}#{VECTOR_MULTIKEY}"
    with pytest.raises(Untrusted, match="does not list this key"):
        verify_independently(credential, published_profile, loader)


def test_the_jwks_and_the_profile_publish_the_same_key(published_profile) -> None:
    [jwk] = downloaded(jwks_document(ISSUER.id, [TEST_KEY.public_key()]))["keys"]
    from_profile = key_from_profile(published_profile, jwk["kid"], jwk["iss"])
    x = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    assert from_profile.public_bytes_raw() == x
    assert jwk["kid"] == TEST_VERIFICATION_METHOD


def test_the_status_list_verifies_and_marks_a_revoked_certificate(published_profile, loader) -> None:
    credential = downloaded(make_signed_credential())
    entry = credential["credentialStatus"]
    status_list = downloaded(
        signed_status_list_credential(
            STATUS_LIST_URL, ISSUER.id, [int(entry["statusListIndex"])], ISSUED_AT, TEST_KEY, TEST_VERIFICATION_METHOD
        )
    )
    verify_independently(status_list, published_profile, loader)
    assert entry["statusListCredential"] == status_list["id"]
    assert revoked_by_list(status_list, entry)
    assert not revoked_by_list(status_list, {**entry, "statusListIndex": str(int(entry["statusListIndex"]) + 1)})


def test_the_verifier_accepts_1edtechs_own_signed_credential(loader) -> None:
    signed = {
        **copy.deepcopy(VECTOR_CREDENTIAL),
        "proof": {
            "type": "DataIntegrityProof",
            "created": "2010-01-01T19:23:24Z",
            "verificationMethod": VECTOR_METHOD,
            "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
            "proofValue": VECTOR_PROOF_VALUE,
        },
    }
    issuer_id = VECTOR_CREDENTIAL["issuer"]["id"]
    profile = {
        "id": issuer_id,
        "verificationMethod": [
            {"id": VECTOR_METHOD, "type": "Multikey", "controller": issuer_id, "publicKeyMultibase": VECTOR_MULTIKEY}
        ],
        "assertionMethod": [VECTOR_METHOD],
    }
    verify_independently(signed, profile, loader)


def test_the_verifier_refuses_contexts_it_has_not_pinned(published_profile, loader) -> None:
    credential = downloaded(make_signed_credential())
    credential["@context"].append("https://evil.example/context.json")
    with pytest.raises(Untrusted, match="evil.example"):
        verify_independently(credential, published_profile, loader)
    assert "https://evil.example/context.json" not in loader.served
