"""The admins' certificate pages: the list with search, issuing (one learner or everyone eligible), revoking and
reissuing with a corrected name. Registered on the certificates blueprint by views.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.roles import Role
from app.accounts.services import find_user_by_email
from app.certificates import platform, services
from app.certificates.forms import IssueAllForm, IssueForm, ReissueForm, RevokeForm
from app.certificates.views import bp
from app.courseware.services import course_outlines
from app.db import db
from app.jobs.services import dispatch, start_job
from app.security import role_required

ADMIN_TOOLS = [(_l("Certificates"), "certificates.admin_list")]


def _list_page(issue_form: IssueForm | None = None, status: int = 200):
    courses = course_outlines(db.session)
    search = request.args.get("q", "").strip()[:100] or None
    page = services.certificates_page(db.session, search=search, page=request.args.get("page", 1, type=int))
    return render_template("certificates/admin_list.html", page=page, search=search,
                           issue_form=issue_form or IssueForm(courses=courses),
                           issue_all_form=IssueAllForm(courses=courses)), status


def _refusal(error: services.CertificateError) -> str:
    """Why a certificate was not issued, in the admin's language."""
    if isinstance(error, services.NotEligible):
        return _("This learner has not completed the course: %(n)d required items remain.", n=len(error.remaining))
    if isinstance(error, services.NameNotPrintable):
        return _("The certificate cannot show these characters of the learner's name: %(chars)s",
                 chars=" ".join(error.characters))
    return _("The certificate could not be issued or changed. Reload the page and try again.")


def _detail_page(certificate, revoke_form=None, reissue_form=None, status: int = 200):
    return render_template(
        "certificates/admin_detail.html", certificate=certificate,
        family=services.certificates_of(db.session, certificate.user_id, certificate.course_id),
        revoke_form=revoke_form or RevokeForm(),
        reissue_form=reissue_form or ReissueForm(certificate_name=certificate.user.certificate_name),
        verification_url=platform.verification_url(certificate.code)), status


def _certificate_or_404(code: str):
    return services.find_visible(db.session, current_user, code) or abort(404)


@bp.route("/admin/certificates")
@role_required(Role.ADMIN)
def admin_list():
    """Every certificate, searchable by name or code, with the forms to issue more."""
    return _list_page()


@bp.route("/admin/certificates/issue", methods=["POST"])
@role_required(Role.ADMIN)
def admin_issue():
    """Issue to one learner whose course is complete; issuing again leads to the same certificate."""
    form = IssueForm(courses=course_outlines(db.session))
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("No account has this e-mail."))
        else:
            try:
                result = services.issue_by_slug(db.session, form.course.data, user, actor=current_user)
            except services.CertificateError as error:
                db.session.rollback()
                form.email.errors.append(_refusal(error))
            else:
                db.session.commit()
                flash(_("Certificate issued.") if result.created else _("This learner already holds this certificate."),
                      "success" if result.created else "info")
                return redirect(url_for("certificates.admin_detail", code=result.certificate.code))
    return _list_page(issue_form=form, status=422)


@bp.route("/admin/certificates/issue-all", methods=["POST"])
@role_required(Role.ADMIN)
def admin_issue_all():
    """Start a background job that issues a certificate to everyone eligible; follow it on the job's page."""
    form = IssueAllForm(courses=course_outlines(db.session))
    if not form.validate_on_submit():
        flash(_("Choose a course."), "error")
        return redirect(url_for("certificates.admin_list"))
    job = start_job("certificates.issue_all", {"course": form.course.data}, actor_id=current_user.id)
    db.session.commit()
    dispatch(job)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.route("/admin/certificates/<code>")
@role_required(Role.ADMIN)
def admin_detail(code: str):
    """One certificate: its learner, status and history, with the forms to revoke or reissue it."""
    return _detail_page(_certificate_or_404(code))


@bp.route("/admin/certificates/<code>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def admin_revoke(code: str):
    """Revoke with a reason (audited); the public page and the status list show it at once."""
    certificate = _certificate_or_404(code)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(db.session, certificate, form.reason.data, actor=current_user)
        except services.CertificateError:
            db.session.rollback()
            flash(_("This certificate is already revoked."), "error")
        else:
            db.session.commit()
            flash(_("Certificate revoked."), "success")
        return redirect(url_for("certificates.admin_detail", code=certificate.code))
    return _detail_page(certificate, revoke_form=form, status=422)


@bp.route("/admin/certificates/<code>/reissue", methods=["POST"])
@role_required(Role.ADMIN)
def admin_reissue(code: str):
    """Issue a corrected certificate that supersedes this one (audited)."""
    certificate = _certificate_or_404(code)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            successor = services.reissue_certificate(db.session, certificate, form.certificate_name.data,
                                                     actor=current_user)
        except services.CertificateError as error:
            db.session.rollback()
            form.certificate_name.errors.append(_refusal(error))
        else:
            db.session.commit()
            flash(_("A new certificate replaces the old one."), "success")
            return redirect(url_for("certificates.admin_detail", code=successor.code))
    return _detail_page(certificate, reissue_form=form, status=422)
