"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential 2.0).

The shape follows the 1EdTech JSON Schema, which is stricter than the data model (see the Open Badges notes):
``type`` is an array except in ``IdentityObject``, ``credentialSchema`` is an array, ``credentialStatus`` is one
object with an ``id``, and every date carries its zone (``Z``). The learner's certificate name travels as an
``IdentityObject`` with ``identityType: name``, because OB 3.0 gives the subject no ``name`` of its own; no e-mail
or account id goes into the credential.

The credential's ``id`` is the certificate's public verification URL (``<base>/verify/<code>``), so the id a wallet
shows and the code on the verification page and the PDF are the same thing.

Everything here is plain data in, plain data out: the web layer decides URLs and stores what comes back, and
``signing.sign_credential`` adds the proof.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator

from app.certificates.jsonld import OB_EXTENSIONS, OB_V3, VC_V2
from app.config import DEFAULT_LOCALE
from app.i18n import LANGUAGE_NAMES, pick

SCHEMAS_DIR = Path(__file__).parent / "schemas"
ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)

_CREDENTIAL_NAME = {
    "kk": "«{course}» курсын аяқтағаны туралы сертификат",
    "ru": "Сертификат о прохождении курса «{course}»",
    "en": "Certificate of completion: {course}",
}
_CRITERIA_INTRO = {
    "kk": "Курстың барлық модулі аяқталды: курс талап ететін әр оқу материалы оқылды, әр модульдің тесті "
    "тапсырылды, практикум сценарийі шекті балдан төмен емес нәтижемен аяқталды және жазбаша тапсырманы тренер "
    "қабылдады.",
    "ru": "Пройдены все модули курса: прочитаны все материалы, которых требуют правила курса, сданы тесты каждого "
    "модуля, сценарий практикума пройден не ниже порогового балла, письменное задание принято тренером.",
    "en": "Every module of the course completed: each reading the course rules require was read, each module quiz "
    "passed, the practicum scenario finished at or above its threshold, and the written assignment accepted by a "
    "trainer.",
}


@dataclass(frozen=True)
class Issuer:
    """The organisation that issues certificates; ``id`` is an absolute URL that serves its Profile."""

    id: str
    name: str
    url: str
    email: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class CourseAchievement:
    """What a certificate attests: one course, with its texts per locale (``kk`` is the fallback)."""

    id: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    criteria: Mapping[str, str]


@dataclass(frozen=True)
class StatusEntry:
    """Where a certificate's revocation bit lives: the status list credential's URL and the bit's index."""

    list_url: str
    index: int


@dataclass(frozen=True)
class CertificateClaim:
    """One learner's certificate, as the credential states it."""

    verification_url: str
    subject_id: str
    certificate_name: str
    locale: str
    issued_at: datetime
    status: StatusEntry


def xsd_datetime(moment: datetime) -> str:
    """``2026-11-25T06:44:51Z``: UTC, whole seconds, with the zone the schema insists on."""
    if moment.tzinfo is None:
        raise ValueError("a credential date needs a time zone; pass an aware datetime")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def completion_criteria(module_titles: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Criteria narratives per locale, listing the modules, for courses whose rules are the usual ones."""
    narratives = {}
    for locale, intro in _CRITERIA_INTRO.items():
        titles = module_titles.get(locale) or module_titles.get(DEFAULT_LOCALE) or ()
        lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
        narratives[locale] = "\n".join([intro, "", *lines]).strip()
    return narratives


def criteria_narrative(criteria: Mapping[str, str]) -> str:
    """One Markdown narrative with a section per language, so every reader finds theirs."""
    known = [locale for locale in LANGUAGE_NAMES if criteria.get(locale)]
    others = sorted(locale for locale in criteria if locale not in LANGUAGE_NAMES and criteria[locale])
    sections = [
        f"**{LANGUAGE_NAMES.get(locale, locale)}** ({locale})\n\n{criteria[locale].strip()}"
        for locale in known + others
    ]
    return "\n\n".join(sections)


def issuer_object(issuer: Issuer) -> dict[str, Any]:
    """The issuer as an OB ``Profile``: the part of the profile document that travels inside each credential."""
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url}
    if issuer.email:
        profile["email"] = issuer.email
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def achievement_object(achievement: CourseAchievement, locale: str) -> dict[str, Any]:
    """The OB ``Achievement`` in the learner's language, with the criteria in all the course's languages."""
    name = pick(achievement.title, locale)
    description = pick(achievement.description, name.locale)
    return {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": str(name),
        "description": str(description),
        "criteria": {"narrative": criteria_narrative(achievement.criteria)},
        "inLanguage": name.locale,
    }


def status_entry_object(status: StatusEntry) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for revocation; the index is a string, as the W3C spec requires."""
    if status.index < 0:
        raise ValueError("a status list index is never negative")
    return {
        "id": f"{status.list_url}#{status.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(status.index),
        "statusListCredential": status.list_url,
    }


def build_credential(issuer: Issuer, achievement: CourseAchievement, claim: CertificateClaim) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for one certificate; sign it with ``signing.sign_credential``."""
    issued = xsd_datetime(claim.issued_at)
    achievement_json = achievement_object(achievement, claim.locale)
    course_title = achievement_json["name"]
    return {
        # extensions.json defines the type of credentialSchema; without it that type would go unsigned.
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": claim.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _CREDENTIAL_NAME.get(achievement_json["inLanguage"], _CREDENTIAL_NAME["en"]).format(
            course=course_title
        ),
        "issuer": issuer_object(issuer),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": {
            "id": claim.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": claim.certificate_name,
                }
            ],
            "achievement": achievement_json,
            "result": [{"type": ["Result"], "status": "Completed"}],
        },
        "credentialSchema": [{"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": status_entry_object(claim.status),
    }


def certificate_name_of(credential: Mapping[str, Any]) -> str | None:
    """The learner's certificate name as the credential states it (its ``name`` IdentityObject)."""
    for identifier in credential.get("credentialSubject", {}).get("identifier", []):
        if identifier.get("identityType") == "name" and not identifier.get("hashed"):
            return identifier.get("identityHash")
    return None


@cache
def _validator(schema_file: str) -> Draft201909Validator:
    schema = json.loads((SCHEMAS_DIR / schema_file).read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(
    document: Mapping[str, Any], schema_file: str = "ob_v3p0_achievementcredential_schema.json"
) -> list[str]:
    """What the 1EdTech JSON Schema finds wrong with ``document``, one line per problem; empty when it is valid."""
    errors = _validator(schema_file).iter_errors(document)
    return sorted(
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}" for error in errors
    )
