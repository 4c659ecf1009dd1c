"""What this Sanaly installation publishes about its certificates: its key, its issuer profile and their URLs.

Every URL inside a credential or a PDF is absolute and built from ``BASE_URL``, never from the request, so a
certificate issued from the command line or a background job names the same addresses as one issued in a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app, has_request_context

from app.certificates.credential import Issuer
from app.certificates.signing import (
    issuer_profile_document,
    jwks_document,
    load_or_create_signing_key,
    signing_key_from_pem,
    verification_method_id,
)

STATUS_LIST_ID = 1


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


@contextmanager
def at_base_url() -> Iterator[None]:
    """Let ``url_for`` work outside a web request (command line, background job), building BASE_URL's links.

    Progress names each item's page with ``url_for``; a web request already provides what it needs.
    """
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=base_url()):
        yield


def signing_key() -> Ed25519PrivateKey:
    """The platform's Ed25519 key: from SANALY_SIGNING_KEY, else generated once into the instance directory."""
    cached = current_app.extensions.get("sanaly.signing_key")
    if cached is None:
        pem = current_app.config.get("SIGNING_KEY_PEM")
        cached = signing_key_from_pem(pem) if pem else load_or_create_signing_key(
            Path(current_app.config["INSTANCE_DIR"]))
        current_app.extensions["sanaly.signing_key"] = cached
    return cached


def issuer() -> Issuer:
    base = base_url()
    return Issuer(id=f"{base}/issuer", name=current_app.config["CERTIFICATE_ISSUER_NAME"], url=base)


def verification_method() -> str:
    return verification_method_id(issuer().id, signing_key().public_key())


def verification_url(code: str) -> str:
    """The public page of a certificate; also its credential's ``id`` and what the PDF's QR code holds."""
    return f"{base_url()}/verify/{code}"


def credential_url(code: str) -> str:
    return f"{verification_url(code)}/credential.json"


def status_list_url(list_id: int = STATUS_LIST_ID) -> str:
    return f"{base_url()}/credentials/status/{list_id}"


def achievement_id(course_slug: str) -> str:
    """The course's welcome page stands for the achievement: a URL anyone can open to read what it is."""
    return f"{base_url()}/courses/{course_slug}/welcome"


def issuer_profile() -> dict[str, Any]:
    return issuer_profile_document(issuer(), [signing_key().public_key()])


def jwks() -> dict[str, Any]:
    return jwks_document(issuer().id, [signing_key().public_key()])
