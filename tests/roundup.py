"""Extract one roundup written in a test, as `cakg build` reads a file (a helper for tests)."""

from __future__ import annotations

from pathlib import Path

from cakg.graph.build import build_knowledge_graph
from cakg.graph.extract.article import Extraction
from cakg.graph.text.reader import read_article


def extract_text(folder: Path, name: str, text: str) -> Extraction:
    """Write `text` to folder/name and extract it alone."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    _, (ex,), _ = build_knowledge_graph([read_article(path)])
    return ex
