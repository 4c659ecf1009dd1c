"""Two admins issuing the same certificate at the same moment get one certificate, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.certificates import services
from app.certificates.models import Certificate
from app.db import db
from tests.conftest import make_user
from tests.web.certificates.helpers import complete_course

pytestmark = pytest.mark.db

ADMINS = 4


def _issue_in_own_session(app, learner_id: int, admin_id: int, barrier: threading.Barrier, results: list,
                          errors: list) -> None:
    from app.accounts.models import User

    with app.app_context():
        try:
            learner, admin = db.session.get(User, learner_id), db.session.get(User, admin_id)
            course = services.course_outline(db.session, "sample-course")
            barrier.wait(timeout=30)  # every admin has loaded the page; they all press "issue" now
            result = services.issue_certificate(db.session, course, learner, actor=admin)
            db.session.commit()
            results.append((result.certificate.code, result.created))
        except Exception as error:  # reported to the test, which fails on any
            errors.append(repr(error))
        finally:
            db.session.remove()


def test_admins_issuing_at_once_give_one_certificate(db_app):
    learner = make_user()
    admins = [make_user(Role.ADMIN) for _ in range(ADMINS)]
    complete_course(learner)
    barrier, results, errors = threading.Barrier(ADMINS), [], []
    threads = [threading.Thread(target=_issue_in_own_session, args=(db_app, learner.id, admin.id, barrier, results,
                                                                    errors)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == ADMINS and len({code for code, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    issued = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "certificate.issued")
    assert db.session.scalar(issued) == 1


def test_the_database_itself_refuses_a_second_current_certificate(db_app):
    from sqlalchemy.exc import IntegrityError

    learner = make_user()
    complete_course(learner)
    first = services.issue_by_slug(db.session, "sample-course", learner, actor=None).certificate
    db.session.commit()
    twin = {column.key: getattr(first, column.key) for column in Certificate.__table__.columns
            if column.key not in ("id", "code", "status_index")}
    db.session.add(Certificate(**twin, code="SNL-TWIN", status_index=first.status_index + 1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
