"""Certificates on the web: the learner's page, the public verification pages and the documents verifiers fetch.

The admins' pages (list, issue, revoke, reissue) are in admin_views.py, on the same blueprint.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.certificates import platform, services
from app.certificates.codes import normalize_code
from app.certificates.forms import VerifyForm
from app.courseware.services import course_outline
from app.db import db
from app.extensions import limiter
from app.security import login_required, public

bp = Blueprint("certificates", __name__, template_folder="templates")

JSON_LD = "application/ld+json"


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# Only failed lookups count, so a guesser is stopped while an employer checking many real codes is not.
_guessing_limit = limiter.shared_limit(_verify_limit, scope="verify",
                                       deduct_when=lambda response: response.status_code in (404, 422))


def _published(document: dict, mimetype: str = JSON_LD, filename: str | None = None) -> Response:
    """A public JSON document that web-based verifiers on other sites may fetch."""
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/verify")
@public
@_guessing_limit
def verify():
    """The form where anyone types a certificate's code."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return render_template("certificates/verify_form.html", form=form)
    if form.validate():
        code = normalize_code(form.code.data)
        if code is not None:
            return redirect(url_for("certificates.verification", code=code))
        form.code.errors.append(_("This is not a certificate code: check each character against the certificate."))
    return render_template("certificates/verify_form.html", form=form), 422


@bp.route("/verify/<code>")
@public
@_guessing_limit
def verification(code: str):
    """Whether a certificate is valid, revoked or superseded, with the name, course and dates on it."""
    canonical = normalize_code(code)
    if canonical is not None and canonical != code:
        return redirect(url_for("certificates.verification", code=canonical), 301)
    certificate = services.find_by_code(db.session, code) if canonical else None
    if certificate is None:
        return render_template("certificates/not_found.html", form=VerifyForm(data={"code": code}),
                               typo=canonical is None), 404
    return render_template("certificates/verification.html", record=services.public_record(certificate),
                           credential_url=platform.credential_url(certificate.code),
                           issuer_url=platform.issuer().id)


@bp.route("/verify/<code>/credential.json")
@public
@_guessing_limit
def credential(code: str):
    """The signed Open Badges credential, as issued; ``?download=1`` saves it as a file."""
    certificate = services.find_by_code(db.session, code, with_credential=True) or abort(404)
    filename = f"{certificate.code}.json" if request.args.get("download") else None
    return _published(certificate.credential, filename=filename)


@bp.route("/issuer")
@public
def issuer():
    """The issuer Profile with the public key as a Multikey: what a verifier trusts."""
    return _published(platform.issuer_profile())


@bp.route("/.well-known/jwks.json")
@public
def jwks():
    """The same key as a JSON Web Key Set."""
    return _published(platform.jwks(), mimetype="application/jwk-set+json")


@bp.route("/credentials/status/<int:list_id>")
@public
def status_list(list_id: int):
    """The signed revocation list every credential's ``credentialStatus`` points at."""
    document = services.status_list_credential(db.session, list_id) or abort(404)
    return _published(document)


@bp.route("/courses/<course_slug>/certificate")
@login_required
def mine(course_slug: str):
    """The learner's certificate for a course, or what remains to earn it."""
    course = course_outline(db.session, course_slug)
    page = services.learner_certificate(db.session, course, current_user)
    return render_template("certificates/mine.html", page=page,
                           verification_url=platform.verification_url(page.current.code) if page.current else None)


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code: str):
    """The PDF exactly as rendered at issue: its owner's, or any for an admin."""
    certificate = services.find_visible(db.session, current_user, code, with_pdf=True) or abort(404)
    return Response(certificate.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.code}.pdf"',
        "Cache-Control": "private, no-store",
    })


from app.certificates.admin_views import ADMIN_TOOLS  # noqa: E402, F401 - registers the admins' routes on bp
