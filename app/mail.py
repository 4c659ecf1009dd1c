"""Outgoing e-mail: through SMTP when MAIL_SERVER is set, else written to the log.

With Redis configured, a message is handed to a background job (retried when the
mail server is down), so a slow mail server never slows a page.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("sanaly.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message now (embedded default) or through the job queue (with Redis)."""
    if current_app.config.get("REDIS_URL"):
        from app.db import db
        from app.jobs.services import dispatch, start_job

        job = start_job("mail.send", {"to": to, "subject": subject, "body": body})
        db.session.commit()
        dispatch(job)
        return
    deliver(to, subject, body)


def deliver(to: str, subject: str, body: str) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.warning("e-mail from %s to %s\nSubject: %s\n\n%s", config["MAIL_SENDER"], to, subject, body)
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_SENDER"], to, subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 587), timeout=20) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)


def deliver_job(job, progress) -> dict:
    """The background job behind send_mail()."""
    progress(0, 1)
    deliver(job.payload["to"], job.payload["subject"], job.payload["body"])
    progress(1, 1)
    return {"to": job.payload["to"]}
