"""Languages: which one a request speaks, and picking a text from per-locale content.

Course content is stored as ``{"kk": ..., "ru": ..., "en": ...}``; Kazakh is the
fallback when a translation is missing, and callers are told so, to show a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

from app.config import DEFAULT_LOCALE, LOCALES

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    """The account's choice, else the cookie, else Accept-Language, else Kazakh."""
    from flask_login import current_user

    forced = g.get("forced_locale")
    if forced in LOCALES:
        return forced
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LOCALES:
        return cookie
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def current_locale() -> str:
    if not has_request_context():
        return current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    return str(get_locale() or DEFAULT_LOCALE)


@dataclass(frozen=True)
class Localized:
    """A text in the wanted language, or in Kazakh with ``fallback`` set."""

    value: Any
    locale: str
    fallback: bool

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


def pick(texts: dict[str, Any] | None, locale: str | None = None) -> Localized:
    """Choose the text for ``locale`` from a per-locale mapping, falling back to Kazakh."""
    locale = locale or current_locale()
    texts = texts or {}
    if texts.get(locale) not in (None, "", [], {}):
        return Localized(texts[locale], locale, False)
    for other in (DEFAULT_LOCALE, *LOCALES):
        if texts.get(other) not in (None, "", [], {}):
            return Localized(texts[other], other, other != locale)
    return Localized(None, locale, False)
