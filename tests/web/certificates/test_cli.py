"""``flask certificates issue|revoke`` as the operations guide documents them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.certificates import services
from app.certificates.models import Certificate, CertificateStatus
from app.db import db
from tests.conftest import make_user

from .helpers import KAZAKH_NAME, complete_course, require_readings_only


def run(app, *args):
    return app.test_cli_runner().invoke(args=["certificates", *args])


# As in production: no SERVER_NAME, no web request; links come from BASE_URL.
like_production = pytest.mark.parametrize("app", [{"SERVER_NAME": None}], indirect=True)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


@like_production
def test_issue_to_one_learner_prints_the_code_and_e_mail_once(app):
    learner = make_user(email="asem@example.kz", certificate_name=KAZAKH_NAME)
    complete_course(learner)
    result = run(app, "issue", "--user", "ASEM@example.kz")
    assert result.exit_code == 0, result.output
    code = db.session.scalar(select(Certificate.code))
    assert result.stdout == f"{code} asem@example.kz\n"
    again = run(app, "issue", "--user", "asem@example.kz")
    assert again.exit_code == 0 and again.stdout == "" and code in again.stderr
    assert count() == 1


def test_issue_refuses_an_unfinished_learner_or_an_unknown_e_mail_with_one_line(app):
    require_readings_only()
    make_user(email="halfway@example.kz")
    unfinished = run(app, "issue", "--user", "halfway@example.kz")
    assert unfinished.exit_code != 0
    assert unfinished.stderr.strip().count("\n") == 0 and "not completed" in unfinished.stderr
    unknown = run(app, "issue", "--user", "nobody@example.kz")
    assert unknown.exit_code != 0 and "nobody@example.kz" in unknown.stderr
    assert run(app, "issue").exit_code != 0  # neither --user nor --all-eligible
    assert run(app, "issue", "--user", "halfway@example.kz", "--all-eligible").exit_code != 0
    assert run(app, "issue", "--all-eligible", "--course", "no-such-course").exit_code != 0
    assert count() == 0


@like_production
def test_issue_all_eligible_prints_one_line_per_new_certificate_and_can_run_again(app):
    learners = [make_user(email=f"l{n}@example.kz") for n in range(4)]
    for learner in learners[:3]:
        complete_course(learner)
    first = run(app, "issue", "--all-eligible")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert sorted(line.split()[1] for line in lines) == ["l0@example.kz", "l1@example.kz", "l2@example.kz"]
    assert {line.split()[0] for line in lines} == set(db.session.scalars(select(Certificate.code)))
    assert "Issuing certificates" in first.stderr
    second = run(app, "issue", "--all-eligible")
    assert second.exit_code == 0 and second.stdout == "" and count() == 3


def test_issue_all_eligible_reports_a_learner_it_could_not_certify_and_exits_non_zero(app):
    fine, unprintable = make_user(), make_user(certificate_name="Асем 😀")
    complete_course(fine)
    complete_course(unprintable)
    result = run(app, "issue", "--all-eligible")
    assert result.exit_code != 0
    assert result.stdout.split()[1] == fine.email and unprintable.email in result.stderr
    assert count() == 1


def test_revoke_by_code_with_a_reason(app):
    learner = make_user()
    complete_course(learner)
    certificate = services.issue_by_slug(db.session, "sample-course", learner, actor=None).certificate
    db.session.commit()
    typed = certificate.code.lower().replace("-", "")
    assert run(app, "revoke", typed).exit_code != 0  # --reason is required
    result = run(app, "revoke", typed, "--reason", "Issued by mistake")
    assert result.exit_code == 0 and result.stdout == f"{certificate.code} revoked\n"
    db.session.refresh(certificate)
    assert (certificate.status, certificate.revoke_reason) == (CertificateStatus.REVOKED, "Issued by mistake")
    again = run(app, "revoke", certificate.code, "--reason", "Twice")
    assert again.exit_code != 0 and "already revoked" in again.stderr
    unknown = run(app, "revoke", "SNL-0000-0000-0000-0000", "--reason", "x")
    assert unknown.exit_code != 0 and "no certificate" in unknown.stderr
