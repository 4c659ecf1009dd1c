"""`courseware check`: every fault named with its file, its line and what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.courseware.reader import read_courseware
from tests.conftest import SAMPLE_COURSEWARE

COURSE = "sample-course"


@pytest.fixture
def course(tmp_path) -> Path:
    shutil.copytree(SAMPLE_COURSEWARE / COURSE, tmp_path / COURSE)
    return tmp_path / COURSE


def errors_of(path: Path) -> list[str]:
    _, report = read_courseware(path.parent)
    return [f"{Path(e.file).name}:{e.line}: {e.message}" for e in report.errors]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_course_is_valid_and_lists_its_missing_translation(course):
    courses, report = read_courseware(course.parent)
    assert report.ok
    assert [c.slug for c in courses] == [COURSE]
    assert any("missing translation (ru) of reading '02-beta'" in w.message for w in report.warnings)


def test_bad_yaml_names_the_file_and_line(course):
    edit(course / "01-first" / "module.yaml", "readings:", "readings: [unclosed")
    assert any(e.startswith("module.yaml:") and "bad YAML" in e for e in errors_of(course))


def test_an_unknown_key_is_named_with_its_line(course):
    edit(course / "course.yaml", "modules:", "colour: blue\nmodules:")
    assert "course.yaml:10: unknown key 'colour' in course" in errors_of(course)


def test_a_missing_required_field(course):
    edit(course / "02-second" / "module.yaml", "title: {kk: Екінші модуль, ru: Второй модуль, en: Second module}\n", "")
    assert any("missing required field 'title' in module" in e for e in errors_of(course))


def test_a_duplicate_slug(course):
    edit(course / "01-first" / "module.yaml", "  - 02-beta", "  - 02-beta\n  - 01-alpha")
    assert any("duplicate reading slug 'alpha'" in e for e in errors_of(course))


def test_an_unknown_locale(course):
    edit(course / "01-first" / "module.yaml", "en: First module}", "en: First module, de: Erstes Modul}")
    assert any("unknown locale 'de'" in e for e in errors_of(course))
    shutil.copy(course / "01-first/readings/01-alpha.en.md", course / "01-first/readings/01-alpha.fr.md")
    assert any(e.startswith("01-alpha.fr.md") and "unknown locale 'fr'" in e for e in errors_of(course))


def test_a_link_to_a_missing_file(course):
    edit(course / "01-first" / "module.yaml", "  - 02-beta", "  - 02-beta\n  - 03-delta")
    assert "module.yaml:10: reading '03-delta': missing file readings/03-delta.kk.md" in errors_of(course)


def test_a_citation_without_its_source_and_a_link_to_an_unknown_term(course):
    reading = course / "01-first" / "readings" / "01-alpha.kk.md"
    edit(reading, "[S1]. ALPHA-KK", "[S9] [жоқ](glossary:nothing). ALPHA-KK")
    found = errors_of(course)
    assert "01-alpha.kk.md:9: cites [S9] but the header lists no source with that id" in found
    assert "01-alpha.kk.md:9: links to glossary term 'nothing', which the glossary does not define" in found


def test_a_reading_header_with_bad_values(course):
    reading = course / "01-first" / "readings" / "01-alpha.ru.md"
    edit(reading, "minutes: 3", "minutes: many")
    assert "01-alpha.ru.md:3: minutes must be a whole number from 1 to 240" in errors_of(course)


def test_html_in_a_reading_never_reaches_the_page(course):
    reading = course / "01-first" / "readings" / "01-alpha.en.md"
    hostile = '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
    edit(reading, "ALPHA-EN", f"ALPHA-EN {hostile}")
    courses, report = read_courseware(course.parent)
    html = courses[0].modules[0].readings[0].versions["en"].html
    assert "<script" not in html and 'href="javascript:' not in html and "<img" not in html


def test_the_real_course_has_no_errors():
    courses, report = read_courseware(Path(__file__).parents[2] / "courseware")
    assert report.ok, "\n".join(str(e) for e in report.errors)
    assert [len(m.readings) >= 1 for m in courses[0].modules] == [True, True, True]
