"""Reading HTML forms the way a browser would, so the load scenario posts what a learner's browser posts.

Standard library only (html.parser): the load generator should spend its time sending requests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # text, number inputs and textareas: name -> type
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value) of submit buttons

    def fill(self, rng: random.Random, **chosen: str) -> list[tuple[str, str]]:
        """Fields as a learner fills them: one radio per group, some checkboxes, an option per select, some
        words in text boxes; ``chosen`` values win."""
        fields = [(name, value) for name, value in self.hidden.items() if name not in chosen]
        for name, values in self.radios.items():
            if name not in chosen and values:
                fields.append((name, rng.choice(values)))
        for name, values in self.checkboxes.items():
            if name not in chosen:
                fields += [(name, v) for v in values if rng.random() < 0.5]
        for name, values in self.selects.items():
            if name not in chosen and values:
                fields.append((name, rng.choice(values)))
        for name, kind in self.texts.items():
            if name not in chosen:
                fields.append((name, str(rng.randint(1, 9)) if kind == "number" else "verified official source"))
        return fields + list(chosen.items())


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        if tag == "input" and a.get("name"):
            kind, name = a.get("type", "text").lower(), a["name"]
            if kind == "hidden":
                form.hidden[name] = a.get("value", "")
            elif kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "checkbox":
                form.checkboxes.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "submit":
                form.buttons.append((name, a.get("value", "")))
            elif kind not in ("file", "button", "reset", "image"):
                form.texts[name] = kind
        elif tag == "textarea" and a.get("name"):
            form.texts[a["name"]] = "textarea"
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form.selects[self._select] = []
        elif tag == "option" and self._select is not None and a.get("value"):
            form.selects[self._select].append(a["value"])
        elif tag == "button" and a.get("type", "submit") == "submit" and a.get("name"):
            form.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, fragment: str) -> Form | None:
    """The first POST form whose action contains ``fragment``."""
    return next((f for f in forms_of(html) if f.method == "post" and fragment in f.action), None)


def csrf_token(html: str) -> str:
    """The session's CSRF token, from any form of the page (every Sanaly page has one in its header)."""
    for form in forms_of(html):
        if "csrf_token" in form.hidden:
            return form.hidden["csrf_token"]
    raise ValueError("no CSRF token on the page")
