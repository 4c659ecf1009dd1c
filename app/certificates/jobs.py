"""The background job that issues a certificate to everyone who has completed a course.

Safe to run again: each learner's certificate is issued and committed on its own, and a learner who already holds
one is not a candidate any more, so a retried or repeated job issues only what is still missing.
"""

from __future__ import annotations

from app.accounts.models import User
from app.certificates.services import CertificateError, eligible_learners, issue_by_slug
from app.courseware.services import course_outline
from app.db import db


def issue_all_eligible(job, progress) -> dict:
    """Issue the course's certificates one learner at a time, reporting progress after each."""
    session = db.session
    course_slug = job.payload["course"]
    actor = session.get(User, job.created_by_id) if job.created_by_id else None
    learners = eligible_learners(session, course_outline(session, course_slug))
    issued, skipped = [], []
    progress(0, len(learners))
    for done, learner in enumerate(learners, start=1):
        try:
            result = issue_by_slug(session, course_slug, learner, actor=actor)
        except CertificateError as error:
            session.rollback()
            skipped.append({"email": learner.email, "reason": str(error)})
        else:
            if result.created:
                issued.append(result.certificate.code)
        progress(done, len(learners))  # commits this learner's certificate
    return {"course": course_slug, "issued": len(issued), "skipped": skipped}

