"""Background jobs: e-mail through the queue, progress visible to admins, safe to retry."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.accounts.roles import Role
from app.db import db
from app.jobs import services
from app.jobs.models import Job, JobStatus


def test_a_mail_job_runs_in_process_without_redis_and_shows_its_progress(app, client, login_as, caplog):
    caplog.set_level("WARNING", logger="sanaly.mail")
    job = services.start_job("mail.send", {"to": "a@example.kz", "subject": "Сәлем", "body": "Мәтін"})
    db.session.commit()
    services.dispatch(job)
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and (job.done, job.total) == (1, 1)
    assert "Сәлем" in caplog.text
    login_as(Role.ADMIN)
    assert client.get(f"/admin/jobs/{job.id}.json").get_json()["status"] == "done"
    assert "100" in client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)


def test_a_failed_job_is_recorded_and_running_it_again_finishes_it(app, monkeypatch):
    calls = []

    def flaky(job, progress):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("mail server down")
        return {"sent": True}

    monkeypatch.setattr(services, "_handler", lambda kind: flaky)
    job = services.start_job("mail.send", {"to": "a@example.kz", "subject": "s", "body": "b"})
    db.session.commit()
    with pytest.raises(ConnectionError):
        services.execute(job.id)
    assert db.session.get(Job, job.id).status is JobStatus.FAILED
    services.execute(job.id)
    job = db.session.get(Job, job.id)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"sent": True})
    services.execute(job.id)  # a finished job is not run twice
    assert len(calls) == 2


def test_learners_cannot_see_jobs(client, login_as):
    login_as(Role.LEARNER)
    assert client.get("/admin/jobs/anything").status_code == 403


def _redis_answers() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_with_redis_a_job_goes_through_rq_and_a_worker_runs_it(tmp_path, sqlite_template):
    if not _redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379: the RQ path is not exercised here")
    import shutil

    from redis import Redis

    from tests.conftest import _make_app

    path = tmp_path / "jobs.db"
    shutil.copy(sqlite_template, path)
    url = "redis://127.0.0.1:6379/15"
    Redis.from_url(url).flushdb()
    app = _make_app(f"sqlite:///{path}", REDIS_URL=url, TESTING=False)
    with app.app_context():
        job = services.start_job("mail.send", {"to": "a@example.kz", "subject": "via rq", "body": "b"})
        db.session.commit()
        services.dispatch(job)
        assert db.session.get(Job, job.id).status is JobStatus.QUEUED
        db.session.remove()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": url}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--burst"],
                            env=env, capture_output=True, text=True, timeout=120, cwd=os.getcwd())
    assert result.returncode == 0, result.stderr[-2000:]
    with app.app_context():
        assert db.session.get(Job, job.id).status is JobStatus.DONE
    Redis.from_url(url).flushdb()
