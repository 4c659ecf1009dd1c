"""Read a course folder into a CourseSpec, reporting every fault with its file and line."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from pathlib import Path
from typing import Any, Protocol

from app.config import DEFAULT_LOCALE, LOCALES
from app.courseware.fields import NUMBERED, SLUG, check_keys, item_line, line_of, text_lists, texts
from app.courseware.readings import read_reading, split_front_matter
from app.courseware.report import Report
from app.courseware.spec import CourseSpec, ModuleSpec, ReadingSpec, TermSpec
from app.courseware.yamlfile import YamlError, parse_yaml, read_yaml
from app.html import render_markdown
from app.progress.completion import parse_rules

COURSE_KEYS = {"slug", "title", "summary", "modules", "completion"}
MODULE_KEYS = {"title", "summary", "objectives", "readings"}
TERM_KEYS = {"slug", "term", "definition", "source", "source_title", "source_url"}
# Features that add files to a module folder (quiz.yaml, scenario.yaml, ...) register here.
PART_PROVIDERS = ("app.quizzes.courseware", "app.practicum.courseware")


class ModulePart(Protocol):
    """A module file handled by a feature: parsed here, stored by the feature.

    A part may also have ``retire(module, session)``, called on a load that no longer finds its file.
    """

    filename: str

    def parse(self, data: Any, path: Path, report: Report, context: dict) -> Any: ...

    def store(self, spec: Any, module: Any, session: Any) -> None: ...


def module_parts() -> list[ModulePart]:
    parts: list[ModulePart] = []
    for name in PART_PROVIDERS:
        if importlib.util.find_spec(name) is not None:
            parts.extend(importlib.import_module(name).PARTS)
    return parts


def course_folders(path: Path) -> list[Path]:
    """A course folder itself, or every folder with a course.yaml directly inside ``path``."""
    if (path / "course.yaml").is_file():
        return [path]
    return sorted(p.parent for p in path.glob("*/course.yaml"))


def read_courseware(path: Path) -> tuple[list[CourseSpec], Report]:
    path = Path(path)
    report = Report()
    if not path.is_dir():
        report.error(path, None, "no such folder")
        return [], report
    folders = course_folders(path)
    if not folders:
        report.error(path, None, "no course.yaml found here or in its sub-folders")
    courses = [c for c in (read_course(folder, report) for folder in folders) if c is not None]
    slugs = [c.slug for c in courses]
    for duplicate in {s for s in slugs if slugs.count(s) > 1}:
        report.error(path, None, f"two courses use the slug {duplicate!r}")
    return courses, report


def _load(path: Path, report: Report) -> Any:
    try:
        return read_yaml(path)
    except YamlError as error:
        report.error(path, error.line, str(error))
    except UnicodeDecodeError:
        report.error(path, None, "the file is not UTF-8 text")
    return None


def read_course(folder: Path, report: Report) -> CourseSpec | None:
    path = folder / "course.yaml"
    data = _load(path, report)
    required = {"slug", "title", "modules"}
    if data is None or not check_keys(data, COURSE_KEYS, required, path, report, "course"):
        return None
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        report.error(path, line_of(data, "slug"), "slug must be lowercase letters, digits and hyphens")
        return None
    glossary = read_glossary(folder / "glossary.yaml", report, slug)
    terms = {t.slug for t in glossary}

    def glossary_href(term: str) -> str | None:
        return f"/courses/{slug}/glossary#term-{term}" if term in terms else None

    modules_raw = data.get("modules")
    modules: list[ModuleSpec] = []
    if not isinstance(modules_raw, list) or not modules_raw:
        report.error(path, line_of(data, "modules"), "modules must list the module folders in order")
    else:
        for position, name in enumerate(modules_raw, start=1):
            line = item_line(modules_raw, position - 1)
            module = read_module(folder, name, position, path, line, report, glossary_href)
            if module:
                modules.append(module)
        seen = [m.slug for m in modules]
        for duplicate in {s for s in seen if seen.count(s) > 1}:
            report.error(path, line_of(data, "modules"), f"duplicate module slug {duplicate!r}")
    _, rule_problems = parse_rules(data.get("completion"))
    for problem in rule_problems:
        report.error(path, line_of(data, "completion"), problem)
    spec = CourseSpec(
        slug=slug,
        completion=dict(data.get("completion") or {}),
        title=texts(data, "title", path, report, "course"),
        summary=texts(data, "summary", path, report, "course", required=False),
        welcome=read_welcome(folder, report, glossary_href),
        glossary=glossary,
        modules=modules,
    )
    spec.content_hash = hash_folder(folder)
    return spec


def read_module(course_folder, name, position, course_path, line, report, glossary_href) -> ModuleSpec | None:
    match = NUMBERED.match(name) if isinstance(name, str) else None
    if not match:
        report.error(course_path, line, f"module folder {name!r} must be named NN-slug (e.g. 01-framing)")
        return None
    folder = course_folder / name
    path = folder / "module.yaml"
    if not path.is_file():
        report.error(course_path, line, f"module folder {name!r} has no module.yaml (missing file {path.name})")
        return None
    data = _load(path, report)
    if data is None or not check_keys(data, MODULE_KEYS, {"title", "readings"}, path, report, "module"):
        return None
    readings: list[ReadingSpec] = []
    raw = data.get("readings") or []
    if not isinstance(raw, list):
        report.error(path, line_of(data, "readings"), "readings must be a list of file stems")
        raw = []
    for index, stem in enumerate(raw, start=1):
        reading = read_reading_set(folder, stem, index, path, item_line(raw, index - 1), report, glossary_href)
        if reading:
            readings.append(reading)
    slugs = [r.slug for r in readings]
    for duplicate in {s for s in slugs if slugs.count(s) > 1}:
        report.error(path, line_of(data, "readings"), f"duplicate reading slug {duplicate!r}")
    module = ModuleSpec(
        slug=match.group(2), position=position, folder=name,
        title=texts(data, "title", path, report, "module"),
        summary=texts(data, "summary", path, report, "module", required=False),
        objectives=text_lists(data, "objectives", path, report, "module"),
        readings=readings,
    )
    context = {"module": module, "glossary_href": glossary_href}
    for part in module_parts():
        part_path = folder / part.filename
        if part_path.is_file():
            part_data = _load(part_path, report)
            if part_data is not None:
                module.parts[part.filename] = part.parse(part_data, part_path, report, context)
    return module


def read_reading_set(folder, stem, position, module_path, line, report, glossary_href) -> ReadingSpec | None:
    match = NUMBERED.match(stem) if isinstance(stem, str) else None
    if not match:
        report.error(module_path, line, f"reading {stem!r} must be named NN-slug (e.g. 01-framing)")
        return None
    versions = {}
    for locale in LOCALES:
        path = folder / "readings" / f"{stem}.{locale}.md"
        if path.is_file():
            text = read_reading(path, report, glossary_href)
            if text:
                versions[locale] = text
        elif locale == DEFAULT_LOCALE:
            report.error(module_path, line, f"reading {stem!r}: missing file readings/{path.name}")
        else:
            report.warning(module_path, line, f"missing translation ({locale}) of reading {stem!r}")
    for stray in (folder / "readings").glob(f"{stem}.*.md"):
        locale = stray.name.removeprefix(f"{stem}.").removesuffix(".md")
        if locale not in LOCALES:
            report.error(stray, None, f"unknown locale {locale!r} in the file name (use kk, ru, en)")
    if DEFAULT_LOCALE not in versions:
        return None
    return ReadingSpec(match.group(2), position, stem, versions)


def read_welcome(folder: Path, report: Report, glossary_href) -> dict[str, dict[str, str]]:
    welcome: dict[str, dict[str, str]] = {}
    for locale in LOCALES:
        path = folder / f"welcome.{locale}.md"
        if not path.is_file():
            continue
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts is None:
            report.error(path, 1, "the welcome page starts with a YAML header (title) between two '---' lines")
            continue
        try:
            header = parse_yaml(parts[0], first_line=2)
        except YamlError as error:
            report.error(path, error.line, str(error))
            continue
        if not check_keys(header, {"title"}, {"title"}, path, report, "welcome header"):
            continue

        def rewrite(href: str) -> str | None:
            return (glossary_href(href[9:]) or "#") if href.startswith("glossary:") else None

        welcome[locale] = {"title": str(header["title"]), "html": render_markdown(parts[1], rewrite)}
    if welcome and DEFAULT_LOCALE not in welcome:
        report.error(folder / "welcome.kk.md", None, "the welcome page has no Kazakh version")
    for locale in LOCALES:
        if welcome and locale not in welcome:
            report.warning(folder, None, f"missing translation ({locale}) of the welcome page")
    return welcome


def read_glossary(path: Path, report: Report, course_slug: str) -> list[TermSpec]:
    if not path.is_file():
        return []
    data = _load(path, report)
    if data is None or not check_keys(data, {"terms"}, {"terms"}, path, report, "glossary"):
        return []
    terms: list[TermSpec] = []
    raw = data.get("terms")
    if not isinstance(raw, list):
        report.error(path, line_of(data, "terms"), "terms must be a list")
        return []
    for position, item in enumerate(raw, start=1):
        if not check_keys(item, TERM_KEYS, {"slug", "term", "definition"}, path, report, "glossary term"):
            continue
        slug = item.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            report.error(path, line_of(item, "slug"), f"glossary term slug {slug!r} is not a valid slug")
            continue
        what = f"glossary term {slug!r}"
        definitions = texts(item, "definition", path, report, what)
        source = {k: str(item[k]) for k in ("source", "source_title", "source_url") if item.get(k)}
        terms.append(TermSpec(slug, position, texts(item, "term", path, report, what),
                              {loc: render_markdown(text) for loc, text in definitions.items()}, source or None))
    slugs = [t.slug for t in terms]
    for duplicate in {s for s in slugs if slugs.count(s) > 1}:
        report.error(path, None, f"duplicate glossary term {duplicate!r}")
    return terms


def hash_folder(folder: Path) -> str:
    """A content hash of every file of the course: equal hashes mean nothing changed."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()
