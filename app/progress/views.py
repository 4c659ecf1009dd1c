"""The learner's own progress: the dashboard and marking readings as read."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from app.accounts.roles import Role
from app.cohorts.services import cohorts_with_sizes
from app.courseware import services as courseware
from app.db import db
from app.i18n import current_locale
from app.progress import services
from app.progress.items import progress_of
from app.progress.matrix import csv_rows, matrix_page
from app.security import id_arg, login_required, role_required

bp = Blueprint("progress", __name__, template_folder="templates")


@bp.route("/dashboard")
@login_required
def dashboard():
    """What is done and what comes next, per course."""
    courses = courseware.course_outlines(db.session)
    overview = [progress_of(db.session, course, [current_user.id])[current_user.id] for course in courses]
    return render_template("progress/dashboard.html", overview=overview)


@bp.route("/courses/<course_slug>/progress")
@login_required
def course_progress(course_slug: str):
    """Every module and item of the course with its status, score and date, and what remains."""
    course = courseware.course_outline(db.session, course_slug)
    progress = progress_of(db.session, course, [current_user.id])[current_user.id]
    return render_template("progress/course_progress.html", course=course, progress=progress)


@bp.route("/courses/<course_slug>/modules/<module_slug>/readings/<reading_slug>/read", methods=["POST"])
@login_required
def mark_read(course_slug: str, module_slug: str, reading_slug: str):
    """Count a reading as read: the learner's button, or the page's end reached (script)."""
    course = courseware.course_outline(db.session, course_slug)
    module = courseware.find_module(course, module_slug)
    reading = courseware.find_reading(module, reading_slug)
    how = "end" if request.form.get("how") == "end" else "marked"
    services.mark_read(current_user.id, reading.id, how)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return {"read": True}
    return redirect(url_for("courseware.reading", course_slug=course.slug, module_slug=module.slug,
                            reading_slug=reading.slug) + "#read-status")


@bp.route("/trainer/courses/<course_slug>/progress")
@role_required(Role.TRAINER)
def matrix(course_slug: str):
    """Learners × items, filterable by cohort, a page at a time."""
    course = courseware.course_outline(db.session, course_slug)
    cohort_id = request.args.get("cohort", type=id_arg)
    search = request.args.get("q", "").strip()[:100] or None
    page = matrix_page(db.session, course, cohort_id=cohort_id, page=request.args.get("page", 1, type=int),
                       search=search)
    return render_template("progress/matrix.html", course=course, matrix=page, cohort_id=cohort_id, search=search,
                           cohorts=cohorts_with_sizes())


@bp.route("/trainer/courses/<course_slug>/progress.csv")
@role_required(Role.TRAINER)
def matrix_csv(course_slug: str):
    """The whole matrix as CSV, streamed."""
    course = courseware.course_outline(db.session, course_slug)
    cohort_id = request.args.get("cohort", type=id_arg)
    rows = csv_rows(db.session, course, cohort_id=cohort_id, locale=current_locale())
    headers = {"Content-Disposition": f'attachment; filename="{course.slug}-progress.csv"'}
    return Response(stream_with_context(rows), mimetype="text/csv; charset=utf-8", headers=headers)
