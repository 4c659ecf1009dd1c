"""Certificates as the tests need them: a Kazakh learner's credential, the platform's issuer, a fixed test key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates.credential import (
    CertificateClaim,
    CourseAchievement,
    Issuer,
    StatusEntry,
    build_credential,
    completion_criteria,
)
from app.certificates.signing import sign_credential, verification_method_id

BASE = "https://sanaly.example"
CODE = "SNL-N9R6-PC2J-M9HS-JB8D"
KAZAKH_NAME = "Әсем Құрманғалиқызы"
STATUS_LIST_URL = f"{BASE}/credentials/status/1"
ISSUED_AT = datetime(2026, 11, 25, 6, 44, 51, tzinfo=UTC)

ISSUER = Issuer(id=f"{BASE}/issuer", name="Sanaly", url=BASE, email="certificates@sanaly.example")

MODULES = {
    "kk": [
        "Заманауи шетелдік және отандық БАҚ-тағы террорист бейнесі",
        "Діни экстремизм мен терроризм идеологиясына қарсы иммунитет қалыптастырудағы журналистиканың рөлі",
        "Практикум. БАҚ-та террористік көріністерге қатысты оқиғаларды ақпараттандыру",
    ],
    "ru": [
        "Образ террориста в современных зарубежных и отечественных СМИ",
        "Роль журналистики в формировании иммунитета к идеологии религиозного экстремизма и терроризма",
        "Практикум. Информирование о событиях, связанных с террористическими проявлениями, в СМИ",
    ],
    "en": [
        "The image of the terrorist in foreign and domestic media",
        "The role of journalism in building immunity to the ideology of religious extremism and terrorism",
        "Practicum: informing the public about terrorist incidents",
    ],
}

ACHIEVEMENT = CourseAchievement(
    id=f"{BASE}/achievements/reporting-extremism",
    title={
        "kk": "Діни экстремизм мен терроризм тақырыбын БАҚ-та жариялау",
        "ru": "Освещение религиозного экстремизма и терроризма в СМИ",
        "en": "Reporting on religious extremism and terrorism in the media",
    },
    description={
        "kk": "Журналистерге арналған курс: террорист бейнесі, идеологияға қарсы иммунитет және практикум.",
        "ru": "Курс для журналистов: образ террориста, иммунитет к идеологии и практикум.",
        "en": "A course for journalists: the image of the terrorist, immunity to ideology, and a practicum.",
    },
    criteria=completion_criteria(MODULES),
)

CLAIM = CertificateClaim(
    verification_url=f"{BASE}/verify/{CODE}",
    subject_id="urn:uuid:2f0d5c1e-8a7b-4c33-9d1e-0a3b5c7d9e11",
    certificate_name=KAZAKH_NAME,
    locale="kk",
    issued_at=ISSUED_AT,
    status=StatusEntry(STATUS_LIST_URL, 4242),
)

# A fixed key keeps failures reproducible; it signs nothing outside these tests.
TEST_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TEST_VERIFICATION_METHOD = verification_method_id(ISSUER.id, TEST_KEY.public_key())


def make_credential(**claim_changes: Any) -> dict[str, Any]:
    """The unsigned credential for the sample learner, with any claim fields replaced."""
    return build_credential(ISSUER, ACHIEVEMENT, replace(CLAIM, **claim_changes))


def make_signed_credential(**claim_changes: Any) -> dict[str, Any]:
    """The sample credential signed with the test key."""
    return sign_credential(make_credential(**claim_changes), TEST_KEY, TEST_VERIFICATION_METHOD)
