"""Quizzes as trainers make and mark them: authoring, preview, publishing, grading, regrades, GIFT, statistics.

Registered on the quizzes blueprint (views.py imports this module); every route is for trainers and admins.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.roles import Role
from app.config import DEFAULT_LOCALE, LOCALES
from app.db import db
from app.i18n import pick
from app.quizzes import authoring, exchange, marking, pages, reports, services
from app.quizzes.forms import ActionForm, EssayGradeForm, GiftImportForm, NewQuestionForm, QuizForm
from app.quizzes.grading import InvalidResponse
from app.quizzes.models import QuizStatus
from app.quizzes.question_forms import QUESTION_FORMS, TYPE_LABELS, build_question_form
from app.quizzes.rendering import html_question, source_question
from app.quizzes.responses import raw_from_form, safe_response
from app.quizzes.views import bp
from app.security import role_required

TRAINER_TOOLS = [(_l("Quizzes"), "quizzes.trainer_quizzes")]


def _quiz(slug: str):
    return authoring.quiz_with_questions(slug) or abort(404)


def _question(quiz, question_slug: str):
    return next((q for q in quiz.questions if q.slug == question_slug), None) or abort(404)


def _module_choices(quiz) -> list[tuple[int, str]]:
    return [(m.id, f"{pick(m.course.title)} · {pick(m.title)}") for m in authoring.modules_for_quiz(quiz)]


def _manage(quiz) -> Response:
    return redirect(url_for("quizzes.manage", slug=quiz.slug))


@bp.route("/trainer/quizzes")
@role_required(Role.TRAINER)
def trainer_quizzes():
    """Every quiz, with its questions, attempts and essays waiting for a grade."""
    rows = authoring.quiz_rows(request.args.get("course_slug"))
    return render_template("quizzes/trainer/list.html", rows=rows)


@bp.route("/trainer/quizzes/new", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def new_quiz():
    """Create a quiz (a draft, until published)."""
    form = QuizForm(modules=_module_choices(None))
    if form.validate_on_submit():
        if authoring.quiz_with_questions(form.slug.data) is not None:
            form.slug.errors.append(_("Another quiz already uses this name."))
        else:
            quiz = authoring.create_quiz(slug=form.slug.data, title=form.title.form.texts(),
                                         settings=form.settings(), questions_per_page=form.questions_per_page.data)
            quiz.module_id = form.module_id.data or None
            db.session.commit()
            flash(_("The quiz is created as a draft. Add its questions."), "success")
            return _manage(quiz)
    return render_template("quizzes/trainer/quiz_form.html", form=form, quiz=None)


@bp.route("/trainer/quizzes/<slug>/settings", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def edit_quiz(slug: str):
    """Change a quiz's title and settings (its slug stays)."""
    quiz = _quiz(slug)
    form = QuizForm(modules=_module_choices(quiz), editing=True)
    if not form.is_submitted():
        form.fill(quiz)
    if form.validate_on_submit():
        authoring.update_quiz(quiz, title=form.title.form.texts(), settings=form.settings(),
                              module_id=form.module_id.data or None, questions_per_page=form.questions_per_page.data)
        db.session.commit()
        flash(_("The quiz settings are saved."), "success")
        return _manage(quiz)
    return render_template("quizzes/trainer/quiz_form.html", form=form, quiz=quiz)


@bp.route("/trainer/quizzes/<slug>")
@role_required(Role.TRAINER)
def manage(slug: str):
    """A quiz's questions and everything a trainer can do with it."""
    quiz = _quiz(slug)
    new_form = NewQuestionForm()
    new_form.type_name.choices = [SelectChoice(k, label) for k, label in TYPE_LABELS.items()]
    return render_template("quizzes/trainer/manage.html", quiz=quiz, new_form=new_form, action=ActionForm(),
                           awaiting=marking.count_awaiting_grading(quiz), type_labels=TYPE_LABELS)


@bp.route("/trainer/quizzes/<slug>/status", methods=["POST"])
@role_required(Role.TRAINER)
def set_status(slug: str):
    """Publish a quiz to learners, or take it back to draft."""
    quiz = _quiz(slug)
    form = ActionForm()
    if not form.validate_on_submit() or form.value.data not in ("published", "draft"):
        abort(400)
    authoring.set_status(quiz, QuizStatus(form.value.data))
    db.session.commit()
    flash(_("The quiz is published.") if quiz.is_published else _("The quiz is a draft again."), "success")
    return _manage(quiz)


