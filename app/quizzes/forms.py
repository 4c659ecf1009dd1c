"""Quiz forms: what a learner sends while taking a quiz, and trainers' quiz settings, marks and imports.

A learner's answers are read by ``responses.raw_from_form``; the attempt forms carry the CSRF token and say
where to go next. Questions' own forms are in question_forms.py.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DecimalField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from app.config import LOCALES
from app.i18n import LANGUAGE_NAMES
from app.quizzes.fields import SLUG
from app.quizzes.quizspec import WHEN_CORRECT_SHOWN, WHEN_SHOWN, QuizSettings

GO = re.compile(r"^(\d{1,4}|finish|submit|check)$")


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start the quiz"))


class AttemptPageForm(FlaskForm):
    """One page of an attempt; ``go`` comes from the button pressed: a page index, ``check``, ``finish``
    (the summary page) or ``submit`` (the timer ran out in the browser); without one, the same page."""

    page = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0, max=9999)])
    go = HiddenField(validators=[Optional(), Regexp(GO)])

    def target(self) -> str | int:
        go = self.go.data or str(self.page.data)
        return int(go) if go.isdigit() else go


class SubmitForm(FlaskForm):
    submit = SubmitField(_l("Submit all and finish"))


# --- trainers ------------------------------------------------------------------------------------------------------

WHEN_LABELS = {
    "after_each": _l("After each question (the learner checks it)"),
    "after_submit": _l("After the attempt is submitted"),
    "after_last_attempt": _l("After the last allowed attempt"),
    "never": _l("Never"),
}


class TitleTexts(Form):
    kk = StringField(_l("Kazakh"), render_kw={"lang": "kk"}, validators=[
        InputRequired(message=_l("This field is required.")), Length(max=200)])
    ru = StringField(_l("Russian"), render_kw={"lang": "ru"}, validators=[Optional(), Length(max=200)])
    en = StringField(_l("English"), render_kw={"lang": "en"}, validators=[Optional(), Length(max=200)])

    def texts(self) -> dict[str, str]:
        return {locale: self[locale].data.strip() for locale in LOCALES if (self[locale].data or "").strip()}


class QuizForm(FlaskForm):
    """A quiz's title and settings; ``modules`` lists (id, title) of the modules it may belong to, and an edit
    (``editing``) has no slug field."""

    slug = StringField(_l("Short name in links (Latin letters, digits, hyphens)"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=80),
        Regexp(SLUG, message=_l("Use lowercase Latin letters, digits and hyphens."))])
    title = FormField(TitleTexts, label=_l("Title"))
    module_id = SelectField(_l("Module"), coerce=int, default=0)
    pass_mark = DecimalField(_l("Pass mark (percent)"), default=60, places=None, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=0, max=100, message=_l("Give a percent between 0 and 100."))])
    attempts = IntegerField(_l("Attempts allowed (0 for unlimited)"), default=0, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=0, max=100, message=_l("Give a whole number from 0 to 100."))])
    time_limit_minutes = IntegerField(_l("Time limit in minutes (empty for none)"), validators=[
        Optional(), NumberRange(min=1, max=1440, message=_l("Give a whole number from 1 to 1440."))])
    draw = IntegerField(_l("Draw this many random questions (empty for all)"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("Give a whole number from 1 to 1000."))])
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_options = BooleanField(_l("Shuffle the options within questions"))
    questions_per_page = IntegerField(_l("Questions per page"), default=1, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=1, max=50, message=_l("Give a whole number from 1 to 50."))])
    feedback = SelectField(_l("Feedback is shown"), default="after_submit",
                           choices=[SelectChoice(k, WHEN_LABELS[k]) for k in WHEN_SHOWN])
    show_correct = SelectField(_l("Correct answers are shown"), default="after_last_attempt",
                               choices=[SelectChoice(k, WHEN_LABELS[k]) for k in WHEN_CORRECT_SHOWN])
    submit = SubmitField(_l("Save the quiz"))

    def __init__(self, *args, modules: list[tuple[int, str]] = (), editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # a quiz keeps its slug: links and the command line know it by that
            del self.slug
        self.module_id.choices = [SelectChoice(0, _("No module")),
                                  *(SelectChoice(module_id, title) for module_id, title in modules)]

    def settings(self) -> QuizSettings:
        return QuizSettings(
            pass_mark=float(self.pass_mark.data), attempts=self.attempts.data,
            time_limit_minutes=self.time_limit_minutes.data or None, draw=self.draw.data or None,
            shuffle_questions=bool(self.shuffle_questions.data), shuffle_options=bool(self.shuffle_options.data),
            feedback=self.feedback.data, show_correct=self.show_correct.data,
        )

    def fill(self, quiz) -> None:
        settings = quiz.quiz_settings
        self.module_id.data = quiz.module_id or 0
        self.title.form.process(data=quiz.title)
        self.questions_per_page.data = quiz.questions_per_page
        for key in ("pass_mark", "attempts", "time_limit_minutes", "draw", "shuffle_questions",
                    "shuffle_options", "feedback", "show_correct"):
            self[key].data = getattr(settings, key)


class ActionForm(FlaskForm):
    """A button that changes something (publish, move, retire, regrade): the CSRF token and a value."""

    value = HiddenField(validators=[Optional(), Length(max=20)])


class NewQuestionForm(Form):
    """Sent with GET to the new question's page: no token needed, nothing changes."""

    type_name = SelectField(_l("Type of question"), choices=[])


class EssayGradeForm(FlaskForm):
    slot = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
    points = DecimalField(_l("Points"), places=None, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=0, message=_l("Points cannot be negative."))])
    comment = TextAreaField(_l("Comment for the learner"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save the grade"))


class GiftImportForm(FlaskForm):
    file = FileField(_l("GIFT file (UTF-8 text)"), validators=[
        FileRequired(message=_l("Choose a file.")), FileSize(max_size=2 * 1024 * 1024,
                                                             message=_l("The file is larger than 2 MB."))])
    locale = SelectField(_l("Language of the file"), default="kk",
                         choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()])
    submit = SubmitField(_l("Import the questions"))
