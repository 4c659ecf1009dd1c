"""From completion to a certificate anyone can verify, in a real browser: the issue's "done when".

A learner reads the sample course to its end (its graded items are made optional in this database's copy), an
admin issues the certificate, the learner downloads the PDF (the Kazakh name is real text, the QR code opens the
verification page), the credential verifies with the published key by a verifier written apart from the signer
and fails once a signed value changes, and after the admin revokes it the public page says so.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.accounts.roles import Role
from app.db import db
from tests.conftest import PASSWORD, make_user
from tests.unit.certificates.test_independent_verifier import (
    OfflineLoader,
    Untrusted,
    revoked_by_list,
    verify_independently,
)
from tests.unit.certificates.test_pdf import decoded_qr_codes, extracted_text
from tests.web.certificates.helpers import KAZAKH_NAME, require_readings_only

pytestmark = pytest.mark.browser


def sign_in(browser, base: str, email: str):
    context = browser.new_context(base_url=base, locale="kk-KZ", accept_downloads=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    return page


def read_the_course(page) -> None:
    """Follow the dashboard's "next" step and mark each reading read, until the course is complete."""
    for _ in range(20):
        page.goto("/dashboard")
        next_step = page.locator(".next-step a.button")
        if not next_step.count():
            break
        next_step.click()
        mark = page.locator("form[data-mark-read] button")
        page.wait_for_load_state("networkidle")  # a short reading is marked by the page's script at its end
        if mark.count() and mark.is_enabled():
            mark.click()
        page.reload()
        expect(page.locator("#read-status .done")).to_be_visible()
    expect(page.locator(".course .done")).to_be_visible()


def test_a_learner_earns_a_certificate_that_anyone_can_verify(browser, live_app, live_server, tmp_path):
    live_app.config["BASE_URL"] = live_server  # so the QR code and the credential name this server
    with live_app.app_context():
        require_readings_only()
        learner = make_user(email="asem@example.kz", certificate_name=KAZAKH_NAME, display_name="Әсем")
        admin = make_user(Role.ADMIN, email="admin@example.kz")
        learner_email, admin_email = learner.email, admin.email
        db.session.remove()

    learner_page = sign_in(browser, live_server, learner_email)
    learner_page.goto("/courses/sample-course/certificate")
    expect(learner_page.locator(".certificate-empty")).to_be_visible()  # what remains, before completion
    read_the_course(learner_page)

    admin_page = sign_in(browser, live_server, admin_email)
    admin_page.goto("/admin")
    admin_page.click("a[href='/admin/certificates']")
    admin_page.fill("#email", learner_email)
    admin_page.click("form[action='/admin/certificates/issue'] button[type=submit]")
    expect(admin_page.locator(".certificate-status.status-valid")).to_be_visible()
    code = admin_page.locator("h1 code").inner_text().strip()
    assert re.fullmatch(r"SNL(-[0-9A-Z]{4}){4}", code)

    learner_page.goto("/courses/sample-course/certificate")
    expect(learner_page.locator(".certificate-name")).to_have_text(KAZAKH_NAME)
    with learner_page.expect_download() as download_info:
        learner_page.click(f"a[href='/certificates/{code}.pdf']")
    pdf = Path(download_info.value.path()).read_bytes()
    assert KAZAKH_NAME in extracted_text(pdf)
    verification_url = f"{live_server}/verify/{code}"
    assert decoded_qr_codes(pdf) == [verification_url]

    # What an employer does: open the QR code's address signed out, then check the credential offline.
    visitor = browser.new_context(base_url=live_server).new_page()
    visitor.goto(verification_url)
    expect(visitor.locator(".certificate-verdict.status-valid")).to_be_visible()
    expect(visitor.locator(".certificate-name")).to_have_text(KAZAKH_NAME)
    expect(visitor.locator(".fingerprint")).to_have_text(hashlib.sha256(pdf).hexdigest())
    credential = visitor.request.get(visitor.locator("a[href$='credential.json']").get_attribute("href")).json()
    profile = visitor.request.get(visitor.locator("a[href$='/issuer']").get_attribute("href")).json()
    verify_independently(credential, profile, OfflineLoader())
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = KAZAKH_NAME[:-1] + "ь"
    with pytest.raises(Untrusted, match="bad signature"):
        verify_independently(tampered, profile, OfflineLoader())

    admin_page.fill("#reason", "Құжаттар жалған болып шықты")
    admin_page.click(f"form[action='/admin/certificates/{code}/revoke'] button[type=submit]")
    expect(admin_page.locator("h1 .certificate-status.status-revoked")).to_be_visible()

    visitor.goto("/verify")
    visitor.fill("#code", code.lower().replace("-", " "))  # typed from paper, carelessly
    visitor.click("form.verify-form button[type=submit]")
    expect(visitor).to_have_url(verification_url)
    expect(visitor.locator(".certificate-verdict.status-revoked")).to_contain_text("Құжаттар жалған болып шықты")
    status_list = visitor.request.get(credential["credentialStatus"]["statusListCredential"]).json()
    verify_independently(status_list, profile, OfflineLoader())
    assert revoked_by_list(status_list, credential["credentialStatus"])
