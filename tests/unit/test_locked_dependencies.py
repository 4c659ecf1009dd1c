"""requirements.lock, which `make install` uses with --require-hashes, covers what pyproject.toml asks for.

When a dependency is added to pyproject.toml, `make lock` must be rerun: these tests say so.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def _locked() -> dict[str, list[tuple[str, str]]]:
    """Each locked package with its pins: (version, the text of its entry, hashes included)."""
    pins: dict[str, list[tuple[str, str]]] = {}
    entry: list[str] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines() + [""]:
        if not line.startswith((" ", "#")) and entry:
            match = PIN.match(entry[0])
            assert match, f"not a pinned requirement in requirements.lock: {entry[0]}"
            pins.setdefault(canonicalize_name(match["name"]), []).append((match["version"], "\n".join(entry)))
            entry = []
        if line.strip() and not line.startswith("#"):
            entry.append(line)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    texts = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for extra in project["project"].get("optional-dependencies", {}).values():
        texts += extra
    return [Requirement(text) for text in texts]


def test_every_dependency_of_pyproject_is_pinned_in_requirements_lock_at_an_allowed_version():
    locked = _locked()
    problems = []
    for requirement in _wanted():
        versions = [version for version, _ in locked.get(canonicalize_name(requirement.name), [])]
        if not versions:
            problems.append(f"{requirement} is missing")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement} is locked at {', '.join(versions)}")
    assert problems == [], "requirements.lock is out of date, run `make lock`: " + "; ".join(problems)


def test_every_pin_in_requirements_lock_carries_a_hash():
    unhashed = [name for name, pins in _locked().items() for _, text in pins if "--hash=sha256:" not in text]
    assert unhashed == []
