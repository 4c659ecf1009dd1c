"""The Open Badges 3.0 credential: valid by 1EdTech's schema, with what an employer or a wallet needs and no more."""

from __future__ import annotations

import copy
from datetime import datetime

import pytest

from app.certificates.credential import certificate_name_of, schema_errors, xsd_datetime
from app.certificates.jsonld import UnsignableDocument, check_fully_defined
from app.certificates.signing import issuer_profile_document

from .builders import (
    ACHIEVEMENT,
    CODE,
    ISSUER,
    KAZAKH_NAME,
    STATUS_LIST_URL,
    TEST_KEY,
    make_credential,
    make_signed_credential,
)


def test_the_signed_credential_passes_the_1edtech_json_schema() -> None:
    assert schema_errors(make_signed_credential()) == []


def test_the_schema_check_catches_the_mistakes_the_notes_warn_about() -> None:
    credential = make_signed_credential()
    no_zone = {**credential, "validFrom": "2026-11-25T06:44:51"}
    status_array = {**credential, "credentialStatus": [credential["credentialStatus"]]}
    proof_object = {**credential, "proof": credential["proof"][0]}
    for broken in (no_zone, status_array, proof_object):
        assert schema_errors(broken) != []


def test_it_is_an_open_badge_credential_in_the_vc_2_shape() -> None:
    credential = make_credential()
    assert credential["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["type"] == ["AchievementSubject"]
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"


def test_its_id_is_the_verification_url_with_the_certificate_code() -> None:
    credential = make_credential()
    assert credential["id"] == f"https://sanaly.example/verify/{CODE}"


def test_dates_are_utc_with_a_zone() -> None:
    assert make_credential()["validFrom"] == "2026-11-25T06:44:51Z"
    with pytest.raises(ValueError, match="time zone"):
        xsd_datetime(datetime(2026, 11, 25, 6, 44, 51))


def test_the_learners_certificate_name_travels_exactly_as_entered_as_an_identity_object() -> None:
    credential = make_credential()
    assert credential["credentialSubject"]["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": KAZAKH_NAME}
    ]
    assert certificate_name_of(credential) == KAZAKH_NAME


def test_the_subject_carries_a_pseudonymous_id_the_name_and_the_achievement_and_nothing_else() -> None:
    subject = make_credential()["credentialSubject"]
    assert set(subject) == {"id", "type", "identifier", "achievement", "result"}
    assert subject["id"].startswith("urn:uuid:")
    assert [identifier["identityType"] for identifier in subject["identifier"]] == ["name"]


def test_the_achievement_is_in_the_learners_language_with_criteria_in_all_three() -> None:
    achievement = make_credential(locale="ru")["credentialSubject"]["achievement"]
    assert achievement["name"] == ACHIEVEMENT.title["ru"]
    assert achievement["inLanguage"] == "ru"
    assert achievement["achievementType"] == "CertificateOfCompletion"
    narrative = achievement["criteria"]["narrative"]
    for language, module in (
        ("Қазақша", "журналистиканың рөлі"),
        ("Русский", "Образ террориста"),
        ("English", "Practicum"),
    ):
        assert language in narrative
        assert module in narrative


def test_a_language_the_course_lacks_falls_back_to_kazakh() -> None:
    achievement = make_credential(locale="de")["credentialSubject"]["achievement"]
    assert achievement["name"] == ACHIEVEMENT.title["kk"]
    assert achievement["inLanguage"] == "kk"


def test_exactly_one_revocation_status_entry_points_at_the_status_list() -> None:
    assert make_credential()["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": STATUS_LIST_URL,
    }


def test_every_property_and_type_is_defined_so_the_signature_covers_all_of_it() -> None:
    check_fully_defined(make_credential())
    for extra in ({"nickname": "Әсем"}, {"type": ["VerifiableCredential", "OpenBadgeCredential", "Diploma"]}):
        with pytest.raises(UnsignableDocument):
            check_fully_defined({**make_credential(), **extra})


def test_without_the_extensions_context_the_schema_type_would_go_unsigned() -> None:
    credential = copy.deepcopy(make_credential())
    credential["@context"] = credential["@context"][:2]
    with pytest.raises(UnsignableDocument, match="1EdTechJsonSchemaValidator2019"):
        check_fully_defined(credential)


def test_the_issuer_profile_passes_the_profile_schema_and_publishes_the_key_as_multikey() -> None:
    profile = issuer_profile_document(ISSUER, [TEST_KEY.public_key()])
    assert schema_errors(profile, "ob_v3p0_profile_schema.json") == []
    [method] = profile["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["controller"] == ISSUER.id == profile["id"]
    assert method["id"] == f"{ISSUER.id}#{method['publicKeyMultibase']}"
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert profile["assertionMethod"] == [method["id"]]


def test_the_same_certificate_always_gives_the_same_credential() -> None:
    assert make_signed_credential() == make_signed_credential()
