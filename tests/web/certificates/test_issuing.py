"""Issuing, revoking and correcting certificates: the rules a learner and an admin rely on."""

from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.certificates import platform, services
from app.certificates.credential import certificate_name_of, schema_errors
from app.certificates.models import Certificate, CertificateStatus
from app.certificates.signing import verify_credential
from app.certificates.status_list import is_revoked
from app.db import db
from tests.conftest import make_user

from .helpers import KAZAKH_NAME, complete_course, outline, read_everything, require_readings_only


def certificate_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_a_learner_who_has_not_completed_the_course_cannot_get_a_certificate(app):
    require_readings_only()
    learner = make_user()
    admin = make_user(Role.ADMIN)
    with pytest.raises(services.NotEligible) as refused:
        services.issue_certificate(db.session, outline(), learner, actor=admin)
    assert len(refused.value.remaining) == 4  # the sample course's four readings
    assert certificate_count() == 0


def test_with_every_graded_item_still_required_reading_alone_is_not_enough(app):
    learner = make_user()
    read_everything(learner)  # the sample course's own rules: quizzes, scenario and assignment count too
    progress = services.learner_certificate(db.session, outline(), learner).progress
    if progress.total == 4:
        pytest.fail("the sample course has no graded items any more; this test would prove nothing")
    with pytest.raises(services.NotEligible):
        services.issue_certificate(db.session, outline(), learner, actor=None)


@pytest.mark.parametrize("app", [{"SERVER_NAME": None}], indirect=True)  # as in `flask demo` or a worker
def test_issuing_twice_gives_the_same_certificate_and_one_audit_entry(app):
    learner = make_user(certificate_name=KAZAKH_NAME)
    admin = make_user(Role.ADMIN)
    complete_course(learner)
    first = services.issue_certificate(db.session, outline(), learner, actor=admin)
    db.session.commit()
    second = services.issue_certificate(db.session, outline(), learner, actor=admin)
    assert first.created and not second.created
    assert first.certificate.id == second.certificate.id and certificate_count() == 1
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.issued")).all()
    assert [(e.actor_id, e.subject_id, e.object_id) for e in entries] == [
        (admin.id, learner.id, first.certificate.code)]


def test_the_certificate_keeps_what_it_was_issued_with(app):
    learner = make_user(certificate_name=KAZAKH_NAME, locale="ru")
    complete_course(learner)
    certificate = services.issue_certificate(db.session, outline(), learner, actor=None).certificate
    db.session.commit()
    assert (certificate.certificate_name, certificate.locale, certificate.course_version) == (KAZAKH_NAME, "ru", 1)
    assert certificate.pdf_sha256 == hashlib.sha256(certificate.pdf).hexdigest()
    text = pypdf.PdfReader(io.BytesIO(certificate.pdf)).pages[0].extract_text()
    assert KAZAKH_NAME in text and "Тестовый курс" in text and certificate.code in text

    # A later change of the course or of the learner's language never re-renders the stored PDF.
    course = outline()
    course.title = {**course.title, "ru": "Другое название"}
    learner.locale = "en"
    db.session.commit()
    again = services.find_by_code(db.session, certificate.code)
    assert hashlib.sha256(db.session.get(Certificate, again.id).pdf).hexdigest() == certificate.pdf_sha256


def test_the_credential_is_signed_schema_valid_and_names_the_certificate(app):
    learner = make_user(certificate_name=KAZAKH_NAME)
    complete_course(learner)
    certificate = services.issue_certificate(db.session, outline(), learner, actor=None).certificate
    db.session.commit()
    credential = services.find_by_code(db.session, certificate.code, with_credential=True).credential
    assert schema_errors(credential) == []
    assert verify_credential(credential, platform.signing_key().public_key())
    assert credential["id"] == platform.verification_url(certificate.code)
    assert certificate_name_of(credential) == KAZAKH_NAME
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "kk"
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    assert credential["proof"][0]["verificationMethod"].startswith(platform.issuer().id + "#z6Mk")
    assert learner.email not in str(credential)


