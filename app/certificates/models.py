"""Issued certificates and the published revocation list.

A certificate keeps everything it was issued with: the name as entered then, the PDF bytes rendered once (and their
SHA-256, shown on the verification page), and the signed credential. None of it is ever re-rendered or re-signed;
a correction is a new certificate that supersedes the old one. At most one certificate per learner and course is
current (neither revoked nor superseded): a partial unique index holds that even when two admins issue at once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.courseware.models import Course, Json
from app.db import db, utcnow


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class IllegalTransition(ValueError):
    """A certificate cannot move to that status from the one it has."""


# The condition of the partial unique index; upserts name it to find their conflict target.
CURRENT = text("status = 'valid'")


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        Index("uq_certificate_current", "user_id", "course_id", unique=True,
              sqlite_where=CURRENT, postgresql_where=CURRENT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version: Mapped[int]
    certificate_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    issuer_name: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    credential: Mapped[dict[str, Any]] = mapped_column(Json, deferred=True)
    status_index: Mapped[int] = mapped_column(unique=True)
    status: Mapped[CertificateStatus] = mapped_column(
        Enum(CertificateStatus, native_enum=False, length=16, values_callable=lambda s: [m.value for m in s]),
        default=CertificateStatus.VALID)
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    # Case-folded name and code, for the admin's search (SQLite's lower() folds only ASCII).
    search_text: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    @property
    def is_current(self) -> bool:
        return self.status is CertificateStatus.VALID

    def revoke(self, reason: str, at: datetime) -> None:
        """Withdraw the certificate; a superseded one may be revoked too (its credential still verifies)."""
        if self.status is CertificateStatus.REVOKED:
            raise IllegalTransition("the certificate is already revoked")
        self.status, self.revoked_at, self.revoke_reason = CertificateStatus.REVOKED, at, reason

    def supersede(self, at: datetime) -> None:
        """Stop being current, to make way for a corrected certificate (which then goes in ``superseded_by``)."""
        if self.status is not CertificateStatus.VALID:
            raise IllegalTransition("only a valid certificate can be superseded")
        self.status, self.superseded_at = CertificateStatus.SUPERSEDED, at

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.status.value}>"


class StatusList(db.Model):
    """A published Bitstring Status List: the signed credential as served, re-signed on each revocation."""

    __tablename__ = "certificate_status_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    credential: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
