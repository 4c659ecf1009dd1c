"""Quizzes as learners take them: the quiz page, an attempt page by page, the summary, the review.

Trainers' pages (authoring, grading, GIFT, statistics) are in trainer_views.py, on the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.db import db, utcnow
from app.quizzes import pages, services
from app.quizzes.forms import AttemptPageForm, StartForm, SubmitForm
from app.quizzes.rendering import source_question
from app.security import login_required

bp = Blueprint("quizzes", __name__, template_folder="templates")

REFUSALS = {
    "no_attempts_left": _l("You have used all your attempts at this quiz."),
    "no_questions": _l("This quiz has no questions yet."),
}


def _review_url(attempt) -> str:
    return url_for("quizzes.review", attempt_id=attempt.id)


@bp.route("/quizzes/<slug>")
@login_required
def quiz(slug: str):
    """The quiz: its rules, the learner's attempts and grade, and the button to start or continue."""
    quiz = services.published_quiz(slug)
    standing = services.standing(quiz, services.learner_attempts([quiz.id], current_user.id))
    db.session.commit()  # an attempt whose time ran out was submitted
    return render_template("quizzes/quiz.html", quiz=quiz, standing=standing, form=StartForm())


@bp.route("/quizzes/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    """Start an attempt, or continue the one in progress."""
    quiz = services.published_quiz(slug)
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(quiz, current_user)
        db.session.commit()
    except services.AttemptRefused as refused:
        db.session.rollback()
        flash(str(REFUSALS[refused.reason]), "error")
        return redirect(url_for(".quiz", slug=slug))
    except IntegrityError:  # the same learner started twice at once: the other request's attempt stands
        db.session.rollback()
        return redirect(url_for(".quiz", slug=slug))
    return redirect(url_for(".attempt", attempt_id=attempt.id, page=attempt.last_page))


def _open_attempt(attempt_id: int):
    """The learner's attempt while it takes answers, else a redirect to its review."""
    attempt = services.own_attempt(current_user, attempt_id)
    if services.close_if_overdue(attempt):
        db.session.commit()
        flash(_("The time is up. Your saved answers were submitted."), "info")
        return attempt, redirect(_review_url(attempt))
    if attempt.finished:
        return attempt, redirect(_review_url(attempt))
    return attempt, None


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """One page of questions."""
    attempt, done = _open_attempt(attempt_id)
    if done:
        return done
    page = pages.attempt_page(attempt, services.attempt_versions(attempt),
                              request.args.get("page", attempt.last_page, type=int), now=utcnow())
    return render_template("quizzes/attempt.html", view=page, form=AttemptPageForm(page=page.page))


@bp.route("/attempts/<int:attempt_id>", methods=["POST"])
@login_required
def save(attempt_id: int):
    """Save the page's answers, then go where the learner asked."""
    attempt = services.own_attempt(current_user, attempt_id)
    form = AttemptPageForm()
    if not form.validate_on_submit():
        abort(400)
    target = form.target()
    try:
        services.save_page(attempt, services.attempt_versions(attempt), form.page.data, request.form,
                           check=target == "check")
        if target == "submit":
            services.submit_attempt(attempt)
        db.session.commit()
    except services.AttemptClosed as closed:
        db.session.commit()
        if closed.timed_out:
            flash(_("The time is up. Your saved answers were submitted."), "info")
        return redirect(_review_url(attempt))
    if target == "submit":
        return redirect(_review_url(attempt))
    if target == "finish":
        return redirect(url_for(".summary", attempt_id=attempt.id))
    page = form.page.data if target == "check" else target
    return redirect(url_for(".attempt", attempt_id=attempt.id, page=page) + "#questions")


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@login_required
def autosave(attempt_id: int):
    """The page script saves answers as they are given; the JSON says whether they were taken."""
    attempt = services.own_attempt(current_user, attempt_id)
    form = AttemptPageForm()
    if not form.validate_on_submit():
        return jsonify(saved=False), 400
    try:
        services.save_page(attempt, services.attempt_versions(attempt), form.page.data, request.form)
        db.session.commit()
    except services.AttemptClosed:
        db.session.commit()
        return jsonify(saved=False, closed=True, review=_review_url(attempt)), 409
    return jsonify(saved=True, revision=attempt.revision)


@bp.route("/attempts/<int:attempt_id>/finish")
@login_required
def summary(attempt_id: int):
    """The confirm page: which questions are answered, and the button that submits."""
    attempt, done = _open_attempt(attempt_id)
    if done:
        return done
    versions = services.attempt_versions(attempt)
    questions = [source_question(v) for v in versions]
    rows = pages.summary_rows(questions, services.attempt_pages(attempt, versions, attempt.quiz.questions_per_page),
                              attempt.answers)
    return render_template("quizzes/summary.html", attempt=attempt, rows=rows, form=SubmitForm(),
                           seconds_left=pages.seconds_left(attempt.deadline, utcnow()))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id: int):
    """Submit and grade the attempt; a second submit of the same attempt only shows the result."""
    attempt = services.own_attempt(current_user, attempt_id)
    if not SubmitForm().validate_on_submit():
        abort(400)
    services.submit_attempt(attempt)
    db.session.commit()
    return redirect(_review_url(attempt))


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """The result: score, pass or fail, and per question what the quiz's settings let the learner see."""
    attempt, still_open = _open_attempt(attempt_id)
    if still_open is None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    versions = services.attempt_versions(attempt)
    standing = services.standing(attempt.quiz, services.learner_attempts([attempt.quiz_id], current_user.id),
                                 close_overdue=False)
    manual = services.manual_grades([attempt.id]).get(attempt.id, {})
    slots = pages.review_slots(attempt, versions, manual,
                               exhausted=services.exhausted(attempt, len(standing.attempts)))
    return render_template("quizzes/review.html", attempt=attempt, slots=slots, standing=standing,
                           form=StartForm())


from app.quizzes.trainer_views import TRAINER_TOOLS  # noqa: E402, F401 - registers the trainers' routes on bp