def test_revoking_is_audited_and_flips_the_bit_in_the_re_signed_status_list(app):
    learner, admin = make_user(), make_user(Role.ADMIN)
    complete_course(learner)
    certificate = services.issue_certificate(db.session, outline(), learner, actor=admin).certificate
    db.session.commit()
    credential = services.find_by_code(db.session, certificate.code, with_credential=True).credential
    status_list = services.status_list_credential(db.session, platform.STATUS_LIST_ID)
    assert not is_revoked(status_list, credential["credentialStatus"])

    services.revoke_certificate(db.session, certificate, "  Plagiarised   assignment ", actor=admin)
    db.session.commit()
    assert (certificate.status, certificate.revoke_reason) == (CertificateStatus.REVOKED, "Plagiarised assignment")
    status_list = services.status_list_credential(db.session, platform.STATUS_LIST_ID)
    assert verify_credential(status_list, platform.signing_key().public_key())
    assert is_revoked(status_list, credential["credentialStatus"])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert (entry.actor_id, entry.subject_id, entry.details["reason"]) == (admin.id, learner.id,
                                                                          "Plagiarised assignment")
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(db.session, certificate, "again", actor=admin)
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(db.session, certificate, "   ", actor=admin)


def test_after_a_revocation_a_new_certificate_can_be_issued(app):
    learner = make_user()
    complete_course(learner)
    first = services.issue_certificate(db.session, outline(), learner, actor=None).certificate
    services.revoke_certificate(db.session, first, "Issued by mistake", actor=None)
    db.session.commit()
    second = services.issue_certificate(db.session, outline(), learner, actor=None)
    db.session.commit()
    assert second.created and second.certificate.code != first.code and certificate_count() == 2


def test_a_corrected_name_gives_a_new_certificate_that_supersedes_the_old(app):
    learner, admin = make_user(certificate_name="Асем Курмангаликызы"), make_user(Role.ADMIN)
    complete_course(learner)
    old = services.issue_certificate(db.session, outline(), learner, actor=admin).certificate
    db.session.commit()
    new = services.reissue_certificate(db.session, old, KAZAKH_NAME, actor=admin)
    db.session.commit()
    assert (old.status, old.superseded_by_id, new.status) == (CertificateStatus.SUPERSEDED, new.id,
                                                              CertificateStatus.VALID)
    assert new.certificate_name == learner.certificate_name == KAZAKH_NAME and new.code != old.code
    assert KAZAKH_NAME in pypdf.PdfReader(io.BytesIO(new.pdf)).pages[0].extract_text()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.reissued"))
    assert entry.details == {"replaces": old.code, "old_name": "Асем Курмангаликызы", "new_name": KAZAKH_NAME}
    assert entry.actor_id == admin.id and entry.object_id == new.code
    with pytest.raises(services.CertificateError):  # the old one is no longer current
        services.reissue_certificate(db.session, old, "Someone else", actor=admin)
    db.session.rollback()


def test_a_name_the_certificate_font_cannot_draw_is_refused_before_anything_is_saved(app):
    learner = make_user(certificate_name="Асем 😀")
    complete_course(learner)
    with pytest.raises(services.NameNotPrintable):
        services.issue_certificate(db.session, outline(), learner, actor=None)
    db.session.rollback()
    assert certificate_count() == 0


def test_learners_see_only_their_own_certificates_admins_see_all(app):
    owner, other, trainer, admin = make_user(), make_user(), make_user(Role.TRAINER), make_user(Role.ADMIN)
    complete_course(owner)
    certificate = services.issue_certificate(db.session, outline(), owner, actor=None).certificate
    db.session.commit()
    for actor, allowed in ((owner, True), (other, False), (trainer, False), (admin, True)):
        assert services.can_view_certificate(actor, certificate) is allowed
        found = services.find_visible(db.session, actor, certificate.code)
        assert (found is not None) is allowed
        assert (certificate.id in db.session.scalars(services.visible_certificates(actor).with_only_columns(
            Certificate.id)).all()) is allowed


def test_eligible_learners_are_those_complete_without_a_current_certificate(app):
    done, certified, started = make_user(), make_user(), make_user()
    complete_course(done)
    read_everything(certified)
    services.issue_certificate(db.session, outline(), certified, actor=None)
    db.session.commit()
    assert [u.id for u in services.eligible_learners(db.session, outline())] == [done.id]
    assert started.id not in [u.id for u in services.eligible_learners(db.session, outline())]
