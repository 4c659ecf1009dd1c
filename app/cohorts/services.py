"""Creating cohorts and adding learners, one by one or from a CSV of e-mails."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.accounts.models import User
from app.cohorts.models import Cohort, CohortMember
from app.db import db
from app.upsert import insert_ignoring_conflict

MAX_CSV_BYTES = 1_000_000


class CohortError(ValueError):
    pass


def cohorts_with_sizes() -> list[tuple[Cohort, int]]:
    statement = (select(Cohort, func.count(CohortMember.id)).outerjoin(CohortMember)
                 .group_by(Cohort.id).order_by(Cohort.name))
    return [(cohort, size) for cohort, size in db.session.execute(statement)]


def create_cohort(name: str) -> Cohort:
    name = " ".join(name.split())
    # Compared in Python: SQLite's lower() folds only ASCII, and names are Kazakh and Russian.
    if name.casefold() in {n.casefold() for n in db.session.scalars(select(Cohort.name))}:
        raise CohortError("duplicate")
    cohort = Cohort(name=name)
    db.session.add(cohort)
    db.session.flush()
    return cohort


@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    unknown: list[str] = field(default_factory=list)


def emails_from_csv(data: bytes) -> list[str]:
    """Every cell that looks like an e-mail, from a CSV or a plain list (one per line)."""
    if len(data) > MAX_CSV_BYTES:
        raise CohortError("too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CohortError("not_utf8") from None
    found: list[str] = []
    try:
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                cell = cell.strip().lower()
                if "@" in cell and " " not in cell and cell.isprintable() and cell not in found:
                    found.append(cell)
    except csv.Error:  # e.g. a cell longer than the csv module's limit
        raise CohortError("not_csv") from None
    return found


def add_members(cohort: Cohort, emails: list[str]) -> ImportResult:
    """Add the accounts with these e-mails; unknown e-mails are reported, not created."""
    result = ImportResult()
    wanted = [e.strip().lower() for e in emails if e.strip()]
    users = {u.email.lower(): u for u in db.session.scalars(select(User).where(func.lower(User.email).in_(wanted)))}
    present = set(db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
    for email in wanted:
        user = users.get(email)
        if user is None:
            result.unknown.append(email)
        elif user.id in present:
            result.already += 1
        else:
            insert_ignoring_conflict(CohortMember, {"cohort_id": cohort.id, "user_id": user.id},
                                     ["cohort_id", "user_id"])
            present.add(user.id)
            result.added += 1
    return result


def remove_member(cohort: Cohort, user_id: int) -> None:
    member = db.session.scalar(select(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                          CohortMember.user_id == user_id))
    if member is not None:
        db.session.delete(member)
