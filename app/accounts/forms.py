"""Account forms: validate, never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length

from app.accounts.services import MIN_PASSWORD_LENGTH
from app.certificates.forms import PrintableOnCertificate
from app.i18n import LANGUAGE_NAMES

_required = InputRequired(message=_l("This field is required."))
_email = Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)
_password_length = Length(
    min=MIN_PASSWORD_LENGTH, max=200,
    message=_l("The password must be at least %(num)d characters long.", num=MIN_PASSWORD_LENGTH),
)
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
_same_password = EqualTo("password", message=_l("The two passwords do not match."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[_required, Length(max=254)])
    password = PasswordField(_l("Password"), validators=[_required, Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[_required, _email, Length(max=254)])
    display_name = StringField(_l("Display name"), validators=[_required, Length(max=120)])
    certificate_name = StringField(
        _l("Full name for the certificate"),
        validators=[_required, Length(max=200), PrintableOnCertificate()],
        description=_l("Exactly as it should appear on your certificate."),
    )
    locale = RadioField(_l("Preferred language"), choices=LANGUAGE_CHOICES, default="kk")
    password = PasswordField(_l("Password"), validators=[_required, _password_length])
    password_confirm = PasswordField(_l("Repeat the password"), validators=[_required, _same_password])
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required])
    password = PasswordField(_l("New password"), validators=[_required, _password_length])
    password_confirm = PasswordField(_l("Repeat the new password"), validators=[_required, _same_password])
    submit = SubmitField(_l("Change password"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[_required, Length(max=120)])
    certificate_name = StringField(
        _l("Full name for the certificate"),
        validators=[_required, Length(max=200), PrintableOnCertificate()],
        description=_l("Exactly as it should appear on your certificate."),
    )
    locale = RadioField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[_required, _email, Length(max=254)])
    submit = SubmitField(_l("Send the link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[_required, _password_length])
    password_confirm = PasswordField(_l("Repeat the new password"), validators=[_required, _same_password])
    submit = SubmitField(_l("Set the new password"))
