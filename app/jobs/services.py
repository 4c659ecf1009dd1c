"""Starting background jobs: on Redis with RQ when REDIS_URL is set, else in a thread of this process.

RQ was chosen for its size: a job is a plain function call, the queue is Redis,
retries are built in, and the worker is one command; Celery's broker choice and
configuration surface buy nothing here. Either way the job's progress lives in
the ``job`` table, so the admin sees the same page whichever runs it, and every
handler is written to be safe to run again (a retried job redoes nothing done).
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from app.db import db, utcnow
from app.jobs.models import Job, JobStatus

log = logging.getLogger("sanaly.jobs")

# kind -> "module:function"; the function takes (job, progress) and returns a result dict.
HANDLERS = {
    "mail.send": "app.mail:deliver_job",
    "certificates.issue_all": "app.certificates.jobs:issue_all_eligible",
}
RETRY_INTERVALS = [10, 60, 300]


def start_job(kind: str, payload: dict[str, Any], actor_id: int | None = None) -> Job:
    """Record a job; the caller commits, then calls dispatch(job)."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(id=str(uuid.uuid4()), kind=kind, payload=payload, created_by_id=actor_id)
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(job: Job) -> None:
    """Hand a committed job to RQ, or run it here: synchronously in tests, in a thread otherwise."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL") and not app.config.get("JOBS_INLINE"):
        from redis import Redis
        from rq import Queue, Retry

        queue = Queue("sanaly", connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue_call("app.jobs.runner.run_job", args=(job.id,), job_id=job.id,
                           retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS), timeout=3600)
    elif app.config.get("TESTING") or app.config.get("JOBS_SYNC"):
        run_in_app(app, job.id)
    else:
        threading.Thread(target=run_in_app, args=(app, job.id), daemon=True, name=f"job-{job.id}").start()


def run_in_app(app: Flask, job_id: str) -> None:
    with app.app_context():
        execute(job_id)


def _handler(kind: str) -> Callable:
    module, _, name = HANDLERS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def execute(job_id: str) -> None:
    """Run one job to its end, recording progress; re-raises so RQ can retry it."""
    job = db.session.get(Job, job_id)
    if job is None or job.status is JobStatus.DONE:
        return
    job.status, job.started_at, job.attempts, job.error = JobStatus.RUNNING, utcnow(), job.attempts + 1, None
    db.session.commit()

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        db.session.commit()

    try:
        result = _handler(job.kind)(job, progress)
    except Exception as error:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, f"{type(error).__name__}: {error}", utcnow()
        db.session.commit()
        log.exception("job %s (%s) failed", job_id, job.kind)
        raise
    job.status, job.result, job.finished_at = JobStatus.DONE, result or {}, utcnow()
    db.session.commit()
