"""The course as read from files, before it reaches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Texts = dict[str, str]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class ReadingText:
    title: str
    minutes: int
    html: str
    sources: tuple[Source, ...]
    words: int


@dataclass
class ReadingSpec:
    slug: str
    position: int
    file_stem: str
    versions: dict[str, ReadingText]


@dataclass
class TermSpec:
    slug: str
    position: int
    term: Texts
    definition_html: Texts
    source: dict[str, str] | None = None


@dataclass
class ModuleSpec:
    slug: str
    position: int
    folder: str
    title: Texts
    summary: Texts
    objectives: dict[str, list[str]]
    readings: list[ReadingSpec]
    parts: dict[str, Any] = field(default_factory=dict)


@dataclass
class CourseSpec:
    slug: str
    title: Texts
    summary: Texts
    welcome: dict[str, dict[str, str]]
    glossary: list[TermSpec]
    modules: list[ModuleSpec]
    completion: dict[str, str] = field(default_factory=dict)
    content_hash: str = ""
