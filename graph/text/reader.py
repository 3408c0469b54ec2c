"""Reading articles: plain text, Markdown and HTML pages, into one normalized text.

Offsets everywhere in cakg index :attr:`ArticleText.text`, the text *as read*:
for plain text and Markdown the file's own characters with line ends normalized
to ``\\n`` (and a leading byte-order mark dropped); for HTML the text of the
article's content blocks, one block a paragraph, with navigation, share buttons,
sidebars and footers removed.

>>> a = read_text("Title\\r\\n\\r\\nBody", name="x.txt")
>>> a.text
'Title\\n\\nBody'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from cakg.errors import InputError
from cakg.graph.io import local_path, parse_yaml
from cakg.graph.text.dates import dated

__all__ = [
    "ARTICLE_SUFFIXES",
    "BUNDLED_ARTICLE",
    "ArticleText",
    "bundled_article",
    "decode",
    "format_of",
    "read_article",
    "read_text",
    "sidecar_meta",
    "sniff",
]

BUNDLED_ARTICLE = "cabar-2022-01-crisis-in-kazakhstan-regional-cooperation.txt"

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MD_SUFFIXES = {".md", ".markdown"}
#: The suffixes of the files `cakg build DIR` reads as articles.
ARTICLE_SUFFIXES = frozenset(_HTML_SUFFIXES | _MD_SUFFIXES | {".txt"})


@dataclass(frozen=True)
class ArticleText:
    """An article as read: its name, normalized text, format and metadata (URL, publisher, date)."""

    name: str
    text: str
    fmt: str  # "text" | "markdown" | "html"
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    raw: bytes | None = field(default=None, repr=False)  # a fetched page's bytes, to cache

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset (for messages that name the line)."""
        return self.text.count("\n", 0, offset) + 1


# What a file that is not a text article is, by its first bytes (the formats' own magic
# numbers; byte-order marks per Unicode §23.8), so the error says what was given.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)


def sniff(data: bytes) -> str | None:
    """What bytes are when they are not a UTF-8 text article, from their magic number or BOM.

    >>> sniff(b"%PDF-1.7 ..."), sniff("\ufeffHi".encode("utf-16")), sniff(b"plain")
    ('a PDF document', 'UTF-16 text', None)
    """
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    return next((what for magic, what in _MAGIC if data.startswith(magic)), None)


def decode(data: bytes, path: Path | str, encoding: str = "UTF-8") -> str:
    """Text of an article's bytes; an InputError says what they are when they are no text."""
    if not data.strip():
        raise InputError("the file is empty", path=path)
    what = sniff(data)
    if what is not None:
        hint = "save it as UTF-8" if what.endswith("text") else "give the article as text"
        raise InputError(f"is {what}, not a UTF-8 text article ({hint})", path=path)
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not a text article", path=path)
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown character encoding {encoding!r}", path=path) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not {encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
        ) from None


def _normalize(text: str) -> str:
    # Offsets are defined on \n line ends (docs/standard-view.md: "line ends normalized to `\n`").
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sidecar_meta(path: Path) -> dict[str, Any]:
    """Metadata from `<stem>.meta.yaml` beside the article, if present."""
    meta_path = path.with_name(path.stem + ".meta.yaml")
    if not meta_path.exists():
        return {}
    return _load_meta(meta_path.read_text(encoding="utf-8"), meta_path)


def _load_meta(text: str, where: Path | str) -> dict[str, Any]:
    data = parse_yaml(text, where, "YAML metadata")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("metadata must be a YAML mapping", path=where)
    return {
        str(k): (str(v) if not isinstance(v, str | int | float | list) else v)
        for k, v in data.items()
    }


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def read_text(
    text: str,
    *,
    name: str,
    fmt: str = "text",
    meta: dict[str, Any] | None = None,
    path: Path | None = None,
    raw: bytes | None = None,
) -> ArticleText:
    """Wrap an already decoded text (normalizing line ends; HTML is reduced to its content)."""
    given = dict(meta or {})
    meta, source = dict(given), text
    front: dict[str, Any] = {}
    if fmt == "html":
        text, html_meta = html_to_text(text)
        for k, v in html_meta.items():
            meta.setdefault(k, v)
    else:
        text = _normalize(text)
        if fmt == "markdown":
            m = _FRONT_MATTER.match(text)
            if m:
                front = _load_meta(m.group(1), path or name)
                for k, v in front.items():
                    meta.setdefault(k, v)
    meta = dated(meta, given, front, source, text, fmt)
    return ArticleText(name=name, text=text, fmt=fmt, meta=meta, path=path, raw=raw)


