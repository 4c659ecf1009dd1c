"""The trainers' progress matrix: learners × items, a page at a time, and its CSV export.

A page runs a fixed number of queries (the page of learners, then one per
feature for their statuses), whatever the number of learners; the CSV is
streamed in chunks, so its memory does not grow with the number of learners.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import User, search_key
from app.accounts.roles import Role
from app.cohorts.models import CohortMember
from app.courseware.models import Course
from app.i18n import pick
from app.progress.completion import Item
from app.progress.items import CourseProgress, course_items, progress_of

PAGE_SIZE = 50
CSV_CHUNK = 500


def _learners(cohort_id: int | None, search: str | None = None):
    statement = select(User).where(User.role == Role.LEARNER)
    if cohort_id is not None:
        statement = statement.join(CohortMember, CohortMember.user_id == User.id).where(
            CohortMember.cohort_id == cohort_id)
    if search:
        statement = statement.where(User.search_text.contains(search_key(search), autoescape=True))
    return statement


@dataclass(frozen=True)
class MatrixPage:
    items: list[Item]
    rows: list[tuple[User, CourseProgress]]
    page: int
    pages: int
    total: int


def matrix_page(session, course: Course, *, cohort_id: int | None, page: int, search: str | None = None) -> MatrixPage:
    statement = _learners(cohort_id, search)
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    users = list(session.scalars(statement.order_by(User.display_name, User.id)
                                 .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    items = course_items(session, course)
    progress = progress_of(session, course, [u.id for u in users], items)
    return MatrixPage(items, [(u, progress[u.id]) for u in users], page, pages, total)


def _cell(progress: CourseProgress, item: Item) -> str:
    module = progress.module(item.module_slug)
    status = next((s for s in module.statuses if s.item.key == item.key), None) if module else None
    if status is None:
        return ""
    score = f" {status.score:.0f}%" if status.score is not None else ""
    return f"{status.state.value}{score}"


def csv_rows(session, course: Course, *, cohort_id: int | None, locale: str) -> Iterator[str]:
    """The whole matrix as CSV text, chunk by chunk."""
    items = course_items(session, course)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["email", "name", "certificate name", "percent", "complete",
                     *[f"{item.module_slug}/{item.slug}: {pick(item.title, locale)}" for item in items]])
    yield flush()
    last_id = 0
    while True:
        users = list(session.scalars(_learners(cohort_id).where(User.id > last_id).order_by(User.id)
                                     .limit(CSV_CHUNK)))
        if not users:
            return
        progress = progress_of(session, course, [u.id for u in users], items)
        for user in users:
            row = progress[user.id]
            writer.writerow([user.email, user.display_name, user.certificate_name, row.percent,
                             "yes" if row.complete else "no", *[_cell(row, item) for item in items]])
        last_id = users[-1].id
        session.expunge_all()
        yield flush()
