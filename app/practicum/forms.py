"""Practicum forms: a choice in the scenario, the assignment's parts, a trainer's grade. They validate; the
scenario's and the assignment's rules (and the services) decide."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from app.i18n import pick
from app.practicum.assignment import Assignment, PartProblem, PartProblemKind, Rubric
from app.practicum.models import SubmissionStatus
from app.practicum.scenario import Choice

FEEDBACK_MAX_CHARACTERS = 10_000


class ChoiceForm(FlaskForm):
    # Not checked against a list here: the scenario refuses a choice its node does not offer, with a message.
    choice = RadioField(_l("What do you do?"), validate_choice=False,
                        validators=[InputRequired(message=_l("Choose one of the options."))])
    # The step the page showed; a choice sent from an older page is not recorded.
    step = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])


def build_choice_form(choices: tuple[Choice, ...], step: int) -> ChoiceForm:
    form = ChoiceForm(step=step)
    form.choice.choices = [SelectChoice(choice.id, str(pick(choice.text))) for choice in choices]
    return form


class StartForm(FlaskForm):
    """Start or replay the scenario: only the CSRF token."""


def part_field_name(index: int) -> str:
    return f"part_{index}"


def build_submission_form(assignment: Assignment, revision: int, answers: dict[str, str] | None = None):
    """A text box per part, in the assignment's order, with its guidance and limits; `answers` fill them in."""

    class SubmissionForm(FlaskForm):
        revision_number = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    for index, part in enumerate(assignment.parts):
        limits = _("%(min)d to %(max)d words.", min=part.min_words, max=part.max_words)
        field = TextAreaField(
            str(pick(part.label)), description=f"{pick(part.guidance)} {limits}",
            # No maxlength: a pasted text must never be cut silently; the server says what is too long.
            render_kw={"rows": 3 if part.max_words <= 20 else 7,
                       "data-min-words": part.min_words, "data-max-words": part.max_words},
        )
        setattr(SubmissionForm, part_field_name(index), field)
    SubmissionForm.submit = SubmitField(_l("Submit for grading"))
    data = {part_field_name(i): (answers or {}).get(p.id, "") for i, p in enumerate(assignment.parts)}
    return SubmissionForm(revision_number=revision, data=data)


def answers_from(form, assignment: Assignment) -> dict[str, str]:
    """The texts as written, by part id."""
    return {part.id: form[part_field_name(i)].data or "" for i, part in enumerate(assignment.parts)}


def show_part_problems(form, assignment: Assignment, problems: list[PartProblem]) -> None:
    """Put each refused part's reason, in the learner's language, under its box."""
    index = {part.id: i for i, part in enumerate(assignment.parts)}
    for problem in problems:
        if problem.part_id in index:
            form[part_field_name(index[problem.part_id])].errors.append(_part_message(problem))


def _part_message(problem: PartProblem) -> str:
    if problem.kind is PartProblemKind.MISSING:
        return ngettext("Write this part: at least %(num)d word.", "Write this part: at least %(num)d words.",
                        problem.limit)
    if problem.kind is PartProblemKind.TOO_SHORT:
        return ngettext("Too short: %(num)d word written, at least %(limit)d needed.",
                        "Too short: %(num)d words written, at least %(limit)d needed.", problem.count,
                        limit=problem.limit)
    if problem.kind is PartProblemKind.TOO_LONG:
        return ngettext("Too long: %(num)d word written, at most %(limit)d allowed.",
                        "Too long: %(num)d words written, at most %(limit)d allowed.", problem.count,
                        limit=problem.limit)
    return _("Too long: %(count)d characters written, at most %(limit)d allowed.", count=problem.count,
             limit=problem.limit)


def criterion_field_name(index: int) -> str:
    return f"criterion_{index}"


def build_grade_form(rubric: Rubric):
    """A level per rubric criterion (each level with its points and descriptor), feedback, and the decision."""

    class GradeForm(FlaskForm):
        pass

    for index, criterion in enumerate(rubric.criteria):
        levels = [
            SelectChoice(str(n), ngettext("%(num)d point: %(descriptor)s", "%(num)d points: %(descriptor)s",
                                          level.points, descriptor=pick(level.descriptor)))
            for n, level in enumerate(criterion.levels)
        ]
        field = RadioField(str(pick(criterion.title)), choices=levels,
                           validators=[InputRequired(message=_l("Choose a level for this criterion."))])
        setattr(GradeForm, criterion_field_name(index), field)
    GradeForm.feedback = TextAreaField(
        _l("Feedback to the learner"), render_kw={"rows": 6},
        validators=[InputRequired(message=_l("Write feedback for the learner.")),
                    Length(max=FEEDBACK_MAX_CHARACTERS)],
        description=_l("Plain text. Say what works, what to change, and why."),
    )
    GradeForm.decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(SubmissionStatus.ACCEPTED.value, _l("Accept")),
                 SelectChoice(SubmissionStatus.RETURNED.value, _l("Return for revision"))],
        validators=[InputRequired(message=_l("Accept the work or return it for revision."))],
    )
    GradeForm.submit = SubmitField(_l("Save the grade"))
    return GradeForm()


def chosen_levels(form, rubric: Rubric) -> dict[str, int]:
    return {c.id: int(form[criterion_field_name(i)].data) for i, c in enumerate(rubric.criteria)}
