"""Texts between GIFT and Sanaly: Moodle's four text formats in, Markdown out, and GIFT's escapes.

Sanaly stores every question text as Markdown and renders it with raw HTML switched off, so a GIFT text in
``[html]`` or Moodle's default ``[moodle]`` format (which allows HTML) is converted to Markdown on import, and a
``[plain]`` text is escaped so that it shows exactly as typed. ``[markdown]`` texts are kept as they are; the
export writes ``[markdown]`` so a file made here re-imports unchanged.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FORMATS = ("moodle", "html", "plain", "markdown")
BLANK = "\ue000"
"""Stands in for the missing-word blank until the text is converted, so no format can mangle it."""

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(
    r"^([ \t]*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[=-]+(?=[ \t]*$)|\d+[.)](?=\s|$))", re.MULTILINE)
"""What makes a line a heading, quote, list item or underline in Markdown."""
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")


def escape_markdown(text: str, *, line_starts: bool = True) -> str:
    """Plain text as Markdown that renders as the same characters."""
    text = _ENTITY_LIKE.sub(r"\\&", _INLINE_SPECIALS.sub(r"\\\1", text))
    return _LINE_START.sub(_escape_line_start, text) if line_starts else text


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def hard_breaks(text: str) -> str:
    """Moodle shows each line break of a plain or auto-formatted text; Markdown needs them marked."""
    return re.sub(r"[ \t]*\n", "\\\\\n", text)


def to_markdown(text: str, text_format: str) -> str:
    """A GIFT text in one of Moodle's formats as Markdown."""
    if text_format == "markdown":
        return text
    if text_format == "html":
        return html_to_markdown(text)
    if text_format == "moodle" and _HTML_TAG.search(text):
        return html_to_markdown(text.replace("\n", "<br>"))
    return hard_breaks(escape_markdown(text))


class _MarkdownWriter(HTMLParser):
    """The common tags of question texts as Markdown; other tags are dropped and their text kept."""

    BLOCKS = frozenset({"p", "div", "blockquote", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str] = []
        self.lists: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.quote = 0

    def _newline(self, count: int = 1) -> None:
        text = "".join(self.out).rstrip(" ")
        trailing = len(text) - len(text.rstrip("\n"))
        self.out = [text + "\n" * max(0, count - trailing)] if text.strip() else []
        if self.quote and self.out:
            self.out.append("> " * self.quote)

    def _at_line_start(self) -> bool:
        text = "".join(self.out)
        return not text or text.endswith(("\n", "> ", "- ", ". ", "# "))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self._newline(2)
            if tag in ("ul", "ol"):
                self.lists.append(tag)
            elif tag == "blockquote":
                self.quote += 1
                self.out.append("> ")
            elif tag[0] == "h":
                self.out.append("## " if tag in ("h1", "h2") else "### ")
        elif tag == "li":
            self._newline(1)
            self.out.append("  " * max(0, len(self.lists) - 1) + ("1. " if self.lists[-1:] == ["ol"] else "- "))
        elif tag == "br":
            self.out.append("\\\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self._newline(2)
            self.out.append("```\n")
            self.pre += 1
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
            self.out.append("[")
        elif tag == "img":
            alt = escape_markdown(attributes.get("alt") or "", line_starts=False)
            self.out.append(f"![{alt}]({attributes.get('src') or ''})")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            self._newline(2)
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self._newline(1)
            self.out.append("```")
            self._newline(2)
        elif tag == "a" and self.links:
            self.out.append(f"]({self.links.pop()})")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.out.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if self._at_line_start():
            text = text.lstrip()
        self.out.append(escape_markdown(text, line_starts=self._at_line_start()))

    def markdown(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "".join(self.out)).strip()


def html_to_markdown(html: str) -> str:
    writer = _MarkdownWriter()
    writer.feed(html)
    writer.close()
    return writer.markdown()


# --- GIFT's own escapes ------------------------------------------------------------------------------------

_ESCAPED = {":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005", "~": "\ue006",
            "n": "\ue007"}
_BACKSLASH = "\ue008"


def hide_escapes(text: str) -> str:
    """Moodle's first step: ``\\\\`` is a backslash, ``\\:`` ``\\#`` ``\\=`` ``\\{`` ``\\}`` ``\\~`` lose their
    meaning and ``\\n`` is a line break; they are set aside so that splitting on the specials ignores them."""
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPED.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def restore_escapes(text: str) -> str:
    """The characters set aside by ``hide_escapes``, as plain characters."""
    for char, placeholder in _ESCAPED.items():
        text = text.replace(placeholder, "\n" if char == "n" else char)
    return text


def show_escapes(text: str) -> str:
    """The GIFT spelling of a fragment that still holds set-aside characters, to find it in the file."""
    for char, placeholder in _ESCAPED.items():
        text = text.replace(placeholder, "\\" + char)
    return text


def escape_gift(text: str) -> str:
    """A text as GIFT writes it (Moodle's export): specials escaped, line breaks as ``\\n``, on one line."""
    for char in ("\\", "#", "=", "~", "{", "}", ":"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")