def read_article(path: Path | str) -> ArticleText:
    """Read one article file; a clear InputError (exit 2) names the file when it can't be read."""
    path = local_path(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not an article file", path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    meta = sidecar_meta(path)
    # A cached web page records the charset it was served in (graph/text/sources.py).
    text = decode(data, path, str(meta.get("encoding") or "UTF-8"))
    return read_text(text, name=path.name, fmt=format_of(path.name, text), meta=meta, path=path)


def format_of(name: str, text: str) -> str:
    """The format an article is read as: by its suffix, or HTML when its text opens as a page.

    >>> format_of("a.md", "# T"), format_of("-", "<!DOCTYPE html><html>"), format_of("a", "T")
    ('markdown', 'html', 'text')
    """
    suffix = Path(name).suffix.lower()
    fmt = "html" if suffix in _HTML_SUFFIXES else "markdown" if suffix in _MD_SUFFIXES else "text"
    if fmt == "text" and re.match(r"\s*(<!doctype html|<html)", text[:200], re.IGNORECASE):
        fmt = "html"
    return fmt


def bundled_article() -> ArticleText:
    """The bundled CABAR.asia roundup (package data), with its source attribution."""
    folder = files("cakg.graph.data").joinpath("articles")
    data = folder.joinpath(BUNDLED_ARTICLE).read_bytes()
    meta_text = folder.joinpath(BUNDLED_ARTICLE.removesuffix(".txt") + ".meta.yaml").read_text(
        encoding="utf-8"
    )
    meta = _load_meta(meta_text, BUNDLED_ARTICLE)
    return read_text(decode(data, BUNDLED_ARTICLE), name=BUNDLED_ARTICLE, fmt="text", meta=meta)


# --- HTML -----------------------------------------------------------------------------------

# Page chrome that is never article content (HTML Living Standard §4.3 sectioning:
# nav/aside/footer; plus the share/related/comment widgets publishers add).
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "header",
    "form",
    "button",
    "iframe",
    "svg",
    "select",
    "input",
    "label",
)
_DROP_HINTS = re.compile(
    r"(share|social|related|comment|sidebar|breadcrumb|menu|newsletter|subscribe|advert|"
    r"banner|cookie|footer|navbar|widget|tags|popup|modal|spelling)",
    re.IGNORECASE,
)
_BLOCKS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "td",
    "th",
)


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """The article text of an HTML page (content blocks, one per paragraph) and its metadata."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "lxml")
    meta: dict[str, Any] = {}
    for prop, key in (
        ("og:url", "url"),
        ("og:site_name", "publisher"),
        ("article:published_time", "date_published"),
        ("og:title", "title"),
    ):
        tag = soup.find("meta", attrs={"property": prop})
        if isinstance(tag, Tag) and tag.get("content"):
            meta[key] = str(tag.get("content")).strip()
    canonical = soup.find("link", attrs={"rel": "canonical"})
    if isinstance(canonical, Tag) and canonical.get("href"):
        meta.setdefault("url", str(canonical.get("href")).strip())
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        hint = " ".join([str(tag.get("id", ""))] + [str(c) for c in (tag.get("class") or [])])
        role = str(tag.get("role", ""))
        if (hint.strip() and _DROP_HINTS.search(hint)) or role in (
            "navigation",
            "complementary",
            "contentinfo",
            "banner",
        ):
            tag.decompose()
    root = (
        soup.find("article")
        or soup.find("main")
        or soup.find(True, attrs={"role": "main"})
        or soup.body
    )
    if not isinstance(root, Tag):
        return "", meta
    lines: list[str] = []
    title = soup.find("h1")
    if isinstance(title, Tag) and root.find("h1") is None:
        lines.append(_clean(title.get_text(" ")))
    for block in root.find_all(_BLOCKS):
        if not isinstance(block, Tag) or block.find_parent(_BLOCKS) is not None:
            continue
        text = _clean(block.get_text(" "))
        if not text:
            continue
        if block.name == "li" and block.parent is not None and block.parent.name == "ol":
            siblings = [s for s in block.parent.find_all("li", recursive=False)]
            text = f"{siblings.index(block) + 1}. {text}"
        lines.append(text)
    return "\n\n".join(lines) + ("\n" if lines else ""), meta


def _clean(text: str) -> str:
    text = text.replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    # get_text(" ") puts a space before punctuation that followed an inline tag.
    text = re.sub(r" ([,.;:!?)\]”»])", r"\1", text)
    text = re.sub(r"([(\[“«]) ", r"\1", text)
    return text.strip()
