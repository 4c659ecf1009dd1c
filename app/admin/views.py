"""The trainers' and admins' home pages, users and roles, and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.accounts.roles import Role
from app.accounts.services import set_role
from app.admin import services
from app.admin.forms import ROLE_LABELS, RoleForm
from app.courseware.services import course_outlines
from app.db import db
from app.security import role_required

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.route("/trainer")
@role_required(Role.TRAINER)
def trainer_home():
    """Where a trainer starts: each course's tools."""
    return render_template("admin/trainer_home.html", courses=course_outlines(db.session))


@bp.route("/admin")
@role_required(Role.ADMIN)
def admin_home():
    """Where an admin starts."""
    return render_template("admin/admin_home.html")


@bp.route("/admin/users")
@role_required(Role.ADMIN)
def users():
    """Every account with its role, searchable."""
    search = request.args.get("q", "").strip()[:100] or None
    page = services.users_page(db.session, search=search, page=request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page, search=search, form=RoleForm(),
                           role_labels=ROLE_LABELS)


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    """Change one account's role (audited); an admin cannot demote themselves."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "error")
    elif user.id == current_user.id:
        flash(_("You cannot change your own role."), "error")
    else:
        set_role(user, Role(form.role.data), actor=current_user)
        db.session.commit()
        flash(_("%(name)s is now: %(role)s", name=user.display_name, role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/audit")
@role_required(Role.ADMIN)
def audit():
    """Who did what to whom, and when: newest first."""
    action = request.args.get("action") or None
    page = services.audit_page(db.session, action=action, page=request.args.get("page", 1, type=int))
    return render_template("admin/audit.html", page=page, action=action, actions=services.audit_actions(db.session))
