"""Certificate pages: the learner's, the admins', and the public verification pages and documents."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.certificates import platform, services
from app.certificates.codes import new_code
from app.certificates.models import Certificate
from app.certificates.signing import public_key_from_multibase, verify_credential
from app.db import db
from app.jobs.models import Job
from tests.conftest import login, make_user

from .helpers import KAZAKH_NAME, complete_course, outline, require_readings_only


def issued(learner, actor=None) -> Certificate:
    certificate = services.issue_certificate(db.session, outline(), learner, actor=actor).certificate
    db.session.commit()
    return certificate


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- who may open what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER])
def test_only_admins_open_the_admin_certificate_pages(client, login_as, role):
    holder = make_user()
    complete_course(holder)
    code = issued(holder).code
    login_as(role)
    assert client.get("/admin/certificates").status_code == 403
    assert client.get(f"/admin/certificates/{code}").status_code == 403
    assert client.post("/admin/certificates/issue", data={"email": holder.email}).status_code == 403
    assert client.post("/admin/certificates/issue-all", data={"course": "sample-course"}).status_code == 403
    assert client.post(f"/admin/certificates/{code}/revoke", data={"reason": "x"}).status_code == 403
    assert client.post(f"/admin/certificates/{code}/reissue", data={"certificate_name": "X"}).status_code == 403
    assert db.session.get(Certificate, db.session.scalar(select(Certificate.id))).is_current


def test_signed_out_visitors_are_sent_to_sign_in_for_private_pages(client):
    assert client.get("/courses/sample-course/certificate").status_code == 302
    assert client.get(f"/certificates/{new_code()}.pdf").status_code == 302
    assert client.get("/admin/certificates").status_code == 302


def test_a_learner_downloads_their_own_pdf_and_nobody_else_s(client, login_as):
    other = make_user()
    complete_course(other)
    others = issued(other)
    learner = login_as(Role.LEARNER, certificate_name=KAZAKH_NAME)
    complete_course(learner)
    mine = issued(learner)
    response = client.get(f"/certificates/{mine.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == mine.pdf_sha256
    assert client.get(f"/certificates/{others.code}.pdf").status_code == 404
    assert client.get(f"/certificates/{new_code()}.pdf").status_code == 404
    client.post("/logout")
    login_as(Role.TRAINER)
    assert client.get(f"/certificates/{mine.code}.pdf").status_code == 404
    client.post("/logout")
    login_as(Role.ADMIN)
    assert client.get(f"/certificates/{mine.code}.pdf").status_code == 200
    assert client.get("/admin/certificates/SNL-0000-0000-0000-0000").status_code == 404


# --- the learner's page -----------------------------------------------------------------------------------------


def test_before_completion_the_learner_sees_what_remains_and_a_link_to_progress(client, login_as):
    require_readings_only()
    login_as(Role.LEARNER)
    page = text_of(client.get("/courses/sample-course/certificate"))
    assert "/courses/sample-course/progress" in page
    assert "/courses/sample-course/modules/first/readings/alpha" in page  # an item still to do, linked
    assert ".pdf" not in page


def test_after_completion_the_learner_waits_then_sees_the_certificate_with_downloads(client, login_as):
    learner = login_as(Role.LEARNER, certificate_name=KAZAKH_NAME)
    complete_course(learner)
    waiting = text_of(client.get("/courses/sample-course/certificate"))
    assert ".pdf" not in waiting and "/courses/sample-course/progress" not in waiting
    certificate = issued(learner)
    page = text_of(client.get("/courses/sample-course/certificate"))
    assert KAZAKH_NAME in page and certificate.code in page
    assert f"/certificates/{certificate.code}.pdf" in page
    assert f"/verify/{certificate.code}/credential.json?download=1" in page
    assert platform.verification_url(certificate.code) in page
    download = client.get(f"/verify/{certificate.code}/credential.json?download=1")
    assert "attachment" in download.headers["Content-Disposition"]


def test_correcting_the_name_on_the_account_page_reissues_the_certificate(client, login_as):
    learner = login_as(Role.LEARNER, certificate_name="Асем Курмангаликызы")
    complete_course(learner)
    old = issued(learner)
    response = client.post("/account", data={"display_name": learner.display_name, "certificate_name": KAZAKH_NAME,
                                             "locale": "kk"})
    assert response.status_code == 302
    db.session.refresh(old)
    assert old.status == "superseded"
    page = text_of(client.get("/courses/sample-course/certificate"))
    assert KAZAKH_NAME in page and old.code in page  # the new one, and the old one under "earlier"
    # Saving the account again without a change issues nothing more.
    client.post("/account", data={"display_name": "Әсем", "certificate_name": KAZAKH_NAME, "locale": "kk"})
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_the_account_page_refuses_a_name_the_certificate_cannot_show(client, login_as):
    learner = login_as(Role.LEARNER)
    response = client.post("/account", data={"display_name": "A", "certificate_name": "Асем 😀", "locale": "kk"})
    assert response.status_code == 422 and "😀" in text_of(response)
    db.session.refresh(learner)
    assert learner.certificate_name != "Асем 😀"


# --- the public verification pages ------------------------------------------------------------------------------


def test_the_verification_page_shows_only_name_course_dates_and_status(client):
    learner = make_user(certificate_name=KAZAKH_NAME, display_name="Секретті лақап ат", email="private@example.kz")
    complete_course(learner)
    certificate = issued(learner)
    response = client.get(f"/verify/{certificate.code}")
    page = text_of(response)
    assert response.status_code == 200
    assert KAZAKH_NAME in page and "Сынақ курсы" in page and certificate.pdf_sha256 in page
    assert f"/verify/{certificate.code}/credential.json" in page and platform.issuer().id in page
    assert "private@example.kz" not in page and "Секретті лақап ат" not in page


def test_a_typed_code_is_normalised_and_leads_to_the_certificate(client):
    learner = make_user()
    complete_course(learner)
    code = issued(learner).code
    typed = code.removeprefix("SNL-").replace("-", " ").lower()
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{code}")
    lowercase = client.get(f"/verify/{code.lower()}")
    assert lowercase.status_code == 301 and lowercase.headers["Location"].endswith(f"/verify/{code}")
    form = client.get("/verify")
    assert form.status_code == 200 and 'name="code"' in text_of(form)


def test_a_code_with_a_typo_or_an_unknown_code_is_not_found(client):
    learner = make_user()
    complete_course(learner)
    code = issued(learner).code
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert client.get(f"/verify/{typo}").status_code == 404
    unknown = client.get(f"/verify/{new_code()}")
    assert unknown.status_code == 404 and 'name="code"' in text_of(unknown)
    assert client.get(f"/verify/{new_code()}/credential.json").status_code == 404
    bad_form = client.get("/verify", query_string={"code": "hello"})
    assert bad_form.status_code == 422 and 'aria-invalid="true"' in text_of(bad_form)


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "VERIFY_RATE_LIMIT": "5 per minute"}], indirect=True)
def test_guessing_codes_is_rate_limited_per_address(client):
    learner = make_user()
    complete_course(learner)
    real = issued(learner).code
    guesser = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(5):
        assert client.get(f"/verify/{new_code()}", environ_base=guesser).status_code == 404
    assert client.get(f"/verify/{new_code()}", environ_base=guesser).status_code == 429
    assert client.get(f"/verify/{real}", environ_base=guesser).status_code == 429
    # Another address is not affected, and successful lookups never use up the allowance.
    for _ in range(8):
        assert client.get(f"/verify/{real}", environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 200


def test_a_revoked_certificate_shows_as_revoked_with_date_and_reason(client):
    learner = make_user()
    complete_course(learner)
    certificate = issued(learner)
    services.revoke_certificate(db.session, certificate, "Жалған құжаттар", actor=None)
    db.session.commit()
    page = text_of(client.get(f"/verify/{certificate.code}"))
    assert "status-revoked" in page and "Жалған құжаттар" in page


def test_a_superseded_certificate_links_to_the_new_one(client):
    learner = make_user(certificate_name="Асем")
    complete_course(learner)
    old = issued(learner)
    new = services.reissue_certificate(db.session, old, KAZAKH_NAME, actor=None)
    db.session.commit()
    page = text_of(client.get(f"/verify/{old.code}"))
    assert "status-superseded" in page and f'href="/verify/{new.code}"' in page
    assert "status-valid" in text_of(client.get(f"/verify/{new.code}"))


def test_the_published_documents_verify_the_served_credential(client):
    learner = make_user(certificate_name=KAZAKH_NAME)
    complete_course(learner)
    certificate = issued(learner)
    credential = client.get(f"/verify/{certificate.code}/credential.json")
    assert credential.headers["Access-Control-Allow-Origin"] == "*"
    credential = credential.get_json()
    profile = client.get("/issuer").get_json()
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.mimetype == "application/jwk-set+json"
    [method] = profile["verificationMethod"]
    assert profile["id"] == credential["issuer"]["id"] == platform.issuer().id
    assert method["id"] == credential["proof"][0]["verificationMethod"] == jwks.get_json()["keys"][0]["kid"]
    assert verify_credential(credential, public_key_from_multibase(method["publicKeyMultibase"]))
    status_url = credential["credentialStatus"]["statusListCredential"]
    status_list = client.get(status_url.removeprefix(platform.base_url())).get_json()
    assert status_list["id"] == status_url
    assert client.get("/credentials/status/2").status_code == 404


# --- the admins' pages ------------------------------------------------------------------------------------------


def test_an_admin_issues_to_one_learner_and_issuing_again_shows_the_same(client, login_as):
    learner = make_user(email="asem@example.kz", certificate_name=KAZAKH_NAME)
    complete_course(learner)
    admin = login_as(Role.ADMIN)
    data = {"email": "Asem@Example.kz", "course": "sample-course"}
    first = client.post("/admin/certificates/issue", data=data)
    code = db.session.scalar(select(Certificate.code))
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/admin/certificates/{code}")
    second = client.post("/admin/certificates/issue", data=data)
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert db.session.scalar(select(Certificate.issued_by_id)) == admin.id
    detail = text_of(client.get(f"/admin/certificates/{code}"))
    assert KAZAKH_NAME in detail and "asem@example.kz" in detail


def test_an_admin_gets_a_form_error_for_an_unknown_or_unfinished_learner(client, login_as):
    require_readings_only()
    make_user(email="halfway@example.kz")
    login_as(Role.ADMIN)
    unfinished = client.post("/admin/certificates/issue", data={"email": "halfway@example.kz",
                                                                "course": "sample-course"})
    assert unfinished.status_code == 422 and 'aria-invalid="true"' in text_of(unfinished)
    unknown = client.post("/admin/certificates/issue", data={"email": "nobody@example.kz", "course": "sample-course"})
    assert unknown.status_code == 422
    wrong_course = client.post("/admin/certificates/issue", data={"email": "halfway@example.kz", "course": "nope"})
    assert wrong_course.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_an_admin_issues_to_everyone_eligible_through_a_job(client, login_as):
    learners = [make_user() for _ in range(3)]
    for learner in learners[:2]:
        complete_course(learner)
    login_as(Role.ADMIN)
    response = client.post("/admin/certificates/issue-all", data={"course": "sample-course"})
    job = db.session.scalar(select(Job))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/jobs/{job.id}")
    assert (job.status, job.done, job.total, job.result["issued"]) == ("done", 2, 2, 2)
    holders = set(db.session.scalars(select(Certificate.user_id)))
    assert holders == {learners[0].id, learners[1].id}


def test_an_admin_revokes_with_a_reason_and_reissues_with_a_corrected_name(client, login_as):
    learner = make_user(certificate_name="Асем")
    complete_course(learner)
    certificate = issued(learner)
    login_as(Role.ADMIN)
    no_name = client.post(f"/admin/certificates/{certificate.code}/reissue", data={"certificate_name": "  "})
    assert no_name.status_code == 422
    response = client.post(f"/admin/certificates/{certificate.code}/reissue", data={"certificate_name": KAZAKH_NAME})
    new_code_ = response.headers["Location"].rsplit("/", 1)[1]
    assert response.status_code == 302 and new_code_ != certificate.code
    no_reason = client.post(f"/admin/certificates/{new_code_}/revoke", data={"reason": "   "})
    assert no_reason.status_code == 422
    assert client.post(f"/admin/certificates/{new_code_}/revoke", data={"reason": "Қате"}).status_code == 302
    assert "status-revoked" in text_of(client.get(f"/verify/{new_code_}"))
    assert client.post(f"/admin/certificates/{new_code_}/revoke", data={"reason": "Again"}).status_code == 302
    assert services.find_by_code(db.session, new_code_).revoke_reason == "Қате"


def test_the_admin_list_searches_by_name_or_code_and_pages(client, login_as, monkeypatch):
    names = ["Әсем Құрманғалиқызы", "Ерлан Нұрланұлы", "Dana Smith"]
    certificates = []
    for name in names:
        learner = make_user(certificate_name=name)
        complete_course(learner)
        certificates.append(issued(learner))
    login_as(Role.ADMIN)
    by_name = text_of(client.get("/admin/certificates", query_string={"q": "әсем"}))
    assert "Әсем Құрманғалиқызы" in by_name and "Ерлан" not in by_name
    typed_code = certificates[1].code.lower().replace("-", " ")
    by_code = text_of(client.get("/admin/certificates", query_string={"q": typed_code}))
    assert "Ерлан Нұрланұлы" in by_code and "Dana Smith" not in by_code
    monkeypatch.setattr("app.admin.services.PAGE_SIZE", 2)
    first, second = (text_of(client.get("/admin/certificates", query_string={"page": n})) for n in (1, 2))
    assert len(re.findall(r"<code>SNL-", first)) == 2 and len(re.findall(r"<code>SNL-", second)) == 1


def test_the_admin_home_links_the_certificates(client, login_as):
    login_as(Role.ADMIN)
    assert "/admin/certificates" in text_of(client.get("/admin"))


# --- constant queries -------------------------------------------------------------------------------------------


def test_key_pages_run_a_constant_number_of_queries(client, login_as, count_queries):
    admin = make_user(Role.ADMIN)

    def issue_some(n):
        for _ in range(n):
            learner = make_user()
            complete_course(learner)
            issued(learner, actor=admin)

    def counts() -> tuple[int, int]:
        login(client, admin)
        with count_queries() as listing:
            assert client.get("/admin/certificates").status_code == 200
        code = db.session.scalar(select(Certificate.code).order_by(Certificate.id.desc()))
        with count_queries() as verification:
            assert client.get(f"/verify/{code}").status_code == 200
        client.post("/logout")
        return listing.count, verification.count

    issue_some(2)
    few = counts()
    issue_some(6)
    assert counts() == few
