"""The interface is fully translated and the compiled catalogues match their sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


def _catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def test_every_message_in_the_source_has_kazakh_and_russian_translations(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
        check=True, cwd=ROOT, capture_output=True,
    )
    with open(pot, "rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    assert len(wanted) > 50
    for locale in ("kk", "ru"):
        catalog = _catalog(locale)
        missing = sorted(str(i) for i in wanted if not catalog.get(i) or not catalog.get(i).string
                         or catalog.get(i).fuzzy)
        assert missing == [], f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"


def _key(value):
    """Plural messages come as lists (or tuples): make them comparable."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalogues_are_in_step_with_their_sources():
    for locale in ("kk", "ru"):
        source = {_key(m.id): _key(m.string) for m in _catalog(locale) if m.id and m.string}
        with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        assert compiled == source, f"{locale}: run `make install` to recompile the catalogue"
