"""The background job that issues every eligible learner's certificate: progress, and safe retries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.certificates import jobs, services
from app.certificates.models import Certificate
from app.db import db
from app.jobs import services as job_services
from app.jobs.models import Job, JobStatus
from tests.conftest import make_user

from .helpers import complete_course


@pytest.mark.parametrize("app", [{"SERVER_NAME": None}], indirect=True)  # a worker has no web request
def test_a_job_that_fails_halfway_issues_no_duplicate_when_retried(app, monkeypatch):
    admin = make_user(Role.ADMIN)
    learners = [make_user() for _ in range(4)]
    for learner in learners:
        complete_course(learner)
    real_issue, calls = services.issue_by_slug, []

    def failing_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("database went away")
        return real_issue(*args, **kwargs)

    monkeypatch.setattr(jobs, "issue_by_slug", failing_on_the_third)
    job = job_services.start_job("certificates.issue_all", {"course": "sample-course"}, actor_id=admin.id)
    db.session.commit()
    with pytest.raises(ConnectionError):
        job_services.execute(job.id)
    assert db.session.get(Job, job.id).status is JobStatus.FAILED
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2  # the first two were committed

    job_services.execute(job.id)  # the retry, as RQ would run it
    job = db.session.get(Job, job.id)
    assert (job.status, job.attempts, job.done, job.total) == (JobStatus.DONE, 2, 2, 2)
    holders = db.session.scalars(select(Certificate.user_id)).all()
    assert sorted(holders) == sorted(learner.id for learner in learners)
    assert set(db.session.scalars(select(Certificate.issued_by_id))) == {admin.id}


def test_a_learner_the_job_cannot_certify_is_reported_and_the_others_are_issued(app):
    fine, unprintable = make_user(), make_user(certificate_name="Асем 😀")
    for learner in (fine, unprintable):
        complete_course(learner)
    job = job_services.start_job("certificates.issue_all", {"course": "sample-course"})
    db.session.commit()
    job_services.dispatch(job)  # runs in its own app context and session, as in a worker
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.result["issued"] == 1
    assert [entry["email"] for entry in job.result["skipped"]] == [unprintable.email]
    assert db.session.scalar(select(Certificate.user_id)) == fine.id
