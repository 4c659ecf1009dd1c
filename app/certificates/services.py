"""Issuing, revoking and correcting certificates; who may see which.

Eligibility and issuance happen in one transaction: the course is checked complete, then the certificate is
inserted under the partial unique index that allows one current certificate per learner and course, so two admins
issuing at once (or a retried job) end with one certificate, and the loser is handed the winner's. Everything a
certificate shows is produced once, at issue (documents.py), and stored: the PDF bytes, their SHA-256 and the
signed credential.
Services add and flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload, undefer

from app.accounts.models import User, search_key
from app.accounts.roles import Role
from app.admin.services import Page, paginate
from app.audit.services import record
from app.certificates import documents, platform
from app.certificates.codes import new_code, normalize_code
from app.certificates.models import CURRENT, Certificate, CertificateStatus, IllegalTransition, StatusList
from app.certificates.pdf import unsupported_characters
from app.certificates.status_list import pick_status_index
from app.courseware.models import Course
from app.courseware.services import course_outline
from app.db import utcnow
from app.progress.completion import ItemStatus
from app.progress.items import CourseProgress, progress_of
from app.upsert import insert_ignoring_conflict

PROGRESS_BATCH = 500
MAX_REASON_LENGTH = 500


class CertificateError(ValueError):
    """A request the certificate rules refuse; ``str()`` is a one-line reason in English (for the command line)."""


class NotEligible(CertificateError):
    def __init__(self, user: User, remaining: list[ItemStatus]) -> None:
        super().__init__(f"{user.email} has not completed the course: {len(remaining)} required items remain")
        self.remaining = remaining


class NameNotPrintable(CertificateError):
    def __init__(self, characters: list[str]) -> None:
        super().__init__(f"the certificate font cannot draw {' '.join(characters)}")
        self.characters = characters


class CertificateConflict(CertificateError):
    """Someone else changed the same certificate at the same moment; nothing was saved."""


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    created: bool


# --- who sees what ----------------------------------------------------------------------------------------------


def can_view_certificate(actor: User, certificate: Certificate) -> bool:
    """A learner sees their own certificates (PDF, history); admins see everyone's."""
    return certificate.user_id == actor.id or actor.role.includes(Role.ADMIN)


def visible_certificates(actor: User) -> Select:
    """The certificates ``actor`` may open, as a query to narrow further."""
    statement = select(Certificate)
    return statement if actor.role.includes(Role.ADMIN) else statement.where(Certificate.user_id == actor.id)


def find_visible(session, actor: User, code: str, *, with_pdf: bool = False) -> Certificate | None:
    """The certificate with ``code`` if ``actor`` may open it, else None (so a stranger's looks like a missing one)."""
    statement = visible_certificates(actor).where(Certificate.code == code)
    if with_pdf:
        statement = statement.options(undefer(Certificate.pdf))
    return session.scalar(statement.options(selectinload(Certificate.user), selectinload(Certificate.course)))


# --- lookups ----------------------------------------------------------------------------------------------------


def current_certificate(session, user_id: int, course_id: int) -> Certificate | None:
    return session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.course_id == course_id,
        Certificate.status == CertificateStatus.VALID))


def find_by_code(session, code: str, *, with_credential: bool = False) -> Certificate | None:
    """The certificate for a typed or canonical code, with its course and successor loaded; None when unknown."""
    canonical = normalize_code(code)
    if canonical is None:
        return None
    statement = (select(Certificate).where(Certificate.code == canonical)
                 .options(selectinload(Certificate.course), selectinload(Certificate.superseded_by)))
    if with_credential:
        statement = statement.options(undefer(Certificate.credential))
    return session.scalar(statement)


