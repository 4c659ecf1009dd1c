"""The certificate PDF: what a learner, an employer and a PDF reader see in it."""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import replace
from datetime import UTC, datetime

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app.certificates.pdf import CertificateDocument, render_certificate_pdf, unsupported_characters

KAZAKH_NAME = "Әсем Құрманғалиқызы Өмірзақ-Ұлықбекова"
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
URL = "https://sanaly.example/verify/SNL-N9R6-PC2J-M9HS-JB8D"

KAZAKH_CERTIFICATE = CertificateDocument(
    certificate_name=KAZAKH_NAME,
    course_title="Діни экстремизм мен терроризм тақырыбын БАҚ-та жариялау",
    module_titles=(
        "Заманауи шетелдік және отандық БАҚ-тағы террорист бейнесі",
        "Діни экстремизм мен терроризм идеологиясына қарсы иммунитет қалыптастырудағы журналистиканың рөлі",
        "Практикум. БАҚ-та террористік көріністерге қатысты оқиғаларды ақпараттандыру",
    ),
    issued_at=datetime(2026, 11, 25, 6, 44, 51, tzinfo=UTC),
    issuer_name="Sanaly",
    code="SNL-N9R6-PC2J-M9HS-JB8D",
    verification_url=URL,
    locale="kk",
)


def extracted_text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def decoded_qr_codes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture(scope="module")
def kazakh_pdf() -> bytes:
    return render_certificate_pdf(KAZAKH_CERTIFICATE)


def test_the_pdf_is_one_a4_landscape_page(kazakh_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(kazakh_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_kazakh_name_is_real_extractable_text(kazakh_pdf: bytes) -> None:
    text = extracted_text(kazakh_pdf)
    assert KAZAKH_NAME in text
    assert "Діни экстремизм мен терроризм тақырыбын БАҚ-та жариялау" in text


def test_the_pdf_shows_modules_date_issuer_and_code(kazakh_pdf: bytes) -> None:
    text = extracted_text(kazakh_pdf)
    for number, title in enumerate(KAZAKH_CERTIFICATE.module_titles, start=1):
        assert f"{number}. {title}" in text
    assert "25 қараша" in text and "2026" in text
    assert "Sanaly" in text
    assert "SNL-N9R6-PC2J-M9HS-JB8D" in text
    assert URL in text


def test_every_kazakh_russian_and_latin_letter_is_drawn_and_extracted() -> None:
    alphabet = KAZAKH_LETTERS + " Ёё Щщ Ъъ Жанна-Мари O'Connor Øster"
    assert unsupported_characters(alphabet) == []
    pdf = render_certificate_pdf(replace(KAZAKH_CERTIFICATE, certificate_name=alphabet))
    assert alphabet in extracted_text(pdf)


def test_the_qr_code_opens_the_verification_page(kazakh_pdf: bytes) -> None:
    assert decoded_qr_codes(kazakh_pdf) == [URL]


@pytest.mark.parametrize(
    ("locale", "course", "words"),
    [
        (
            "ru",
            "Освещение религиозного экстремизма и терроризма в СМИ",
            ["СЕРТИФИКАТ", "25 ноября 2026", "Код сертификата"],
        ),
        ("en", "Reporting on religious extremism and terrorism in the media", ["CERTIFICATE", "November 25, 2026"]),
    ],
)
def test_labels_and_date_follow_the_learners_language(locale: str, course: str, words: list[str]) -> None:
    pdf = render_certificate_pdf(replace(KAZAKH_CERTIFICATE, locale=locale, course_title=course))
    text = extracted_text(pdf)
    assert course in text
    assert KAZAKH_NAME in text  # the name is never translated or transliterated
    for word in words:
        assert word in text


def test_the_same_certificate_always_gives_the_same_bytes(kazakh_pdf: bytes) -> None:
    again = render_certificate_pdf(KAZAKH_CERTIFICATE)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(kazakh_pdf).hexdigest()


def test_the_creation_date_is_the_issue_date(kazakh_pdf: bytes) -> None:
    metadata = pypdf.PdfReader(io.BytesIO(kazakh_pdf)).metadata
    assert metadata.creation_date == datetime(2026, 11, 25, 6, 44, 51, tzinfo=UTC)
    assert metadata.title.endswith(KAZAKH_NAME)


def test_a_changed_letter_in_the_name_changes_the_hash(kazakh_pdf: bytes) -> None:
    other = render_certificate_pdf(replace(KAZAKH_CERTIFICATE, certificate_name=KAZAKH_NAME.replace("Ә", "А")))
    assert hashlib.sha256(other).digest() != hashlib.sha256(kazakh_pdf).digest()


def test_a_long_name_and_many_modules_still_fit_on_one_page() -> None:
    long_name = "Константинопольская-Рождественская Александра-Мария Владиславовна-Святославовна"
    modules = tuple(f"Модуль {n}: журналистика, дерек тексеру және қоғамдық келісім" for n in range(1, 11))
    pdf = render_certificate_pdf(replace(KAZAKH_CERTIFICATE, certificate_name=long_name, module_titles=modules))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = extracted_text(pdf).replace("\n", " ")
    assert long_name in text
    assert "10. Модуль 10" in text
    assert decoded_qr_codes(pdf) == [URL]


def test_a_name_the_font_cannot_draw_is_refused_rather_than_printed_without_letters() -> None:
    assert unsupported_characters("Li 李 🎓") == ["李", "🎓"]
    with pytest.raises(ValueError, match="李"):
        render_certificate_pdf(replace(KAZAKH_CERTIFICATE, certificate_name="Li 李"))


def test_rendering_takes_well_under_a_second() -> None:
    render_certificate_pdf(KAZAKH_CERTIFICATE)  # fonts parsed and cached once per process
    started = time.perf_counter()
    for _ in range(5):
        render_certificate_pdf(replace(KAZAKH_CERTIFICATE, certificate_name=KAZAKH_NAME + "ов"))
    per_pdf = (time.perf_counter() - started) / 5
    assert per_pdf < 0.5, f"{per_pdf:.3f} s per PDF"
