"""The certificate as a one-page A4 landscape PDF, rendered once at issue and stored.

The verification page shows the SHA-256 of the stored PDF, so the same input must give the same bytes: the PDF's
creation date is the issue date, and nothing else in it depends on the clock. Its text is real text (an embedded
TrueType subset with a ToUnicode map), so a reader can copy the name or search for it, and the QR code is drawn
as vector squares, sharp at any zoom and readable from a phone screen.

The font is PT Sans, from the ``fontpkg-pt-sans`` package (SIL Open Font License): ParaType designed it for the
languages of the Russian Federation and its neighbours, so it has every Kazakh letter (ә ғ қ ң ө ұ ү һ і) as
well as Russian and Latin. The learner's name is printed exactly as they entered it; ``unsupported_characters``
lets a form refuse, before issue, a name that this font cannot draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import fontpkg
import segno
from babel.dates import format_date
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONT_FAMILY = "PT Sans"
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, mm
MARGIN = 22.0
QR_SIZE = 32.0
FOOTER_BOTTOM = PAGE_HEIGHT - 20
FOOTER_TOP = FOOTER_BOTTOM - QR_SIZE - 3
INK = (33, 37, 41)
ACCENT = (22, 78, 99)
MUTED = (96, 104, 112)

LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "title": "СЕРТИФИКАТ",
        "subtitle": "курсты аяқтағаны туралы",
        "completed": "мына курсты сәтті аяқтады:",
        "modules": "Курс модульдері",
        "date": "Берілген күні",
        "issuer": "Берген ұйым",
        "code": "Сертификат коды",
        "verify": "Түпнұсқалығын QR-код немесе сілтеме арқылы тексеріңіз:",
    },
    "ru": {
        "title": "СЕРТИФИКАТ",
        "subtitle": "о прохождении курса",
        "completed": "успешно прошёл(-ла) курс",
        "modules": "Модули курса",
        "date": "Дата выдачи",
        "issuer": "Кем выдан",
        "code": "Код сертификата",
        "verify": "Подлинность можно проверить по QR-коду или ссылке:",
    },
    "en": {
        "title": "CERTIFICATE",
        "subtitle": "of completion",
        "completed": "has successfully completed the course",
        "modules": "Course modules",
        "date": "Date of issue",
        "issuer": "Issued by",
        "code": "Certificate code",
        "verify": "Check that it is genuine with the QR code or at:",
    },
}


@dataclass(frozen=True)
class CertificateDocument:
    """Everything the PDF shows, already in the learner's language."""

    certificate_name: str
    course_title: str
    module_titles: Sequence[str]
    issued_at: datetime
    issuer_name: str
    code: str
    verification_url: str
    locale: str


@cache
def font_path(weight: int = 400) -> Path:
    """The PT Sans file of the given weight (400 or 700), installed with the app."""
    return Path(fontpkg.path(FONT_FAMILY, weight=weight))


@cache
def _covered_code_points() -> frozenset[int]:
    """Code points both the regular and the bold face can draw (the name is set in bold)."""
    covered = []
    for weight in (400, 700):
        with TTFont(font_path(weight)) as font:
            covered.append(set(font.getBestCmap()))
    return frozenset(covered[0] & covered[1])


def unsupported_characters(text: str) -> list[str]:
    """The characters of ``text`` that the certificate font cannot draw (spaces and line breaks aside)."""
    covered = _covered_code_points()
    return sorted({char for char in text if not char.isspace() and ord(char) not in covered})


def formatted_issue_date(issued_at: date, locale: str) -> str:
    """The date as people write it in ``locale``: «2026 ж. 25 қараша», «25 ноября 2026 г.», «November 25, 2026»."""
    text = format_date(issued_at, "long", locale=locale if locale in LABELS else "kk")
    # CLDR puts a narrow no-break space before «ж.» and «г.»; PT Sans has no such glyph, so use the ordinary one.
    return text.replace("\u202f", "\u00a0")


