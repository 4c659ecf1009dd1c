"""What an RQ worker calls: one Sanaly app per worker process, a fresh session per job."""

from __future__ import annotations

from app.jobs.services import execute

_app = None


def run_job(job_id: str) -> None:
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    with _app.app_context():
        execute(job_id)
