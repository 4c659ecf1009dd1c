"""Revocation published as a W3C Bitstring Status List, so a verifier can check status without asking about one code.

Each certificate owns one bit of a long bitstring, at the index its ``credentialStatus`` names; a set bit means
revoked. The platform publishes the whole list as a signed ``BitstringStatusListCredential``: a verifier fetches it,
checks its proof like any credential, and reads one bit. Because everyone fetches the same 16 KiB list, the server
does not learn which certificate is being checked. Indexes are handed out at random, as the spec recommends, so
neighbouring bits say nothing about when certificates were issued.

Encoding (spec section "Bitstring Encoding"): index 0 is the left-most bit of the first byte; the bitstring is
GZIP-compressed and written as multibase base64url without padding (prefix ``u``).
"""

from __future__ import annotations

import base64
import gzip
import secrets
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates.credential import xsd_datetime
from app.certificates.jsonld import VC_V2
from app.certificates.signing import sign_credential

LIST_LENGTH = 131_072  # bits; the spec's minimum, 16 KiB, for herd privacy


def encode_status_list(revoked: Iterable[int], length: int = LIST_LENGTH) -> str:
    """The ``encodedList`` value for a list of ``length`` bits with the ``revoked`` indexes set."""
    if length % 8:
        raise ValueError("a status list is a whole number of bytes")
    bits = bytearray(length // 8)
    for index in revoked:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} is outside the list of {length}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the output identical for identical lists.
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """The raw bitstring behind an ``encodedList`` value."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is multibase base64url and starts with 'u'")
    payload = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    """Whether bit ``index`` (0 = left-most bit of the first byte) is set."""
    if not 0 <= index < len(bitstring) * 8:
        raise IndexError(f"status index {index} is outside the list")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def pick_status_index(taken: Collection[int], length: int = LIST_LENGTH) -> int:
    """A random index that no certificate uses yet; ValueError when the list is full."""
    if len(taken) >= length:
        raise ValueError("the status list is full")
    while True:
        index = secrets.randbelow(length)
        if index not in taken:
            return index


def build_status_list_credential(
    list_url: str, issuer_id: str, revoked: Iterable[int], valid_from: datetime, length: int = LIST_LENGTH
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` served at ``list_url``."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked, length),
        },
    }


def signed_status_list_credential(
    list_url: str,
    issuer_id: str,
    revoked: Iterable[int],
    valid_from: datetime,
    private_key: Ed25519PrivateKey,
    verification_method: str,
) -> dict[str, Any]:
    """The status list credential, signed like the certificates; re-issue it whenever a certificate is revoked."""
    unsigned = build_status_list_credential(list_url, issuer_id, revoked, valid_from)
    return sign_credential(unsigned, private_key, verification_method)


def is_revoked(status_list_credential: Mapping[str, Any], status_entry: Mapping[str, Any]) -> bool:
    """Whether the list marks the certificate whose ``credentialStatus`` is ``status_entry`` as revoked.

    Checks that the entry points at this list and that both speak of revocation; the caller checks the list's
    proof first.
    """
    subject = status_list_credential["credentialSubject"]
    if status_entry.get("statusListCredential") != status_list_credential.get("id"):
        raise ValueError("the status entry points at another list")
    if status_entry.get("statusPurpose") != "revocation" or subject.get("statusPurpose") != "revocation":
        raise ValueError("not a revocation status")
    return bit_is_set(decode_status_list(subject["encodedList"]), int(status_entry["statusListIndex"]))
