"""The practicum in the browser: playing the scenario, writing the assignment, and trainers grading it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.roles import Role
from app.courseware import services as courseware
from app.db import db
from app.practicum import playthroughs, services, submissions
from app.practicum.assignment import validate_submission
from app.practicum.forms import (
    StartForm,
    answers_from,
    build_choice_form,
    build_grade_form,
    build_submission_form,
    chosen_levels,
    show_part_problems,
)
from app.practicum.models import PracticumImage, SubmissionStatus
from app.practicum.playthroughs import ChoiceOutcome
from app.security import login_required, public, role_required

bp = Blueprint("practicum", __name__, template_folder="templates")
TRAINER_TOOLS = [(_l("Grading queue and scenario statistics"), "practicum.grading_queue")]

MODULE = "/courses/<course_slug>/modules/<module_slug>"
# Scenario images are immutable (named by their content hash) and never run as documents of this site.
IMAGE_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}


def _module(course_slug: str, module_slug: str):
    course = courseware.course_outline(db.session, course_slug)
    return course, courseware.find_module(course, module_slug)


def _to_scenario(course, module, code: int = 303):
    return redirect(url_for(".scenario", course_slug=course.slug, module_slug=module.slug), code)


@bp.route(f"{MODULE}/scenario")
@login_required
def scenario(course_slug: str, module_slug: str):
    """The playthrough in progress at its current node; else the scenario's start page and past results."""
    course, module = _module(course_slug, module_slug)
    item, version = services.module_scenario(module)
    playthrough = playthroughs.in_progress(current_user.id, item.id)
    if playthrough is not None:
        page = playthroughs.play_page(playthrough)
        return render_template("practicum/play.html", course=course, module=module, page=page,
                               form=build_choice_form(page.choices, playthrough.steps))
    mine = playthroughs.playthroughs_of(current_user.id, item.id)
    return render_template("practicum/scenario.html", course=course, module=module, facts=services.facts_of(version),
                           mine=mine, best=services.best_of(mine), form=StartForm())


@bp.route(f"{MODULE}/scenario/start", methods=["POST"])
@login_required
def start_scenario(course_slug: str, module_slug: str):
    """Start a playthrough (or replay); with one already in progress, go back to it."""
    course, module = _module(course_slug, module_slug)
    item, version = services.module_scenario(module)
    if StartForm().validate_on_submit():
        playthroughs.start(current_user.id, item, version)
        db.session.commit()
    return _to_scenario(course, module)


@bp.route(f"{MODULE}/scenario/choose", methods=["POST"])
@login_required
def choose(course_slug: str, module_slug: str):
    """Take a choice at the current node; the feedback and the next node come on the next page."""
    course, module = _module(course_slug, module_slug)
    item, _version = services.module_scenario(module)
    playthrough = playthroughs.in_progress(current_user.id, item.id)
    if playthrough is None:
        flash(_("That playthrough has ended. Your results are below; you may play again."), "info")
        return _to_scenario(course, module)
    page = playthroughs.play_page(playthrough)
    form = build_choice_form(page.choices, playthrough.steps)
    if form.validate_on_submit():
        outcome = playthroughs.take_choice(playthrough, form.step.data, form.choice.data)
        if outcome is ChoiceOutcome.OUT_OF_DATE:
            flash(_("That page was out of date, so nothing changed. Here is where you are now."), "info")
        if outcome is not ChoiceOutcome.NOT_OFFERED:
            db.session.commit()
            if outcome is ChoiceOutcome.FINISHED:
                return redirect(url_for(".playthrough", course_slug=course.slug, module_slug=module.slug,
                                        playthrough_id=playthrough.id), 303)
            return _to_scenario(course, module)
        form.choice.errors.append(_("That choice is not offered here. Choose one of the options below."))
    return render_template("practicum/play.html", course=course, module=module, page=page, form=form), 422


@bp.route(f"{MODULE}/scenario/playthroughs/<int:playthrough_id>")
@login_required
def playthrough(course_slug: str, module_slug: str, playthrough_id: int):
    """A finished playthrough: the debrief, the scores, and the learner's path beside the best path."""
    course, module = _module(course_slug, module_slug)
    item, _version = services.module_scenario(module)
    found = playthroughs.find_playthrough(current_user, item.id, playthrough_id) or abort(404)
    if not found.finished:
        return _to_scenario(course, module, 302) if found.user_id == current_user.id else abort(404)
    best = services.best_of(playthroughs.playthroughs_of(found.user_id, item.id))
    return render_template("practicum/debrief.html", course=course, module=module,
                           debrief=playthroughs.debrief(found, best), form=StartForm())


