"""What a certificate consists of, produced once at issue: the PDF in the learner's language and the signed credential.

Also the signed status list. Everything here reads the platform's settings (key, URLs) and the course as loaded;
nothing touches the database.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.accounts.models import User
from app.certificates import platform
from app.certificates.credential import (
    CertificateClaim,
    CourseAchievement,
    StatusEntry,
    build_credential,
    completion_criteria,
    schema_errors,
)
from app.certificates.pdf import CertificateDocument, render_certificate_pdf
from app.certificates.signing import sign_credential
from app.certificates.status_list import signed_status_list_credential
from app.config import DEFAULT_LOCALE, LOCALES
from app.courseware.models import Course
from app.db import utcnow
from app.i18n import pick

# fpdf2 subsets the font through fontTools, which logs dozens of INFO lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def course_achievement(course: Course) -> CourseAchievement:
    """The course as the credential's Achievement, with its texts and criteria in every language it has."""
    module_titles = {locale: [str(pick(module.title, locale)) for module in course.modules] for locale in LOCALES}
    return CourseAchievement(id=platform.achievement_id(course.slug), title=course.title,
                             description=course.summary or course.title,
                             criteria=completion_criteria(module_titles))


def rendered_pdf(course: Course, user: User, name: str, code: str, issued_at: datetime) -> dict[str, Any]:
    """A new certificate's PDF, in the learner's language, and its SHA-256, as column values."""
    locale = user.locale if user.locale in LOCALES else DEFAULT_LOCALE
    issuer = platform.issuer()
    document = CertificateDocument(
        certificate_name=name, course_title=str(pick(course.title, locale)),
        module_titles=[str(pick(module.title, locale)) for module in course.modules], issued_at=issued_at,
        issuer_name=issuer.name, code=code, verification_url=platform.verification_url(code), locale=locale)
    pdf = render_certificate_pdf(document)
    return {"locale": locale, "issuer_name": issuer.name, "pdf": pdf, "pdf_sha256": hashlib.sha256(pdf).hexdigest()}


def signed_credential(course: Course, name: str, code: str, locale: str, issued_at: datetime,
                      status_index: int) -> dict[str, Any]:
    """The certificate's Open Badges credential, signed with the platform key and checked against the schema."""
    claim = CertificateClaim(
        verification_url=platform.verification_url(code), subject_id=f"urn:uuid:{uuid.uuid4()}",
        certificate_name=name, locale=locale, issued_at=issued_at,
        status=StatusEntry(platform.status_list_url(), status_index))
    unsigned = build_credential(platform.issuer(), course_achievement(course), claim)
    signed = sign_credential(unsigned, platform.signing_key(), platform.verification_method())
    problems = schema_errors(signed)
    if problems:  # a programming error, never the learner's: refuse rather than publish an invalid credential
        raise RuntimeError("the credential fails the Open Badges schema: " + "; ".join(problems))
    return signed


def signed_status_list(revoked: Iterable[int]) -> dict[str, Any]:
    """The revocation status list with the ``revoked`` indexes set, signed now."""
    return signed_status_list_credential(platform.status_list_url(), platform.issuer().id, revoked,
                                         utcnow(), platform.signing_key(), platform.verification_method())
