"""The revocation list: one bit per certificate, compressed and signed, read the way the W3C spec says."""

from __future__ import annotations

import copy
import re

import pytest

from app.certificates.signing import verify_credential
from app.certificates.status_list import (
    LIST_LENGTH,
    bit_is_set,
    build_status_list_credential,
    decode_status_list,
    encode_status_list,
    is_revoked,
    pick_status_index,
    signed_status_list_credential,
)

from .builders import ISSUED_AT, ISSUER, STATUS_LIST_URL, TEST_KEY, TEST_VERIFICATION_METHOD, make_credential

REVOKED = [0, 7, 8, 4242, LIST_LENGTH - 1]


def test_revoked_indexes_and_only_those_are_set() -> None:
    bits = decode_status_list(encode_status_list(REVOKED))
    assert len(bits) == LIST_LENGTH // 8 == 16_384
    assert [index for index in range(LIST_LENGTH) if bit_is_set(bits, index)] == REVOKED


def test_index_zero_is_the_left_most_bit_of_the_first_byte() -> None:
    bits = decode_status_list(encode_status_list([0, 9]))
    assert bits[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_the_encoding_is_multibase_base64url_without_padding() -> None:
    encoded = encode_status_list(REVOKED)
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)


def test_an_empty_list_is_small_and_the_same_every_time() -> None:
    assert encode_status_list([]) == encode_status_list([])
    assert len(encode_status_list([])) < 100


def test_an_index_outside_the_list_is_refused() -> None:
    for index in (-1, LIST_LENGTH):
        with pytest.raises(ValueError):
            encode_status_list([index])


def test_new_indexes_are_random_and_never_reuse_one_taken() -> None:
    taken = set(range(0, LIST_LENGTH, 2))
    picked = {pick_status_index(taken) for _ in range(200)}
    assert all(index % 2 == 1 for index in picked)
    assert len(picked) > 150
    with pytest.raises(ValueError, match="full"):
        pick_status_index(range(8), length=8)


@pytest.fixture(scope="module")
def status_list() -> dict:
    return signed_status_list_credential(
        STATUS_LIST_URL, ISSUER.id, [4242], ISSUED_AT, TEST_KEY, TEST_VERIFICATION_METHOD
    )


def test_the_status_list_is_a_signed_bitstring_status_list_credential(status_list: dict) -> None:
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["id"] == STATUS_LIST_URL
    assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    assert verify_credential(status_list, TEST_KEY.public_key())


def test_editing_the_list_breaks_its_signature(status_list: dict) -> None:
    forged = copy.deepcopy(status_list)
    forged["credentialSubject"]["encodedList"] = encode_status_list([])
    assert not verify_credential(forged, TEST_KEY.public_key())


def test_a_certificate_is_revoked_exactly_when_its_bit_is_set(status_list: dict) -> None:
    revoked_entry = make_credential()["credentialStatus"]
    valid_entry = {**revoked_entry, "statusListIndex": "4243", "id": f"{STATUS_LIST_URL}#4243"}
    assert is_revoked(status_list, revoked_entry)
    assert not is_revoked(status_list, valid_entry)


def test_an_entry_for_another_list_is_not_read_from_this_one(status_list: dict) -> None:
    entry = {**make_credential()["credentialStatus"], "statusListCredential": "https://elsewhere.example/list"}
    with pytest.raises(ValueError, match="another list"):
        is_revoked(status_list, entry)


def test_the_unsigned_list_says_when_it_was_issued() -> None:
    unsigned = build_status_list_credential(STATUS_LIST_URL, ISSUER.id, [], ISSUED_AT)
    assert unsigned["validFrom"] == "2026-11-25T06:44:51Z"
    assert "proof" not in unsigned
