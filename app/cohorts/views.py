"""Admins manage cohorts: create them and add learners, one by one or from a CSV of e-mails."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import Role
from app.cohorts import services
from app.cohorts.forms import AddMembersForm, CohortForm
from app.cohorts.models import Cohort, CohortMember
from app.db import db
from app.security import role_required

bp = Blueprint("cohorts", __name__, template_folder="templates", url_prefix="/admin/cohorts")

_CSV_ERRORS = {
    "too_large": lambda: _("The file is too large (1 MB at most)."),
    "not_utf8": lambda: _("The file is not UTF-8 text."),
    "not_csv": lambda: _("The file is not a CSV list of e-mails."),
}


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def index():
    """Every cohort with its size, and a form to create one."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(form.name.data)
        except services.CohortError:
            form.name.errors.append(_("A cohort with this name already exists."))
        else:
            db.session.commit()
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    status = 422 if form.errors else 200
    return render_template("cohorts/index.html", form=form, cohorts=services.cohorts_with_sizes()), status


@bp.route("/<int:cohort_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def detail(cohort_id: int):
    """A cohort's members; add learners by e-mail or from a CSV file."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    form = AddMembersForm()
    if form.validate_on_submit():
        try:
            emails = services.emails_from_csv((form.emails.data or "").replace("\n", ",").encode())
            if form.csv_file.data:
                emails += services.emails_from_csv(form.csv_file.data.read(services.MAX_CSV_BYTES + 1))
        except services.CohortError as error:
            form.csv_file.errors.append(_CSV_ERRORS[str(error)]())
        else:
            result = services.add_members(cohort, emails)
            db.session.commit()
            flash(_("%(added)d added, %(already)d already in the cohort.", added=result.added,
                    already=result.already), "success")
            if result.unknown:
                flash(_("No account for: %(emails)s", emails=", ".join(result.unknown[:20])), "error")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    members = db.session.scalars(select(User).join(CohortMember, CohortMember.user_id == User.id)
                                 .where(CohortMember.cohort_id == cohort.id).order_by(User.display_name)).all()
    status = 422 if form.errors else 200
    return render_template("cohorts/detail.html", cohort=cohort, form=form, members=members), status


@bp.route("/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove(cohort_id: int, user_id: int):
    """Take a learner out of a cohort."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    services.remove_member(cohort, user_id)
    db.session.commit()
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