def certificates_of(session, user_id: int, course_id: int) -> list[Certificate]:
    """A learner's certificates for a course, newest first: the current one and those it replaced."""
    return list(session.scalars(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id == course_id)
        .options(selectinload(Certificate.superseded_by))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def certificates_page(session, *, search: str | None, page: int) -> Page:
    """Every certificate, newest first, searchable by the name on it, the learner's name or e-mail, or the code."""
    statement = (select(Certificate).join(Certificate.user)
                 .options(contains_eager(Certificate.user), selectinload(Certificate.course))
                 .order_by(Certificate.issued_at.desc(), Certificate.id.desc()))
    if search:
        key = search_key(search)
        condition = Certificate.search_text.contains(key, autoescape=True) | User.search_text.contains(
            key, autoescape=True)
        if code := normalize_code(search):
            condition |= Certificate.code == code
        statement = statement.where(condition)
    return paginate(session, statement, page)


@dataclass(frozen=True)
class PublicRecord:
    """What the public verification page may say about a certificate: nothing else about the learner."""

    code: str
    certificate_name: str
    course_title: dict[str, str]
    issued_at: datetime
    issuer_name: str
    status: CertificateStatus
    pdf_sha256: str
    revoked_at: datetime | None
    revoke_reason: str | None
    superseded_at: datetime | None
    superseded_by_code: str | None


def public_record(certificate: Certificate) -> PublicRecord:
    successor = certificate.superseded_by
    return PublicRecord(
        code=certificate.code, certificate_name=certificate.certificate_name, course_title=certificate.course.title,
        issued_at=certificate.issued_at, issuer_name=certificate.issuer_name, status=certificate.status,
        pdf_sha256=certificate.pdf_sha256,
        revoked_at=certificate.revoked_at, revoke_reason=certificate.revoke_reason,
        superseded_at=certificate.superseded_at, superseded_by_code=successor.code if successor else None)


@dataclass(frozen=True)
class LearnerCertificate:
    """What a learner's certificate page shows for one course."""

    course: Course
    progress: CourseProgress
    current: Certificate | None
    earlier: list[Certificate]

    @property
    def remaining(self) -> list[ItemStatus]:
        return [status for module in self.progress.modules for status in module.remaining]


def learner_certificate(session, course: Course, user: User) -> LearnerCertificate:
    """The learner's progress, current certificate and earlier (revoked or superseded) ones in ``course``."""
    mine = certificates_of(session, user.id, course.id)
    current = next((c for c in mine if c.is_current), None)
    progress = _progress(session, course, [user.id])[user.id]
    return LearnerCertificate(course, progress, current, [c for c in mine if c is not current])


# --- eligibility ------------------------------------------------------------------------------------------------


def _progress(session, course: Course, user_ids: list[int]) -> dict[int, CourseProgress]:
    """Progress names each item's page with url_for: give it BASE_URL when there is no web request (command line,
    background job)."""
    with platform.at_base_url():
        return progress_of(session, course, user_ids)


def check_eligible(session, course: Course, user: User) -> CourseProgress:
    """The learner's progress if the course is complete; NotEligible (with what remains) otherwise."""
    progress = _progress(session, course, [user.id])[user.id]
    if not progress.complete:
        raise NotEligible(user, [status for module in progress.modules for status in module.remaining])
    return progress


def eligible_learners(session, course: Course) -> list[User]:
    """Everyone who has completed ``course`` and holds no current certificate for it, in account order.

    Progress is computed for a batch of accounts at a time: a fixed number of queries per batch.
    """
    holders = select(Certificate.user_id).where(Certificate.course_id == course.id, CURRENT)
    candidates = list(session.scalars(select(User).where(User.id.not_in(holders)).order_by(User.id)))
    eligible = []
    for start in range(0, len(candidates), PROGRESS_BATCH):
        batch = candidates[start:start + PROGRESS_BATCH]
        progress = _progress(session, course, [user.id for user in batch])
        eligible += [user for user in batch if progress[user.id].complete]
    return eligible


# --- issuing ----------------------------------------------------------------------------------------------------


def printable_name(name: str) -> str:
    """The name as entered (only surrounding spaces dropped); NameNotPrintable if the PDF font lacks a letter."""
    name = (name or "").strip()
    if not name:
        raise CertificateError("the certificate name is empty")
    missing = unsupported_characters(name)
    if missing:
        raise NameNotPrintable(missing)
    return name


def _insert_certificate(session, course: Course, user: User, name: str, *, actor: User | None,
                        course_version: int) -> Certificate | None:
    """Render, sign and insert a new current certificate; None if another one became current meanwhile."""
    issued_at = utcnow().replace(microsecond=0)
    code = new_code()
    status_index = pick_status_index(set(session.scalars(select(Certificate.status_index))))
    values = documents.rendered_pdf(course, user, name, code, issued_at)
    values.update(
        code=code, user_id=user.id, course_id=course.id, course_version=course_version, certificate_name=name,
        issued_at=issued_at, issued_by_id=actor.id if actor else None, status_index=status_index,
        status=CertificateStatus.VALID, search_text=search_key(name, code),
        credential=documents.signed_credential(course, name, code, values["locale"], issued_at, status_index))
    if not insert_ignoring_conflict(Certificate, values, ["user_id", "course_id"], where=CURRENT):
        return None
    return current_certificate(session, user.id, course.id)


def issue_certificate(session, course: Course, user: User, *, actor: User | None) -> Issued:
    """The learner's current certificate for ``course``, issued now if the course is complete (audited).

    Issuing again returns the same certificate. ``course`` must have its live modules loaded (course_outline).
    """
    existing = current_certificate(session, user.id, course.id)
    if existing is not None:
        return Issued(existing, False)
    check_eligible(session, course, user)
    name = printable_name(user.certificate_name)
    certificate = _insert_certificate(session, course, user, name, actor=actor, course_version=course.version)
    if certificate is None:  # another admin, tab or job issued it between our check and our insert
        return Issued(current_certificate(session, user.id, course.id), False)
    record("certificate.issued", actor=actor, subject=user, object_type="certificate", object_id=certificate.code,
           course=course.slug, name=name)
    return Issued(certificate, True)


def issue_by_slug(session, course_slug: str, user: User, *, actor: User | None) -> Issued:
    return issue_certificate(session, course_outline(session, course_slug), user, actor=actor)


# --- revoking and correcting ------------------------------------------------------------------------------------


def revoke_certificate(session, certificate: Certificate, reason: str, *, actor: User | None) -> None:
    """Withdraw a certificate with a reason (audited) and publish the re-signed status list."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("give a reason for revoking the certificate")
    if len(reason) > MAX_REASON_LENGTH:
        raise CertificateError(f"the reason is longer than {MAX_REASON_LENGTH} characters")
    try:
        certificate.revoke(reason, utcnow())
    except IllegalTransition as error:
        raise CertificateError(str(error)) from error
    session.flush()
    publish_status_list(session)
    record("certificate.revoked", actor=actor, subject=certificate.user, object_type="certificate",
           object_id=certificate.code, reason=reason)


def reissue_certificate(session, certificate: Certificate, name: str, *, actor: User | None) -> Certificate:
    """A new certificate with the corrected ``name`` that supersedes ``certificate`` (audited).

    The learner's certificate name becomes ``name`` too, so later certificates carry it.
    """
    name = printable_name(name)
    user, course = certificate.user, course_outline(session, certificate.course.slug)
    old_name = certificate.certificate_name
    try:
        certificate.supersede(utcnow())
    except IllegalTransition as error:
        raise CertificateError(str(error)) from error
    user.certificate_name = name
    session.flush()
    successor = _insert_certificate(session, course, user, name, actor=actor,
                                    course_version=certificate.course_version)
    if successor is None:
        raise CertificateConflict("the certificate was reissued by someone else at the same time")
    certificate.superseded_by = successor
    record("certificate.reissued", actor=actor, subject=user, object_type="certificate", object_id=successor.code,
           replaces=certificate.code, old_name=old_name, new_name=name)
    return successor


def reissue_for_corrected_name(session, user: User, *, actor: User | None) -> list[Certificate]:
    """After ``user`` changed their certificate name: reissue each current certificate that shows the old one."""
    outdated = session.scalars(select(Certificate).where(
        Certificate.user_id == user.id, CURRENT, Certificate.certificate_name != user.certificate_name.strip())
        .options(selectinload(Certificate.course)))
    return [reissue_certificate(session, certificate, user.certificate_name, actor=actor)
            for certificate in list(outdated)]


# --- the status list --------------------------------------------------------------------------------------------


def publish_status_list(session) -> StatusList:
    """Re-sign the status list from every revoked certificate and store it, holding the list's row lock.

    The lock (PostgreSQL) or the single writer (SQLite) means two revocations at once both end up in the list.
    """
    insert_ignoring_conflict(StatusList, {"id": platform.STATUS_LIST_ID, "credential": {}, "updated_at": utcnow()},
                             ["id"])
    row = session.scalar(select(StatusList).where(StatusList.id == platform.STATUS_LIST_ID).with_for_update())
    revoked = session.scalars(select(Certificate.status_index).where(
        Certificate.status == CertificateStatus.REVOKED))
    row.credential, row.updated_at = documents.signed_status_list(revoked), utcnow()
    session.flush()
    return row


def status_list_credential(session, list_id: int) -> dict[str, Any] | None:
    """The signed status list as published; before any revocation, a freshly signed empty one."""
    if list_id != platform.STATUS_LIST_ID:
        return None
    row = session.get(StatusList, list_id)
    return row.credential if row is not None and row.credential else documents.signed_status_list([])
