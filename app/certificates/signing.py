"""Ed25519 keys and ``eddsa-rdfc-2022`` Data Integrity proofs for Sanaly's credentials.

One platform key signs every credential and status list. The proof follows W3C VC-DI-EDDSA: canonicalise the
credential and the proof options with RDFC-1.0 (pinned contexts, no network), hash each with SHA-256, sign
``hash(proof options) || hash(credential)`` with Ed25519, and write the signature as multibase base58btc.
The key is published three ways so that any verifier finds it: in the ``verificationMethod`` fragment
(``<issuer id>#z6Mk...``, which 1EdTech's validator reads), in the issuer Profile as a ``Multikey``, and in a JWKS
whose keys carry ``iss`` (1EdTech's recommended practice for key provenance).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld.jsonld import JsonLdError

from app.certificates.credential import Issuer, issuer_object, xsd_datetime
from app.certificates.jsonld import MULTIKEY_V1, OB_V3, VC_V2, UnsignableDocument, canonicalize

KEY_FILE_NAME = "ed25519-signing-key.pem"
CRYPTOSUITE = "eddsa-rdfc-2022"
_ED25519_PUBLIC_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as a varint


# --- keys -------------------------------------------------------------------------------------------------------


def generate_signing_key() -> Ed25519PrivateKey:
    """A new random Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def signing_key_to_pem(private_key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, the form ``openssl pkey`` and every library read."""
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def signing_key_from_pem(pem: bytes | str) -> Ed25519PrivateKey:
    """Read a PKCS#8 PEM Ed25519 key, e.g. one given by configuration in production."""
    key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 key")
    return key


def save_signing_key(private_key: Ed25519PrivateKey, directory: Path) -> Path:
    """Write the key to ``directory`` readable by its owner only; never overwrite an existing key.

    The key appears under its final name in one step (a hard link of a finished temporary file), so two
    processes starting at once never see half a key and the second one gets FileExistsError.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / KEY_FILE_NAME
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".signing-key-")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(signing_key_to_pem(private_key))
        os.link(temporary, target)
    finally:
        os.unlink(temporary)
    return target


def load_signing_key(directory: Path) -> Ed25519PrivateKey:
    """The key saved in ``directory``; FileNotFoundError when there is none."""
    return signing_key_from_pem((directory / KEY_FILE_NAME).read_bytes())


def load_or_create_signing_key(directory: Path) -> Ed25519PrivateKey:
    """The key in ``directory``, created on first use (a default install keeps it in ``instance/``)."""
    try:
        return load_signing_key(directory)
    except FileNotFoundError:
        pass
    with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
        save_signing_key(generate_signing_key(), directory)
    return load_signing_key(directory)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Multikey form: ``z`` + base58btc(0xed 0x01 || 32-byte key), which always starts with ``z6Mk``."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_PUBLIC_PREFIX + raw).decode("ascii")


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a ``z6Mk...`` Multikey value."""
    if not value.startswith("z"):
        raise ValueError("a Multikey value is multibase base58btc and starts with 'z'")
    decoded = base58.b58decode(value[1:])
    if len(decoded) != 34 or not decoded.startswith(_ED25519_PUBLIC_PREFIX):
        raise ValueError("not an Ed25519 Multikey value")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def verification_method_id(issuer_id: str, public_key: Ed25519PublicKey) -> str:
    """``<issuer id>#<publicKeyMultibase>``: names the key and, before the ``#``, its controller."""
    return f"{issuer_id}#{public_key_multibase(public_key)}"


# --- published documents ----------------------------------------------------------------------------------------


def issuer_profile_document(issuer: Issuer, public_keys: Sequence[Ed25519PublicKey]) -> dict[str, Any]:
    """The issuer Profile served at ``issuer.id``, with each key (current first) as a Multikey.

    Old keys stay listed after a rotation so that certificates signed with them still verify. The profile is not
    signed; verifiers read ``verificationMethod`` and ``assertionMethod`` as plain JSON.
    """
    methods = [
        {
            "id": verification_method_id(issuer.id, key),
            "type": "Multikey",
            "controller": issuer.id,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key in public_keys
    ]
    return {
        "@context": [VC_V2, OB_V3, MULTIKEY_V1],
        **issuer_object(issuer),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwks_document(issuer_id: str, public_keys: Sequence[Ed25519PublicKey]) -> dict[str, Any]:
    """The JWKS for ``/.well-known/jwks.json``: OKP Ed25519 keys whose ``iss`` is the issuer id."""
    keys = []
    for key in public_keys:
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii"),
                "kid": verification_method_id(issuer_id, key),
                "alg": "EdDSA",
                "use": "sig",
                "iss": issuer_id,
            }
        )
    return {"keys": keys}


# --- proofs -----------------------------------------------------------------------------------------------------


class ProofError(ValueError):
    """Why a credential's proof does not verify."""


def _hash_data(unsecured: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    proof_config = {"@context": unsecured["@context"], **proof_options}
    return (
        hashlib.sha256(canonicalize(proof_config).encode()).digest()
        + hashlib.sha256(canonicalize(dict(unsecured)).encode()).digest()
    )


def sign_credential(
    credential: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | None = None,
) -> dict[str, Any]:
    """A copy of ``credential`` with an embedded ``DataIntegrityProof`` (``eddsa-rdfc-2022``), as a one-item array.

    ``created`` defaults to the credential's ``validFrom``, so the same credential and key always give the same
    bytes. Raises UnsignableDocument if part of the credential would not be covered by the signature.
    """
    if "proof" in credential:
        raise ValueError("the credential already has a proof")
    stamp = xsd_datetime(created) if created else credential.get("validFrom") or xsd_datetime(datetime.now(UTC))
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": stamp,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(credential, options))
    proof = {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}
    return {**credential, "proof": [proof]}


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer


def check_proof(credential: Mapping[str, Any], public_key: Ed25519PublicKey) -> None:
    """Raise ProofError unless ``credential`` carries one valid proof by ``public_key`` on behalf of its issuer."""
    proofs = credential.get("proof")
    proofs = [proofs] if isinstance(proofs, Mapping) else proofs
    if not isinstance(proofs, list) or len(proofs) != 1 or not isinstance(proofs[0], Mapping):
        raise ProofError("expected exactly one embedded proof")
    proof = dict(proofs[0])
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"not a DataIntegrityProof with cryptosuite {CRYPTOSUITE}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    controller, _, fragment = str(proof.get("verificationMethod", "")).partition("#")
    if fragment != public_key_multibase(public_key):
        raise ProofError("the proof names a different key")
    if controller != _issuer_id(credential):
        raise ProofError("the key's controller is not the credential's issuer")
    proof_value = proof.pop("proofValue", None)
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise ProofError("proofValue is not multibase base58btc")
    try:
        signature = base58.b58decode(proof_value[1:])
    except ValueError as error:
        raise ProofError("proofValue is not base58btc") from error
    unsecured = {key: value for key, value in credential.items() if key != "proof"}
    try:
        public_key.verify(signature, _hash_data(unsecured, proof))
    except (UnsignableDocument, JsonLdError, KeyError, TypeError, ValueError) as error:
        raise ProofError(f"the credential cannot be canonicalised: {error}") from error
    except InvalidSignature as error:
        raise ProofError("the signature does not match the credential") from error


def verify_credential(credential: Mapping[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Whether ``credential`` carries a valid ``eddsa-rdfc-2022`` proof by ``public_key`` for its issuer."""
    try:
        check_proof(credential, public_key)
    except ProofError:
        return False
    return True
