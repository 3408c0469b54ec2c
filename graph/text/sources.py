"""Turning `cakg build` arguments into articles: files, folders, standard input and web pages.

A page fetched over HTTP(S) keeps where and when it came from in its metadata (``url``
the page as served, ``derived_from`` the address asked for, ``retrieved`` the time), and
:func:`cache_pages` saves its bytes with that metadata beside the outputs, so building
from the cached file later gives the same graph without the network.

>>> is_url("https://example.org/a"), is_url("articles/a.txt"), is_url("C:/a.txt")
(True, False, False)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from cakg import __version__
from cakg.errors import InputError
from cakg.graph.io import atomic_write, local_path
from cakg.graph.text.reader import (
    ARTICLE_SUFFIXES,
    ArticleText,
    decode,
    format_of,
    read_article,
    read_text,
    sniff,
)

__all__ = [
    "CACHE_FOLDER",
    "STDIN",
    "USER_AGENT",
    "cache_pages",
    "fetch_article",
    "is_url",
    "local_articles",
    "read_sources",
]

#: The argument that stands for standard input.
STDIN = "-"
#: Where, inside the output folder, fetched pages are kept.
CACHE_FOLDER = "sources"
#: Sent with every request, so a publisher can see who fetches and why (RFC 9110 §10.1.5).
USER_AGENT = f"cakg/{__version__} (knowledge-graph builder for expert roundups; one page per run)"

# The media types read as articles; anything else is refused with its type named.
_PAGE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)


def is_url(arg: str) -> bool:
    """True for an http(s) address (other schemes are refused as paths by `local_path`)."""
    return re.match(r"^https?://[^/\s]", arg, re.IGNORECASE) is not None


def read_sources(
    args: Sequence[str | Path], *, stdin: BinaryIO | None = None, timeout: float = 30.0
) -> list[ArticleText]:
    """Every article the arguments name: a file, each article in a folder, `-`, or a URL."""
    articles: list[ArticleText] = []
    for arg in args:
        text = str(arg)
        if text == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            body = decode(data, "<stdin>")
            articles.append(read_text(body, name="stdin", fmt=format_of("stdin", body)))
        elif is_url(text):
            articles.append(fetch_article(text, timeout=timeout))
        else:
            path = local_path(text)
            if path.is_dir():
                articles.extend(read_article(p) for p in _folder_articles(path))
            else:
                articles.append(read_article(path))
    return articles


def local_articles(args: Sequence[str | Path]) -> list[Path]:
    """The article files the arguments name, each folder expanded; a URL or `-` is refused,
    since a corpus store rebuilds from files it can read again (`cakg build URL -o DIR` keeps
    the fetched page in DIR/sources)."""
    paths: list[Path] = []
    for arg in args:
        if str(arg) == STDIN or is_url(str(arg)):
            raise InputError(
                "--store reads files and folders; build the page with -o first, then its "
                f"{CACHE_FOLDER}/ folder",
                path=str(arg),
            )
        path = local_path(arg)
        paths.extend(_folder_articles(path) if path.is_dir() else [path])
    return paths


def _folder_articles(folder: Path) -> list[Path]:
    """The article files of a folder, in name order (sidecars, README and other files left out)."""
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in ARTICLE_SUFFIXES
        and not p.name.startswith(".")
        and ".meta." not in p.name
        # A folder's README describes the folder (the convention of code and data hosts);
        # it is never one of its articles.
        and p.stem.upper() != "README"
    )
    if not found:
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        raise InputError(f"the folder holds no article ({kinds})", path=folder)
    return found


def fetch_article(url: str, *, timeout: float = 30.0) -> ArticleText:
    """Fetch one article page (redirects followed, the page's charset honoured)."""
    import httpx

    try:
        with httpx.Client(
            follow_redirects=True,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.8"},
        ) as client:
            response = client.get(url)
    except httpx.TooManyRedirects:
        raise InputError("too many redirects", path=url) from None
    except httpx.TimeoutException:
        raise InputError(f"no answer within {timeout:g} s", path=url) from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch: {exc}", path=url) from None
    if response.status_code != 200:
        raise InputError(
            f"the server answered {response.status_code} {response.reason_phrase}", path=url
        )
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    data = response.content
    fmt = _PAGE_TYPES.get(media_type)
    if fmt is None:
        what = sniff(data)
        shown = f"{what} ({media_type})" if what else media_type or "of no stated type"
        raise InputError(f"is {shown}, not an article page (HTML or text)", path=url)
    final = str(response.url)
    meta: dict[str, Any] = {
        "url": final,
        "derived_from": url,
        "retrieved": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    name = _cache_name(final, fmt)
    meta["encoding"] = _charset(response.charset_encoding, data, fmt)
    body = decode(data, url, meta["encoding"])
    return read_text(body, name=name, fmt=fmt, meta=meta, raw=data)


def _charset(declared: str | None, data: bytes, fmt: str) -> str:
    """The encoding of a page: the Content-Type's charset, else its <meta charset>, else UTF-8."""
    if declared:
        return declared
    if fmt == "html":
        m = _META_CHARSET.search(data[:4096])
        if m:
            return m.group(1).decode("ascii")
    return "UTF-8"


def _cache_name(url: str, fmt: str) -> str:
    """A file name for a page, from its address (readable and stable).

    >>> _cache_name("https://www.example.org/analysis/roundup-2024/?p=1", "html")
    'www.example.org-analysis-roundup-2024-p-1.html'
    """
    rest = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9.]+", "-", rest).strip("-.")[:120] or "page"
    return f"{stem}.{ {'html': 'html', 'markdown': 'md'}.get(fmt, 'txt') }"


def cache_pages(articles: Sequence[ArticleText], out_dir: Path) -> list[Path]:
    """Save each fetched page and its provenance in out_dir/sources (a rebuild reads them)."""
    written: list[Path] = []
    for article in articles:
        if article.raw is None:
            continue
        page = out_dir / CACHE_FOLDER / article.name
        meta = {k: article.meta[k] for k in ("url", "derived_from", "retrieved", "encoding")}
        sidecar = page.with_name(page.stem + ".meta.yaml")
        written.append(atomic_write(page, article.raw))
        written.append(atomic_write(sidecar, yaml.safe_dump(meta, sort_keys=False).encode("utf-8")))
    return written
