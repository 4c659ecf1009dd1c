"""Issuing 1,000 certificates in bulk, timed against a minimal fpdf2 page rendered in the same run.

    .venv/bin/python bench/certificates_bulk.py [--learners 1000] [--samples 50]

Builds a temporary SQLite database with the migrations and the real course, seeds LEARNERS accounts who have read
every reading (this database's copy of the course requires only the readings, so each learner is eligible), then
issues their certificates exactly as ``flask certificates issue --all-eligible`` does: eligibility and issuance in
one transaction per learner, committed one by one. It reports the total, the time per certificate, and what one
certificate costs in its parts (PDF render, credential signing) next to the baseline: an A4 page with one line
of text in fpdf2's built-in Helvetica, and the same page with PT Sans embedded. Figures are medians and 95th
percentiles in milliseconds; docs/performance.md keeps the last run.
"""

from __future__ import annotations

import argparse
import os
import platform as host
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SANALY_INSTANCE", tempfile.mkdtemp(prefix="sanaly-bench-"))
os.environ.setdefault("SECRET_KEY", "bench-only-secret")

from flask_migrate import upgrade  # noqa: E402
from fpdf import FPDF  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.certificates import documents, services  # noqa: E402
from app.certificates.models import Certificate  # noqa: E402
from app.certificates.pdf import CertificateDocument, font_path, render_certificate_pdf  # noqa: E402
from app.courseware.models import Course, Reading  # noqa: E402
from app.courseware.reader import read_courseware  # noqa: E402
from app.courseware.services import course_outline  # noqa: E402
from app.courseware.store import store_course  # noqa: E402
from app.db import db, utcnow  # noqa: E402
from app.progress.models import ReadingProgress  # noqa: E402

NAMES = ["Әсем Құрманғалиқызы", "Ерлан Нұрланұлы", "Айгерім Сәрсенқызы Өмірзақ", "Дмитрий Иванов", "Dana Smith"]


def timed(call: Callable[[], object], iterations: int) -> list[float]:
    call()  # warm up: fonts parsed, contexts cached
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float], baseline: float) -> str:
    median = statistics.median(times) * 1000
    p95 = sorted(times)[int(0.95 * (len(times) - 1))] * 1000
    return f"| {name} | {len(times)} | {median:.2f} | {p95:.2f} | {median / baseline:.1f} |"


def minimal_page(font: str | None) -> Callable[[], bytes]:
    def render() -> bytes:
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.add_page()
        if font:
            pdf.add_font("PT Sans", "", font)
            pdf.set_font("PT Sans", size=24)
        else:
            pdf.set_font("helvetica", size=24)
        pdf.cell(text="Sanaly")
        return bytes(pdf.output())
    return render


def seed(learners: int) -> Course:
    """The real course (readings required only) and ``learners`` accounts that have read all of it."""
    courses, report = read_courseware(ROOT / "courseware")
    if not report.ok:
        raise SystemExit("\n".join(str(e) for e in report.errors))
    for course in courses:
        store_course(course)
    db.session.commit()
    course = db.session.scalar(select(Course).order_by(Course.id))
    course.completion = {"quizzes": "optional", "scenarios": "optional", "assignments": "optional"}
    password_hash = generate_password_hash("bench password 123")
    now = utcnow()
    db.session.execute(insert(User), [
        {"email": f"learner{n}@bench.sanaly.kz", "password_hash": password_hash, "display_name": f"Learner {n}",
         "certificate_name": f"{NAMES[n % len(NAMES)]} {n}", "locale": ("kk", "ru", "en")[n % 3],
         "search_text": f"learner {n}", "created_at": now, "password_changed_at": now}
        for n in range(learners)])
    user_ids = list(db.session.scalars(select(User.id)))
    reading_ids = list(db.session.scalars(select(Reading.id).where(Reading.retired.is_(False))))
    db.session.execute(insert(ReadingProgress), [
        {"user_id": user_id, "reading_id": reading_id, "first_opened_at": now, "last_opened_at": now,
         "read_at": now, "read_how": "marked"} for user_id in user_ids for reading_id in reading_ids])
    db.session.commit()
    return course_outline(db.session, course.slug)


def issue_all(course: Course) -> tuple[float, float, int]:
    """Eligibility for everyone, then each certificate in its own transaction, as the command line does."""
    start = time.perf_counter()
    learners = services.eligible_learners(db.session, course)
    eligibility = time.perf_counter() - start
    for learner in learners:
        services.issue_certificate(db.session, course, learner, actor=None)
        db.session.commit()
    return eligibility, time.perf_counter() - start, len(learners)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=50, help="renders and signatures timed one by one")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="sanaly-bench-certificates-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.db'}", "LOG_REQUESTS": False,
                      "BASE_URL": "https://sanaly.example.kz"})
    with app.app_context():
        upgrade()
        seed_start = time.perf_counter()
        course = seed(args.learners)
        seed_time = time.perf_counter() - seed_start

        helvetica = timed(minimal_page(None), args.samples)
        pt_sans = timed(minimal_page(str(font_path(400))), args.samples)
        document = CertificateDocument(
            certificate_name=NAMES[0], course_title="Діни экстремизм мен терроризм тақырыбын БАҚ-та жариялау",
            module_titles=["Бірінші модуль", "Екінші модуль", "Практикум"], issued_at=datetime.now(UTC),
            issuer_name="Sanaly", code="SNL-N9R6-PC2J-M9HS-JB8D",
            verification_url="https://sanaly.example.kz/verify/SNL-N9R6-PC2J-M9HS-JB8D", locale="kk")
        certificate_pdf = timed(lambda: render_certificate_pdf(document), args.samples)
        signing = timed(lambda: documents.signed_credential(course, NAMES[0], "SNL-N9R6-PC2J-M9HS-JB8D", "kk",
                                                         datetime.now(UTC), 7), args.samples)

        eligibility, total, issued = issue_all(course)
        stored = db.session.scalar(select(func.count()).select_from(Certificate))
        pdf_bytes = db.session.scalar(select(func.avg(func.length(Certificate.pdf))))
        if stored != args.learners or issued != args.learners:
            raise SystemExit(f"expected {args.learners} certificates, found {stored}")

    baseline = statistics.median(helvetica) * 1000
    print(f"Sanaly certificates bench: {args.learners} learners, SQLite, Python {host.python_version()}, "
          f"{host.machine()}, {os.cpu_count()} CPUs; seeding took {seed_time:.1f} s\n")
    print("| what | n | median ms | p95 ms | × baseline |")
    print("|---|---|---|---|---|")
    print(row("baseline: minimal A4 page, Helvetica (fpdf2)", helvetica, baseline))
    print(row("minimal A4 page, PT Sans embedded", pt_sans, baseline))
    print(row("certificate PDF (Kazakh, QR code)", certificate_pdf, baseline))
    print(row("credential: build, sign (eddsa-rdfc-2022), schema check", signing, baseline))
    per_certificate = total / issued * 1000
    print(f"\nBulk issue of {issued} certificates: {total:.1f} s in all ({eligibility:.2f} s to find who is "
          f"eligible), {per_certificate:.1f} ms per certificate = {per_certificate / baseline:.0f} × baseline; "
          f"average PDF {pdf_bytes / 1024:.0f} KiB.")


if __name__ == "__main__":
    main()
