"""Certificate forms: validate, never write."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from app.certificates.pdf import unsupported_characters
from app.certificates.services import MAX_REASON_LENGTH
from app.courseware.models import Course
from app.i18n import pick

_required = InputRequired(message=_l("This field is required."))
_filled = DataRequired(message=_l("This field is required."))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class PrintableOnCertificate:
    """Refuse a name with letters the certificate's font cannot draw, before any certificate is issued."""

    def __call__(self, form, field) -> None:
        missing = unsupported_characters(field.data or "")
        if missing:
            raise ValidationError(_l("The certificate cannot show these characters: %(chars)s",
                                     chars=" ".join(missing)))


class VerifyForm(FlaskForm):
    """The public code form: a GET form, so it needs no session and no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(_l("Certificate code"), validators=[_required, Length(max=64)],
                       description=_l("As printed on the certificate, for example SNL-7K3Q-M2X9-4RT8-VB5C."))
    submit = SubmitField(_l("Check"))


def _course_choices(courses: Sequence[Course]) -> list[SelectChoice]:
    return [SelectChoice(course.slug, str(pick(course.title))) for course in courses]


class IssueForm(FlaskForm):
    email = EmailField(_l("Learner's e-mail"), validators=[
        _required, Email(message=_l("Enter a valid e-mail address."), check_deliverability=False), Length(max=254)])
    course = SelectField(_l("Course"))
    submit = SubmitField(_l("Issue the certificate"))

    def __init__(self, *args, courses: Sequence[Course], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course.choices = _course_choices(courses)


class IssueAllForm(FlaskForm):
    course = SelectField(_l("Course"))
    submit = SubmitField(_l("Issue to everyone eligible"))

    def __init__(self, *args, courses: Sequence[Course], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course.choices = _course_choices(courses)


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[_filled, Length(max=MAX_REASON_LENGTH)],
                           description=_l("Shown on the certificate's public verification page."))
    submit = SubmitField(_l("Revoke the certificate"))


class ReissueForm(FlaskForm):
    certificate_name = StringField(_l("Corrected name for the certificate"), filters=[_strip],
                                   validators=[_filled, Length(max=200), PrintableOnCertificate()],
                                   description=_l("A new certificate with this name replaces the current one."))
    submit = SubmitField(_l("Reissue with this name"))
