"""Signing: keys kept safely, proofs that 1EdTech's test vector agrees with, and any change to signed data caught."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld.jsonld import JsonLdError

from app.certificates.jsonld import CONTEXTS_DIR, UnsignableDocument, canonicalize, load_pinned_document
from app.certificates.signing import (
    KEY_FILE_NAME,
    ProofError,
    check_proof,
    generate_signing_key,
    jwks_document,
    load_or_create_signing_key,
    load_signing_key,
    public_key_from_multibase,
    public_key_multibase,
    save_signing_key,
    sign_credential,
    signing_key_from_pem,
    signing_key_to_pem,
    verification_method_id,
    verify_credential,
)

from .builders import ISSUER, TEST_KEY, TEST_VERIFICATION_METHOD, make_credential, make_signed_credential
from .vector_1edtech import (
    VECTOR_CREDENTIAL,
    VECTOR_DOCUMENT_HASH,
    VECTOR_METHOD,
    VECTOR_MULTIKEY,
    VECTOR_PROOF_CANON,
    VECTOR_PROOF_HASH,
    VECTOR_PROOF_VALUE,
    VECTOR_SEED,
)


def sign_vector() -> dict[str, Any]:
    key = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED)
    return sign_credential(VECTOR_CREDENTIAL, key, VECTOR_METHOD, created=datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC))


# --- agreement with 1EdTech's published test vector -------------------------------------------------------------


def test_the_vector_key_has_the_published_multikey() -> None:
    assert public_key_multibase(Ed25519PrivateKey.from_private_bytes(VECTOR_SEED).public_key()) == VECTOR_MULTIKEY


def test_canonical_forms_and_hashes_match_the_vector() -> None:
    document_canon = canonicalize(VECTOR_CREDENTIAL)
    assert hashlib.sha256(document_canon.encode()).hexdigest() == VECTOR_DOCUMENT_HASH
    proof_config = {"@context": VECTOR_CREDENTIAL["@context"], **sign_vector()["proof"][0]}
    del proof_config["proofValue"]
    proof_canon = canonicalize(proof_config)
    assert proof_canon == VECTOR_PROOF_CANON
    assert hashlib.sha256(proof_canon.encode()).hexdigest() == VECTOR_PROOF_HASH


def test_signing_the_vector_gives_1edtechs_proof_value_byte_for_byte() -> None:
    signed = sign_vector()
    assert signed["proof"][0]["proofValue"] == VECTOR_PROOF_VALUE
    assert verify_credential({**signed, "proof": signed["proof"][0]}, public_key_from_multibase(VECTOR_MULTIKEY))


# --- sign and verify --------------------------------------------------------------------------------------------


def test_a_signed_credential_verifies_with_the_issuers_key() -> None:
    signed = make_signed_credential()
    assert verify_credential(signed, TEST_KEY.public_key())
    [proof] = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == f"{ISSUER.id}#{public_key_multibase(TEST_KEY.public_key())}"
    assert proof["created"] == signed["validFrom"]


def flip_one_byte(text: str) -> str:
    """The same text with its last character's code point moved by one: a one-byte change for ASCII."""
    return text[:-1] + chr(ord(text[-1]) ^ 1)


SIGNED_VALUES = [
    ("id",),
    ("name",),
    ("validFrom",),
    ("issuer", "id"),
    ("issuer", "name"),
    ("credentialSubject", "id"),
    ("credentialSubject", "identifier", 0, "identityHash"),
    ("credentialSubject", "achievement", "name"),
    ("credentialSubject", "achievement", "criteria", "narrative"),
    ("credentialStatus", "statusListIndex"),
    ("credentialStatus", "statusListCredential"),
    ("credentialSchema", 0, "id"),
    ("proof", 0, "created"),
]


@pytest.mark.parametrize("path", SIGNED_VALUES, ids=lambda path: ".".join(map(str, path)))
def test_changing_one_byte_of_any_signed_value_breaks_the_signature(path: tuple) -> None:
    tampered = copy.deepcopy(make_signed_credential())
    holder = tampered
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = flip_one_byte(holder[path[-1]])
    assert not verify_credential(tampered, TEST_KEY.public_key())


def test_a_changed_kazakh_letter_in_the_name_breaks_the_signature() -> None:
    tampered = copy.deepcopy(make_signed_credential())
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Асем Құрманғалиқызы"
    with pytest.raises(ProofError, match="signature does not match"):
        check_proof(tampered, TEST_KEY.public_key())


def test_an_added_property_is_refused_whether_or_not_a_context_defines_it() -> None:
    for extra in ({"description": "Құрметті сертификат"}, {"honour": "yes"}):
        assert not verify_credential({**make_signed_credential(), **extra}, TEST_KEY.public_key())


def test_reordering_and_reformatting_the_json_keeps_it_valid() -> None:
    reformatted = json.loads(json.dumps(make_signed_credential(), sort_keys=True, indent=3, ensure_ascii=True))
    reordered = dict(reversed(list(reformatted.items())))
    assert verify_credential(reordered, TEST_KEY.public_key())


def test_another_key_does_not_verify_it() -> None:
    assert not verify_credential(make_signed_credential(), generate_signing_key().public_key())


