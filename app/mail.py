"""Outgoing e-mail. The embedded default writes each message to the log."""

from __future__ import annotations

import logging

from flask import current_app

log = logging.getLogger("sanaly.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Deliver a plain-text message (here: write it to the log, where an operator can read it)."""
    sender = current_app.config["MAIL_SENDER"]
    log.warning("e-mail from %s to %s\nSubject: %s\n\n%s", sender, to, subject, body)
