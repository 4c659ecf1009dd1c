"""Reading files: a YAML header between two '---' lines, then Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from app.courseware.fields import check_keys, line_of
from app.courseware.report import Report
from app.courseware.spec import ReadingText, Source
from app.courseware.yamlfile import YamlError, parse_yaml
from app.html import render_markdown

CITATION = re.compile(r"\[([A-Z]{1,3}\d{1,3}[a-z]?)\]")
GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
READING_KEYS = {"title", "minutes", "sources", "summary"}


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(header, body, line where the body starts) or None when there is no header."""
    if not text.startswith("---"):
        return None
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def count_words(markdown: str) -> int:
    return len(WORD.findall(markdown))


def _sources(header: dict, path: Path, report: Report) -> tuple[Source, ...]:
    raw = header.get("sources")
    if not isinstance(raw, list) or not raw:
        report.error(path, line_of(header, "sources"), "a reading must list at least one source")
        return ()
    sources: list[Source] = []
    for item in raw:
        if not check_keys(item, {"id", "title", "url"}, {"id", "title"}, path, report, "source"):
            continue
        if not isinstance(item.get("title"), str) or not isinstance(item.get("id"), str | int):
            report.error(path, line_of(item), "a source needs a text 'id' and 'title'")
            continue
        url = item.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            report.error(path, line_of(item, "url"), f"source {item['id']}: url must start with http(s)://")
            url = None
        sources.append(Source(str(item["id"]), item["title"].strip(), url))
    ids = [s.id for s in sources]
    for duplicate in {i for i in ids if ids.count(i) > 1}:
        report.error(path, line_of(header, "sources"), f"source id {duplicate!r} is listed twice")
    return tuple(sources)


def read_reading(
    path: Path, report: Report, glossary_href: Callable[[str], str | None]
) -> ReadingText | None:
    """Parse one reading file, reporting every fault; None when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.error(path, None, "the file is not UTF-8 text")
        return None
    parts = split_front_matter(text)
    if parts is None:
        report.error(path, 1, "a reading starts with a YAML header between two '---' lines")
        return None
    header_text, body, body_line = parts
    try:
        header = parse_yaml(header_text, first_line=2)
    except YamlError as error:
        report.error(path, error.line, str(error))
        return None
    if not check_keys(header, READING_KEYS, {"title", "minutes", "sources"}, path, report, "reading header"):
        return None
    title, minutes = header.get("title"), header.get("minutes")
    ok = True
    if not isinstance(title, str) or not title.strip():
        report.error(path, line_of(header, "title"), "title must be non-empty text")
        ok = False
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        report.error(path, line_of(header, "minutes"), "minutes must be a whole number from 1 to 240")
        ok = False
    sources = _sources(header, path, report)
    known = {s.id for s in sources}
    for number, line in enumerate(body.splitlines(), start=body_line):
        for cited in CITATION.findall(line):
            if cited not in known:
                report.error(path, number, f"cites [{cited}] but the header lists no source with that id")
        for slug in GLOSSARY_LINK.findall(line):
            if glossary_href(slug) is None:
                report.error(path, number, f"links to glossary term {slug!r}, which the glossary does not define")
    if not body.strip():
        report.error(path, body_line, "the reading has no text")
        ok = False
    if not ok or not sources:
        return None
    html = render_markdown(_link_citations(body, known), lambda href: _rewrite(href, glossary_href))
    return ReadingText(title.strip(), minutes, html, sources, count_words(body))


def _link_citations(body: str, known: set[str]) -> str:
    def link(match: re.Match) -> str:
        source_id = match.group(1)
        if source_id not in known:
            return match.group(0)
        return rf"[\[{source_id}\]](#source-{source_id})"

    return CITATION.sub(link, body)


def _rewrite(href: str, glossary_href: Callable[[str], str | None]) -> str | None:
    if href.startswith("glossary:"):
        return glossary_href(href.removeprefix("glossary:")) or "#"
    return None