def test_a_proof_whose_key_is_not_controlled_by_the_issuer_is_refused() -> None:
    forged = sign_credential(
        make_credential(), TEST_KEY, verification_method_id("https://elsewhere.example/issuer", TEST_KEY.public_key())
    )
    with pytest.raises(ProofError, match="controller"):
        check_proof(forged, TEST_KEY.public_key())


@pytest.mark.parametrize(
    "change",
    [
        lambda proof: proof.update(cryptosuite="ecdsa-rdfc-2019"),
        lambda proof: proof.update(proofPurpose="authentication"),
        lambda proof: proof.update(proofValue="u" + proof["proofValue"][1:]),
        lambda proof: proof.pop("proofValue"),
    ],
)
def test_a_proof_of_another_kind_is_refused(change) -> None:
    signed = copy.deepcopy(make_signed_credential())
    change(signed["proof"][0])
    assert not verify_credential(signed, TEST_KEY.public_key())


def test_two_proofs_or_none_are_refused() -> None:
    signed = make_signed_credential()
    assert not verify_credential({**signed, "proof": signed["proof"] * 2}, TEST_KEY.public_key())
    assert not verify_credential(make_credential(), TEST_KEY.public_key())


def test_a_credential_is_never_signed_twice() -> None:
    with pytest.raises(ValueError, match="already has a proof"):
        sign_credential(make_signed_credential(), TEST_KEY, TEST_VERIFICATION_METHOD)


# --- the pinned context loader ----------------------------------------------------------------------------------


def test_the_loader_serves_pinned_contexts_and_refuses_any_other_url() -> None:
    assert load_pinned_document("https://www.w3.org/ns/credentials/v2")["document"]["@context"]
    for url in ("https://evil.example/context.json", "http://www.w3.org/ns/credentials/v2", "file:///etc/passwd"):
        with pytest.raises(JsonLdError):
            load_pinned_document(url)


def test_a_credential_citing_an_unpinned_context_neither_signs_nor_verifies() -> None:
    credential = make_credential()
    credential["@context"] = [*credential["@context"], "https://evil.example/context.json"]
    with pytest.raises(JsonLdError):
        sign_credential(credential, TEST_KEY, TEST_VERIFICATION_METHOD)
    signed = make_signed_credential()
    assert not verify_credential({**signed, "@context": credential["@context"]}, TEST_KEY.public_key())


# --- keys -------------------------------------------------------------------------------------------------------


def test_a_saved_key_loads_back_and_only_its_owner_can_read_it(tmp_path: Path) -> None:
    key = generate_signing_key()
    path = save_signing_key(key, tmp_path)
    assert path == tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key_multibase(load_signing_key(tmp_path).public_key()) == public_key_multibase(key.public_key())
    assert list(tmp_path.iterdir()) == [path]


def test_an_existing_key_is_never_overwritten(tmp_path: Path) -> None:
    save_signing_key(generate_signing_key(), tmp_path)
    before = (tmp_path / KEY_FILE_NAME).read_bytes()
    with pytest.raises(FileExistsError):
        save_signing_key(generate_signing_key(), tmp_path)
    assert (tmp_path / KEY_FILE_NAME).read_bytes() == before


def test_the_key_is_created_on_first_use_and_the_same_afterwards(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    first = load_or_create_signing_key(instance)
    second = load_or_create_signing_key(instance)
    assert public_key_multibase(first.public_key()) == public_key_multibase(second.public_key())


def test_a_key_from_configuration_is_read_from_pem() -> None:
    pem = signing_key_to_pem(TEST_KEY).decode()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert public_key_multibase(signing_key_from_pem(pem).public_key()) == public_key_multibase(TEST_KEY.public_key())


def test_multikey_values_round_trip_and_start_with_z6mk() -> None:
    value = public_key_multibase(TEST_KEY.public_key())
    assert value.startswith("z6Mk")
    assert public_key_multibase(public_key_from_multibase(value)) == value
    for wrong in ("u" + value[1:], "z" + value[2:], "zQ3s" + value[4:]):
        with pytest.raises(ValueError):
            public_key_from_multibase(wrong)


def test_the_jwks_publishes_the_same_key_with_the_issuer_as_iss() -> None:
    [jwk] = jwks_document(ISSUER.id, [TEST_KEY.public_key()])["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert jwk["iss"] == ISSUER.id
    assert jwk["kid"] == TEST_VERIFICATION_METHOD
    raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    assert raw == TEST_KEY.public_key().public_bytes_raw()
    assert "d" not in jwk


def test_a_credential_with_data_the_signature_would_not_cover_is_not_signed() -> None:
    with pytest.raises(UnsignableDocument, match="honour"):
        sign_credential({**make_credential(), "honour": "yes"}, TEST_KEY, TEST_VERIFICATION_METHOD)


def test_every_shipped_context_matches_the_digest_recorded_beside_it() -> None:
    readme = (CONTEXTS_DIR / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(r"^([0-9a-f]{64})  (\S+)$", flags=re.MULTILINE)
    recorded = {name: digest for digest, name in pattern.findall(readme)}
    index = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
    assert set(index.values()) | {"index.json"} == set(recorded)
    for name, digest in recorded.items():
        assert hashlib.sha256((CONTEXTS_DIR / name).read_bytes()).hexdigest() == digest, name
