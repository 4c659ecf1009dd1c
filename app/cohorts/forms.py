"""Cohort forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

_required = InputRequired(message=_l("This field is required."))


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[_required, Length(max=120)])
    submit = SubmitField(_l("Create cohort"))


class AddMembersForm(FlaskForm):
    emails = TextAreaField(_l("E-mails of learners"), validators=[Optional(), Length(max=100_000)],
                           description=_l("One per line, or separated by commas."))
    csv_file = FileField(_l("Or a CSV file of e-mails"),
                         validators=[Optional(), FileAllowed(["csv", "txt"], _l("Upload a .csv or .txt file."))])
    submit = SubmitField(_l("Add learners"))
