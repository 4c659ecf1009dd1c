"""scenario.yaml and assignment.yaml as parts of a module folder: checked when the course is read, stored as
versions when it is loaded.

The pure parsers decide what is wrong; this module only passes each problem on with its file and line (a
missing translation is a warning, as everywhere in the course), renders the Markdown once, and reads the images
a scenario shows. Storing is idempotent: the same content finds its version again by hash, new content becomes a
new version, and learners' playthroughs and submissions keep pointing at the version they used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from app.courseware.report import Report
from app.html import render_markdown
from app.practicum.assignment import parse_assignment
from app.practicum.authoring import Problem
from app.practicum.models import Assignment, AssignmentVersion, PracticumImage, Scenario, ScenarioVersion
from app.practicum.scenario import parse_scenario

# One scenario and one assignment per module, each kept under a slug that never changes.
SCENARIO_SLUG = "scenario"
ASSIGNMENT_SLUG = "assignment"
IMAGE_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml",
}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ImageFile:
    sha256: str
    media_type: str
    data: bytes


@dataclass
class ScenarioSpec:
    definition: dict[str, Any]
    html: dict[str, Any]
    images: dict[str, ImageFile] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return _hash({"definition": self.definition, "images": {src: i.sha256 for src, i in self.images.items()}})


@dataclass
class AssignmentSpec:
    definition: dict[str, Any]
    prompt_html: dict[str, str]

    @property
    def content_hash(self) -> str:
        return _hash({"definition": self.definition})


class ScenarioPart:
    filename = "scenario.yaml"

    def parse(self, data: Any, path: Path, report: Report, context: dict) -> ScenarioSpec | None:
        scenario, errors, warnings = parse_scenario(data)
        _pass_on(report, path, errors, warnings)
        if scenario is None:
            return None
        images = _read_images(data, path, report)
        if images is None:
            return None
        rewrite = _glossary_links(context)
        html = {
            node.id: {"text": _markdown(node.text, rewrite), "debrief": _markdown(node.debrief, rewrite)}
            for node in scenario.nodes.values()
        }
        return ScenarioSpec(_plain(data), html, images)

    def store(self, spec: ScenarioSpec, module: Any, session: Any) -> None:
        for image in spec.images.values():
            if session.get(PracticumImage, image.sha256) is None:
                session.add(PracticumImage(sha256=image.sha256, media_type=image.media_type, data=image.data))
        _store_version(Scenario, ScenarioVersion, "scenario_id", module, SCENARIO_SLUG, spec.content_hash, session,
                       definition=spec.definition, html=spec.html,
                       images={src: image.sha256 for src, image in spec.images.items()})

    def retire(self, module: Any, session: Any) -> None:
        session.execute(update(Scenario).where(Scenario.module_id == module.id).values(retired=True))


class AssignmentPart:
    filename = "assignment.yaml"

    def parse(self, data: Any, path: Path, report: Report, context: dict) -> AssignmentSpec | None:
        assignment, errors, warnings = parse_assignment(data)
        _pass_on(report, path, errors, warnings)
        if assignment is None:
            return None
        return AssignmentSpec(_plain(data), _markdown(assignment.prompt, _glossary_links(context)))

    def store(self, spec: AssignmentSpec, module: Any, session: Any) -> None:
        _store_version(Assignment, AssignmentVersion, "assignment_id", module, ASSIGNMENT_SLUG, spec.content_hash,
                       session, definition=spec.definition, prompt_html=spec.prompt_html)

    def retire(self, module: Any, session: Any) -> None:
        session.execute(update(Assignment).where(Assignment.module_id == module.id).values(retired=True))


PARTS = [ScenarioPart(), AssignmentPart()]


def _pass_on(report: Report, path: Path, errors: Iterable[Problem], warnings: Iterable[Problem]) -> None:
    for problem in errors:
        report.error(path, problem.line, str(problem))
    for problem in warnings:
        report.warning(path, problem.line, str(problem))


def _store_version(item_model, version_model, owner_column: str, module, slug: str, content_hash: str, session,
                   **content: Any) -> None:
    """Find or create the module's item by slug, and its version by content hash; make that version current."""
    item = session.scalar(select(item_model).where(item_model.module_id == module.id, item_model.slug == slug))
    if item is None:
        item = item_model(module_id=module.id, slug=slug, current_hash=content_hash)
        session.add(item)
        session.flush()
    item.retired, item.current_hash = False, content_hash
    owner = getattr(version_model, owner_column)
    known = session.scalar(
        select(version_model.id).where(owner == item.id, version_model.content_hash == content_hash)
    )
    if known is None:
        number = (session.scalar(select(func.max(version_model.number)).where(owner == item.id)) or 0) + 1
        session.add(version_model(**{owner_column: item.id}, number=number, content_hash=content_hash, **content))
    session.flush()


def _read_images(data: Any, path: Path, report: Report) -> dict[str, ImageFile] | None:
    """Each image a node shows, read from the module folder; None if any is missing or unusable."""
    images: dict[str, ImageFile] = {}
    ok = True
    for node in data["nodes"]:
        image = node.get("image")
        if not image:
            continue
        src = image["src"]
        where = f"node {node['id']}, image"
        line = image.line_of("src") if callable(getattr(image, "line_of", None)) else None
        file = path.parent / src
        media_type = IMAGE_TYPES.get(file.suffix.lower())
        if media_type is None:
            report.error(path, line, f"{where}: `{src}` must be one of {', '.join(sorted(IMAGE_TYPES))}")
            ok = False
        elif not file.is_file():
            report.error(path, line, f"{where}: there is no file `{src}` in the module folder")
            ok = False
        elif file.stat().st_size > MAX_IMAGE_BYTES:
            report.error(path, line, f"{where}: `{src}` is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB")
            ok = False
        else:
            content = file.read_bytes()
            images[src] = ImageFile(hashlib.sha256(content).hexdigest(), media_type, content)
    return images if ok else None


def _glossary_links(context: dict):
    glossary_href = context.get("glossary_href") or (lambda term: None)

    def rewrite(href: str) -> str | None:
        return (glossary_href(href[9:]) or "#") if href.startswith("glossary:") else None

    return rewrite


def _markdown(texts: dict[str, str] | None, rewrite) -> dict[str, str]:
    return {locale: render_markdown(text, rewrite) for locale, text in (texts or {}).items()}


def _plain(data: Any) -> dict[str, Any]:
    """The YAML data as plain JSON values (the reader's line-remembering mappings dropped)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def _hash(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
