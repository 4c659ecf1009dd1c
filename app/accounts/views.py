"""Sign in and out, register, manage one's own account, reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import services
from app.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from app.certificates.services import reissue_for_corrected_name
from app.db import db
from app.extensions import limiter
from app.i18n import current_locale
from app.mail import send_mail
from app.security import is_safe_redirect, login_required, public

bp = Blueprint("accounts", __name__, template_folder="templates")

def _address_and_account() -> str:
    """The client address with the e-mail being tried: guessing one account's password is what is slowed."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"{request.remote_addr}|{email}"


# Two budgets, spent only by POSTs: each account tried from an address gets a few attempts a minute, and an
# address gets enough for a classroom of journalists behind one router to sign in at the start of a session.
_auth_limit = limiter.shared_limit("10 per minute;50 per hour", scope="auth-account", methods=["POST"],
                                   key_func=_address_and_account)
_address_limit = limiter.shared_limit("60 per minute;300 per hour", scope="auth-address", methods=["POST"])


def _start_session(user) -> None:
    """Sign in on a fresh session, so a session id planted before sign-in is worthless."""
    session.clear()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@_address_limit
@_auth_limit
def login():
    """Sign in with e-mail and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("progress.dashboard"))
        form.password.errors.append(_("The e-mail or the password is wrong."))
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/logout", methods=["GET", "POST"])
@public
def logout():
    """Sign out: a POST ends the session everywhere; a GET asks to confirm."""
    if request.method == "GET":
        return render_template("accounts/logout.html")
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("courseware.home"))


@bp.route("/register", methods=["GET", "POST"])
@public
@_address_limit
@_auth_limit
def register():
    """Create a learner account and sign in."""
    form = RegisterForm(locale=current_locale())
    if form.validate_on_submit():
        if services.find_user_by_email(form.email.data):
            form.email.errors.append(_("An account with this e-mail already exists. Sign in or reset the password."))
        else:
            user = services.create_user(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                certificate_name=form.certificate_name.data,
                locale=form.locale.data,
            )
            db.session.commit()
            _start_session(user)
            flash(_("Welcome to Sanaly!"), "success")
            return redirect(url_for("progress.dashboard"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/register.html", form=form), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Edit one's own names and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        # A corrected certificate name gives a new certificate that supersedes the one with the old name.
        reissued = reissue_for_corrected_name(db.session, current_user, actor=current_user)
        db.session.commit()
        flash(_("Your account is saved."), "success")
        if reissued:
            flash(_("Your certificate was reissued with the corrected name."), "info")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password, which signs out every other session."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.account"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/forgot", methods=["GET", "POST"])
@public
@_address_limit
@_auth_limit
def forgot_password():
    """Send a reset link; the answer is the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None:
            token = services.make_reset_token(user, current_app.config["SECRET_KEY"])
            # The configured address, never the request's Host header, which whoever asks for the link controls.
            link = current_app.config["BASE_URL"] + url_for("accounts.reset_password", token=token)
            send_mail(user.email, _("Reset your Sanaly password"),
                      _("Open this link to choose a new password (valid for one hour, once):") + f"\n{link}\n")
        flash(_("If an account exists for this e-mail, a link to reset the password has been sent to it."), "info")
        return redirect(url_for("accounts.login"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@_address_limit
@_auth_limit
def reset_password(token: str):
    """Choose a new password from a reset link."""
    user = services.user_for_reset_token(
        token, current_app.config["SECRET_KEY"], current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        _start_session(user)
        flash(_("Your password is changed."), "success")
        return redirect(url_for("progress.dashboard"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/reset.html", form=form), status
