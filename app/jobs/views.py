"""An admin follows a background job's progress (the page refreshes itself while it runs)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from app.accounts.roles import Role
from app.db import db
from app.jobs.models import Job
from app.security import role_required

bp = Blueprint("jobs", __name__, template_folder="templates", url_prefix="/admin/jobs")


@bp.route("/<job_id>")
@role_required(Role.ADMIN)
def status(job_id: str):
    """How far a job has got."""
    job = db.session.get(Job, job_id) or abort(404)
    return render_template("jobs/status.html", job=job)


@bp.route("/<job_id>.json")
@role_required(Role.ADMIN)
def status_json(job_id: str):
    """The same, for scripts."""
    job = db.session.get(Job, job_id) or abort(404)
    return {"id": job.id, "kind": job.kind, "status": job.status.value, "done": job.done, "total": job.total,
            "percent": job.percent, "result": job.result, "error": job.error}
