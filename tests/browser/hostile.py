"""Hostile inputs for the stored-XSS test, and a course whose files carry them.

Each input calls ``__xss(n)`` (or ``alert(n)``) if it ever runs, so the test can say which one got through. They
cover script tags, event handlers, javascript: and data: URLs, SVG and MathML, markdown link and image tricks,
HTML entities, right-to-left and zero-width characters, and template syntax (Jinja2, JS template literals).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

PAYLOADS = [
    "<script>__xss({n})</script>",
    "<img src=x onerror=__xss({n})>",
    "<svg onload=__xss({n})><circle r=9></svg>",
    "<svg><script>__xss({n})</script></svg>",
    '"><script>__xss({n})</script><b x="',
    "' autofocus onfocus='__xss({n})' x='",
    "javascript:__xss({n})//",
    "[link {n}](javascript:__xss({n}))",
    '<a href="jav&#x09;ascript:__xss({n})">tab {n}</a>',
    "&lt;script&gt;__xss({n})&lt;/script&gt; &amp; &#60;b&#62;",
    '<iframe src="javascript:__xss({n})"></iframe>',
    "<details open ontoggle=__xss({n})><summary>d{n}</summary></details>",
    "{{{{7*7}}}} {{% if true %}}__xss({n}){{% endif %}} ${{7*7}} #{{7*7}}",
    "Aigerim\u202egnp.exe\u200b <scr\u200bipt>__xss({n})</scr\u200bipt> \u2066{n}\u2069",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss({n})></style></mglyph></table></mtext></math>",
    "<style>*{{display:none}}</style><b onclick=__xss({n})>bold {n}</b>",
    '![img {n}](x" onerror="__xss({n}))',
    "<a href=\"data:text/html,<script>__xss({n})</script>\">data {n}</a>",
    "<img src=x onerror=alert({n})>",
    "<body onload=__xss({n})><input autofocus onfocus=__xss({n})>",
]


def every_input(field_code: int, separator: str = "\n\n") -> str:
    """All the inputs, numbered ``field_code * 100 + i``."""
    return separator.join(payload.format(n=field_code * 100 + index) for index, payload in enumerate(PAYLOADS))


class _Fields:
    """Hands out a new field number for each text written into the course."""

    def __init__(self, first: int) -> None:
        self.next = first

    def text(self, separator: str = " ") -> str:
        self.next += 1
        return every_input(self.next - 1, separator)


def _poison(value: Any, fields: _Fields) -> Any:
    """Append the inputs to every per-language text of a YAML document, keeping ids and numbers."""
    if isinstance(value, dict):
        if value and set(value) <= {"kk", "ru", "en"}:
            text = fields.text()
            return {key: _poison_text(item, text) for key, item in value.items()}
        return {key: _poison(item, fields) for key, item in value.items()}
    if isinstance(value, list):
        return [_poison(item, fields) for item in value]
    return value


def _poison_text(value: Any, text: str) -> Any:
    if isinstance(value, str):
        return f"{value} {text}"
    if isinstance(value, list):
        return [_poison_text(item, text) for item in value]
    return value


def write_hostile_course(sample: Path, target: Path, first_field: int, slug: str = "hostile-course") -> Path:
    """The sample course under ``slug`` with every text of its files carrying every hostile input, each text's
    inputs numbered from its own field number (from ``first_field`` up)."""
    course = target / slug
    shutil.copytree(sample, course)
    fields = _Fields(first_field)
    for path in sorted(course.rglob("*.yaml")):
        data = _poison(yaml.safe_load(path.read_text(encoding="utf-8")), fields)
        if path.name == "course.yaml":
            data["slug"] = slug
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in sorted(course.rglob("*.md")):
        _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(header)
        meta["title"] = f"{meta['title']} {fields.text()}"
        for source in meta.get("sources", []):
            source["title"] = f"{source['title']} {fields.text()}"
            source["url"] = 'https://example.kz/"><script>__xss(99)</script>?q=<img src=x onerror=__xss(97)>'
        body = f"{body}\n\n{fields.text(chr(10) * 2)}\n\n[glossary trick](glossary:framing\" onclick=\"__xss(98))\n"
        path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}",
                        encoding="utf-8")
    return course