@bp.route(f"{MODULE}/assignment", methods=["GET", "POST"])
@login_required
def assignment(course_slug: str, module_slug: str):
    """The task and the rubric; the learner's answer, its status and grade; writing a (new) revision."""
    course, module = _module(course_slug, module_slug)
    item, version = services.module_assignment(module)
    rules = services.assignment_of(version)
    mine = submissions.submissions_of(current_user.id, item.id)
    revision = submissions.next_revision(mine)
    form = build_submission_form(rules, revision or 0, mine[0].answers if mine and revision else None)
    if request.method == "POST":
        if revision is None or form.revision_number.data != revision:
            flash(_("This work has already been submitted; nothing changed."), "info")
            return redirect(url_for(".assignment", course_slug=course.slug, module_slug=module.slug), 303)
        if form.validate_on_submit():
            answers = answers_from(form, rules)
            problems = validate_submission(rules, answers)
            if not problems:
                submissions.submit(current_user, item, version, answers, revision)
                db.session.commit()
                flash(_("Your work has been submitted. A trainer will grade it."), "success")
                return redirect(url_for(".assignment", course_slug=course.slug, module_slug=module.slug), 303)
            show_part_problems(form, rules, problems)
    return render_template("practicum/assignment.html", course=course, module=module, version=version, rules=rules,
                           mine=mine, form=form if revision else None), 422 if request.method == "POST" else 200


@bp.route(f"{MODULE}/assignment/submissions/<int:submission_id>")
@login_required
def submission(course_slug: str, module_slug: str, submission_id: int):
    """One revision of the learner's answer, as written, with its grade and feedback."""
    course, module = _module(course_slug, module_slug)
    item, _version = services.module_assignment(module)
    found = submissions.find_submission(current_user, submission_id)
    if found is None or found.assignment_id != item.id:
        abort(404)
    rules = services.assignment_of(found.version)
    return render_template("practicum/submission.html", course=course, module=module, submission=found, rules=rules,
                           graded=submissions.graded_rubric(rules, found.grade))


@bp.route("/practicum/grading")
@role_required(Role.TRAINER)
def grading_queue():
    """Submissions waiting for a grade, oldest first, with each learner's best scenario result."""
    queue = submissions.grading_queue(request.args.get("course_slug") or None)
    return render_template("practicum/grading_queue.html", queue=queue)


@bp.route("/practicum/submissions/<int:submission_id>/grade", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def grade(submission_id: int):
    """Grade a submission with its rubric, write feedback, and accept it or return it for revision."""
    found = submissions.find_submission(current_user, submission_id) or abort(404)
    if not services.can_grade(current_user, found):
        abort(403)
    rules = services.assignment_of(found.version)
    form = build_grade_form(rules.rubric)
    if request.method == "POST" and not found.awaiting_grade:
        flash(_("This work has already been graded; the grade is shown below."), "info")
        return redirect(url_for(".grade", submission_id=found.id), 303)
    if form.validate_on_submit():
        try:
            submissions.grade_submission(found, current_user, chosen_levels(form, rules.rubric), form.feedback.data,
                                         SubmissionStatus(form.decision.data))
        except submissions.AlreadyGraded:
            db.session.rollback()
            flash(_("Another trainer graded this work first; their grade is shown below."), "error")
            return redirect(url_for(".grade", submission_id=found.id), 303)
        db.session.commit()
        flash(_("The grade is saved and the learner can see it."), "success")
        return redirect(url_for(".grading_queue"), 303)
    return render_template("practicum/grade.html", submission=found, rules=rules, form=form,
                           context=submissions.grading_context(found)), 422 if request.method == "POST" else 200


@bp.route("/practicum/scenarios/<int:scenario_id>/statistics")
@role_required(Role.TRAINER)
def statistics(scenario_id: int):
    """How many learners took each choice at each decision, and where the playthroughs ended."""
    item, version = services.scenario_by_id(scenario_id)
    return render_template("practicum/statistics.html", scenario=item, facts=services.facts_of(version),
                           stats=playthroughs.statistics_of(item, version))


@bp.route("/practicum/images/<string(length=64):sha>")
@public
def image(sha: str):
    """An image a scenario shows, by its content hash."""
    found = db.session.get(PracticumImage, sha) or abort(404)
    response = make_response(found.data)
    response.headers.update({"Content-Type": found.media_type, **IMAGE_HEADERS})
    return response