@bp.route("/trainer/quizzes/<slug>/questions/new", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def new_question(slug: str):
    """Write a new question of the chosen type."""
    quiz = _quiz(slug)
    type_name = request.args.get("type_name", "single")
    if type_name not in QUESTION_FORMS:
        abort(404)
    form = build_question_form(type_name)
    if form.validate_on_submit() and not form.add_row.data:
        question = authoring.add_question(quiz, form.definition(), actor=current_user)
        db.session.commit()
        flash(_("Question %(slug)s is added.", slug=question.slug), "success")
        return _manage(quiz)
    return render_template("quizzes/trainer/question_form.html", quiz=quiz, question=None, form=form,
                           type_label=TYPE_LABELS[type_name])


@bp.route("/trainer/quizzes/<slug>/questions/<question_slug>", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def edit_question(slug: str, question_slug: str):
    """Edit a question; once attempts have used it, saving makes a new version."""
    quiz = _quiz(slug)
    question = _question(quiz, question_slug)
    form = build_question_form(question.current.type_name, question.current.definition)
    if form.validate_on_submit() and not form.add_row.data:
        if authoring.edit_question(question, form.definition(), actor=current_user):
            db.session.commit()
            flash(_("Question %(slug)s is saved (version %(n)d).", slug=question.slug, n=question.current_number),
                  "success")
        else:
            flash(_("Nothing changed."), "info")
        return _manage(quiz)
    return render_template("quizzes/trainer/question_form.html", quiz=quiz, question=question, form=form,
                           type_label=TYPE_LABELS[question.current.type_name])


@bp.route("/trainer/quizzes/<slug>/questions/<question_slug>/preview", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def preview_question(slug: str, question_slug: str):
    """The question exactly as a learner sees it; answering it shows its grade and feedback (nothing saved)."""
    quiz = _quiz(slug)
    question = _question(quiz, question_slug)
    shown, graded = html_question(question.current), source_question(question.current)
    form = ActionForm()
    raw, seen, grade = None, None, None
    if form.validate_on_submit():
        raw = raw_from_form(graded, 0, request.form)
        grade, seen = graded.grade(safe_response(graded, raw)[0]), pages.ALL_VISIBLE
    order = [o for o in request.args.get("order", "").split(",") if o]
    slot = pages.slot_view(0, 1, shown, order, raw, seen=seen, grade=grade)
    return render_template("quizzes/trainer/preview.html", quiz=quiz, question=question, slot=slot, form=form)


@bp.route("/trainer/quizzes/<slug>/preview")
@role_required(Role.TRAINER)
def preview_quiz(slug: str):
    """Every live question of the quiz as learners see them, in the quiz's order."""
    quiz = _quiz(slug)
    slots = pages.preview_slots([q.current for q in quiz.live_questions])
    return render_template("quizzes/trainer/preview_quiz.html", quiz=quiz, slots=slots)


@bp.route("/trainer/quizzes/<slug>/questions/<question_slug>/move", methods=["POST"])
@role_required(Role.TRAINER)
def move_question(slug: str, question_slug: str):
    """Move a question up or down."""
    quiz = _quiz(slug)
    question = _question(quiz, question_slug)
    form = ActionForm()
    if not form.validate_on_submit() or form.value.data not in ("up", "down"):
        abort(400)
    authoring.move_question(quiz, question, -1 if form.value.data == "up" else 1)
    db.session.commit()
    return redirect(url_for("quizzes.manage", slug=quiz.slug) + f"#question-{question.slug}")


@bp.route("/trainer/quizzes/<slug>/questions/<question_slug>/retire", methods=["POST"])
@role_required(Role.TRAINER)
def retire_question(slug: str, question_slug: str):
    """Remove a question from the quiz; attempts that drew it keep it."""
    quiz = _quiz(slug)
    question = _question(quiz, question_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    authoring.retire_question(question)
    db.session.commit()
    flash(_("Question %(slug)s is removed from the quiz.", slug=question.slug), "success")
    return _manage(quiz)


@bp.route("/trainer/quizzes/<slug>/regrade", methods=["POST"])
@role_required(Role.TRAINER)
def regrade(slug: str):
    """Grade every submitted attempt again with the questions' latest versions; the audit log records it."""
    quiz = _quiz(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = marking.regrade_quiz(quiz, actor=current_user)
    db.session.commit()
    flash(_("%(attempts)d attempts regraded; %(changed)d changed.", attempts=result.attempts,
            changed=result.changed), "success")
    return _manage(quiz)


@bp.route("/trainer/quizzes/<slug>/attempts")
@role_required(Role.TRAINER)
def quiz_attempts(slug: str):
    """Every learner's attempts at the quiz, those awaiting a grade first."""
    quiz = _quiz(slug)
    return render_template("quizzes/trainer/attempts.html", quiz=quiz, attempts=marking.quiz_attempts(quiz))


@bp.route("/trainer/attempts/<int:attempt_id>", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def grade_attempt(attempt_id: int):
    """A learner's attempt with everything shown, and the essays' grading forms."""
    attempt = marking.attempt_for_trainer(attempt_id) or abort(404)
    if services.close_if_overdue(attempt):
        db.session.commit()
    form = EssayGradeForm()
    if form.validate_on_submit():
        try:
            marking.grade_essay(attempt, form.slot.data, float(form.points.data), form.comment.data or "",
                                grader=current_user)
            db.session.commit()
            flash(_("The grade is saved."), "success")
            return redirect(url_for("quizzes.grade_attempt", attempt_id=attempt.id))
        except InvalidResponse as error:
            db.session.rollback()
            form.points.errors.append(pages.grading_error(error))
    versions = services.attempt_versions(attempt)
    manual = services.manual_grades([attempt.id]).get(attempt.id, {})
    slots = pages.review_slots(attempt, versions, manual, exhausted=True, everything=True) if attempt.finished else []
    return render_template("quizzes/trainer/attempt.html", attempt=attempt, slots=slots, manual=manual, form=form)


@bp.route("/trainer/quizzes/<slug>/gift", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def import_gift(slug: str):
    """Import a GIFT file: all its questions, or none with the line of the fault."""
    quiz = _quiz(slug)
    form = GiftImportForm()
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8-sig")
            result = exchange.import_gift(quiz, text, form.locale.data, actor=current_user)
            db.session.commit()
            flash(_("%(added)d questions added, %(translated)d translated.", added=result.added,
                    translated=result.translated), "success")
            return _manage(quiz)
        except UnicodeDecodeError:
            form.file.errors.append(_("The file is not UTF-8 text."))
        except (exchange.GiftError, exchange.ImportRefused) as error:
            db.session.rollback()
            form.file.errors.append(_("Nothing was imported: %(reason)s", reason=str(error)))
    return render_template("quizzes/trainer/gift.html", quiz=quiz, form=form, locales=LOCALES)


@bp.route("/trainer/quizzes/<slug>/gift.txt")
@role_required(Role.TRAINER)
def export_gift(slug: str):
    """The quiz's questions as a GIFT file in the chosen language."""
    quiz = _quiz(slug)
    locale = request.args.get("locale", DEFAULT_LOCALE)
    if locale not in LOCALES:
        abort(404)
    exported = exchange.export_gift(quiz, locale)
    return Response(exchange.gift_download(exported), mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{quiz.slug}.{locale}.gift.txt"'})


@bp.route("/trainer/quizzes/<slug>/statistics")
@role_required(Role.TRAINER)
def statistics(slug: str):
    """Attempts, mean and median, the score distribution, and each question's facility and discrimination."""
    quiz = _quiz(slug)
    which = reports.which_attempts(request.args.get("attempts"))
    report = reports.quiz_report(quiz, which)
    return render_template("quizzes/trainer/statistics.html", quiz=quiz, report=report, which=which,
                           choices=reports.WHICH)


@bp.route("/trainer/quizzes/<slug>/statistics.csv")
@role_required(Role.TRAINER)
def statistics_csv(slug: str):
    """The per-question figures as CSV."""
    quiz = _quiz(slug)
    report = reports.quiz_report(quiz, reports.which_attempts(request.args.get("attempts")))
    return Response(reports.report_csv(report), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{quiz.slug}-statistics.csv"'})