class _CertificatePage(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FONT_FAMILY, "", font_path(400))
        self.add_font(FONT_FAMILY, "B", font_path(700))
        self.add_page()

    def write_centered(self, text: str, size: float, *, bold: bool = False, color=INK, height: float = 0) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(
            PAGE_WIDTH - 2 * MARGIN, height or size * 0.45, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def fitted_size(self, text: str, largest: float, smallest: float, width: float, bold: bool = True) -> float:
        """The largest font size (down to ``smallest``) at which ``text`` fits on one line of ``width``."""
        size = largest
        while size > smallest:
            self.set_font(FONT_FAMILY, "B" if bold else "", size)
            if self.get_string_width(text) <= width:
                break
            size -= 1
        return size

    def draw_frame(self) -> None:
        self.set_draw_color(*ACCENT)
        self.set_line_width(1.2)
        self.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
        self.set_line_width(0.3)
        self.rect(13, 13, PAGE_WIDTH - 26, PAGE_HEIGHT - 26)

    def draw_qr(self, url: str, x: float, y: float, size: float) -> None:
        """The QR code as filled squares, one rectangle per run of dark modules in a row."""
        matrix = segno.make(url, error="m", micro=False).matrix
        module = size / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row_number, row in enumerate(matrix):
            start = None
            for column, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = column
                elif not dark and start is not None:
                    self.rect(x + start * module, y + row_number * module, (column - start) * module, module, "F")
                    start = None


def render_certificate_pdf(document: CertificateDocument) -> bytes:
    """The certificate PDF; identical input gives identical bytes.

    Raises ValueError when a text has characters the font cannot draw: a certificate never drops a letter of a name.
    """
    texts = [document.certificate_name, document.course_title, *document.module_titles, document.issuer_name]
    missing = sorted({char for text in texts for char in unsupported_characters(text)})
    if missing:
        raise ValueError(f"the certificate font cannot draw {' '.join(missing)!r}")
    labels = LABELS.get(document.locale, LABELS["kk"])
    pdf = _CertificatePage()
    issued = document.issued_at.astimezone(UTC) if document.issued_at.tzinfo else document.issued_at
    pdf.set_creation_date(issued.replace(microsecond=0))
    pdf.set_lang(document.locale)
    pdf.set_title(f"{labels['title']} — {document.certificate_name}")
    pdf.set_subject(document.course_title)
    pdf.set_author(document.issuer_name)
    pdf.set_creator("Sanaly")
    pdf.set_keywords(document.code)
    pdf.draw_frame()
    text_width = PAGE_WIDTH - 2 * MARGIN

    pdf.set_y(24)
    pdf.write_centered(document.issuer_name.upper(), 10, bold=True, color=ACCENT)
    pdf.ln(3)
    pdf.write_centered(labels["title"], 34, bold=True, color=ACCENT)
    pdf.write_centered(labels["subtitle"], 13, color=MUTED, height=7)
    pdf.ln(7)
    name_size = pdf.fitted_size(document.certificate_name, 32, 20, text_width)
    pdf.write_centered(document.certificate_name, name_size, bold=True, height=name_size * 0.5)
    pdf.ln(3)
    pdf.write_centered(labels["completed"], 12, color=MUTED, height=6)
    pdf.ln(2)
    pdf.write_centered(document.course_title, 17, bold=True, color=ACCENT, height=8)

    if document.module_titles:
        pdf.ln(4)
        pdf.write_centered(labels["modules"], 9, bold=True, color=MUTED, height=5)
        # Shrink the list rather than run into the footer when a course has many modules.
        room = FOOTER_TOP - pdf.get_y() - 4
        module_size = max(7.0, min(10.0, room / (0.5 * len(document.module_titles))))
        for number, title in enumerate(document.module_titles, start=1):
            pdf.write_centered(f"{number}. {title}", module_size, height=module_size * 0.5)

    _draw_footer(pdf, document, labels)
    return bytes(pdf.output())


def _draw_footer(pdf: _CertificatePage, document: CertificateDocument, labels: dict[str, str]) -> None:
    """Date and issuer on the left; code, link and QR code on the right, above the bottom frame."""
    qr_size, bottom = QR_SIZE, FOOTER_BOTTOM
    qr_x = PAGE_WIDTH - MARGIN - qr_size
    pdf.draw_qr(document.verification_url, qr_x, bottom - qr_size, qr_size)

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, FOOTER_TOP, qr_x - 4, FOOTER_TOP)

    rows = [
        (labels["date"], formatted_issue_date(document.issued_at, document.locale)),
        (labels["issuer"], document.issuer_name),
    ]
    y = bottom - qr_size
    for label, value in rows:
        pdf.set_xy(MARGIN, y)
        pdf.set_font(FONT_FAMILY, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(60, 4, label, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT_FAMILY, "B", 11)
        pdf.set_text_color(*INK)
        pdf.cell(60, 6, value)
        y += 13

    right_width = qr_x - 4 - (MARGIN + 90)
    pdf.set_xy(MARGIN + 90, bottom - qr_size)
    pdf.set_font(FONT_FAMILY, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(right_width, 4, labels["code"], align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.set_text_color(*INK)
    pdf.cell(right_width, 7, document.code, align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(right_width, 4, labels["verify"], align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(right_width, 4, document.verification_url, align=Align.R, link=document.verification_url)
