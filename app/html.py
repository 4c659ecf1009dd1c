"""Markdown to sanitized HTML: the one allowlist.

Course files and user-written rich text become HTML here, once, when they are
saved or loaded; templates mark only this module's output as safe.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import bleach
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "strong", "em", "b", "i", "s", "sup", "sub", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img", "figure",
    "figcaption", "abbr", "dl", "dt", "dd",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "id"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["align", "scope"],
    "td": ["align"],
    "abbr": ["title"],
    "ol": ["start"],
    "h2": ["id"],
    "h3": ["id"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_EXTERNAL = re.compile(r'<a href="(https?://[^"]+)"')


def _demote_h1(tokens) -> None:
    """The page owns the only <h1>; a '# heading' in content becomes <h2>."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def render_markdown(text: str, rewrite_link: Callable[[str], str | None] | None = None) -> str:
    """Render Markdown to HTML that is safe to show, whatever the input."""
    tokens = _markdown.parse(text or "")
    _demote_h1(tokens)
    if rewrite_link:
        for token in tokens:
            for child in token.children or ():
                if child.type == "link_open":
                    new = rewrite_link(child.attrs.get("href", ""))
                    if new is not None:
                        child.attrs["href"] = new
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitize(html)


def sanitize(html: str) -> str:
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return _EXTERNAL.sub(r'<a rel="noopener noreferrer" href="\1"', cleaned)


def safe(html: str | None) -> Markup:
    """Mark HTML produced by this module as safe for templates."""
    return Markup(html or "")  # noqa: S704 - only this module's sanitized output reaches here  # nosec B704
