"""Checks for the small shapes course files are made of: texts per language, slugs, lists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.config import DEFAULT_LOCALE, LOCALES
from app.courseware.report import Report
from app.courseware.yamlfile import LinedDict, LinedList

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBERED = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")


def line_of(data: Any, key: Any = None) -> int | None:
    if isinstance(data, LinedDict):
        return data.line_of(key) if key is not None else data.line
    return getattr(data, "line", None)


def item_line(items: Any, index: int) -> int | None:
    return items.line_of_item(index) if isinstance(items, LinedList) else line_of(items)


def check_keys(data: Any, allowed: set[str], required: set[str], path: Path, report: Report, what: str) -> bool:
    """Report unknown and missing keys; False when ``data`` is not a mapping at all."""
    if not isinstance(data, dict):
        report.error(path, line_of(data), f"{what} must be a mapping of keys to values")
        return False
    for key in data:
        if key not in allowed:
            report.error(path, line_of(data, key), f"unknown key {key!r} in {what}")
    for key in sorted(required - set(data)):
        report.error(path, line_of(data), f"missing required field {key!r} in {what}")
    return True


def texts(data: Any, key: str, path: Path, report: Report, what: str, *, required: bool = True) -> dict[str, str]:
    """A text per language: Kazakh required, other languages warned about when missing."""
    value = data.get(key) if isinstance(data, dict) else None
    line = line_of(data, key)
    if value is None:
        if required:
            report.error(path, line, f"missing required field {key!r} in {what}")
        return {}
    if isinstance(value, str):
        value = {DEFAULT_LOCALE: value}
    if not isinstance(value, dict):
        report.error(path, line, f"{what}: {key!r} must give a text per language (kk, ru, en)")
        return {}
    result: dict[str, str] = {}
    for locale, text in value.items():
        if locale not in LOCALES:
            report.error(path, line_of(value, locale), f"{what}: unknown locale {locale!r} (use kk, ru, en)")
        elif not isinstance(text, str) or not text.strip():
            report.error(path, line_of(value, locale), f"{what}: {key}.{locale} must be non-empty text")
        else:
            result[locale] = text.strip()
    if required and DEFAULT_LOCALE not in result and value:
        report.error(path, line, f"{what}: {key!r} has no Kazakh (kk) text")
    for locale in LOCALES:
        if locale != DEFAULT_LOCALE and locale not in result and DEFAULT_LOCALE in result:
            report.warning(path, line, f"missing translation ({locale}) of {key!r} in {what}")
    return result


def text_lists(data: Any, key: str, path: Path, report: Report, what: str) -> dict[str, list[str]]:
    """A list of short texts per language (e.g. objectives)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        report.error(path, line_of(data, key), f"{what}: {key!r} must give a list per language")
        return {}
    result: dict[str, list[str]] = {}
    for locale, items in value.items():
        if locale not in LOCALES:
            report.error(path, line_of(value, locale), f"{what}: unknown locale {locale!r} (use kk, ru, en)")
        elif not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            report.error(path, line_of(value, locale), f"{what}: {key}.{locale} must be a list of texts")
        else:
            result[locale] = [i.strip() for i in items]
    if result.get(DEFAULT_LOCALE):
        for locale in LOCALES:
            if locale != DEFAULT_LOCALE and not result.get(locale):
                report.warning(path, line_of(data, key), f"missing translation ({locale}) of {key!r} in {what}")
    return result
