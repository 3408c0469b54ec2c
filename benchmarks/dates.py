"""Publication dates of HTML pages: cakg's own reader against htmldate, right answers and time.

    .venv/bin/python benchmarks/dates.py          # needs htmldate (pip install htmldate)

The pages: every HTML fixture whose gold gives a ``date`` (the dated series), and small
pages made here that carry their date one way each (Open Graph ``<meta>``, JSON-LD,
``<time datetime>``), or none at all beside a date in the text that is an event, not the
article's. A reader is right when it gives the expected day, or nothing where the page has
no date. htmldate runs with ``original_date=True`` and ``extensive_search=False``: its
extensive search guesses from dates in the text, which is what cakg must never do.
Times are medians of ``--repeat`` runs; the ratio is htmldate's time over cakg's.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from cakg.graph.text.dates import publication_date
from cakg.graph.text.reader import read_text

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
BODY = (
    "<article><h1>Will the region hold together?</h1><p>{extra}</p>"
    "<p>Aigerim Sadykova, analyst, Steppe Institute (Kazakhstan):</p>"
    "<p>How will relations develop?</p><p>They will improve.</p></article>"
)
MADE = {
    "og-meta": (
        '<meta property="article:published_time" content="2023-01-20T08:00:00+06:00">',
        "",
        "2023-01-20",
    ),
    "json-ld": (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2022-11-02"}</script>',
        "",
        "2022-11-02",
    ),
    "time": ("", 'Published <time datetime="2023-05-04">4 May</time>', "2023-05-04"),
    "none": ("", "The talks of 5 May 2021 in Osh failed.", None),
}


def pages() -> list[tuple[str, str, str | None]]:
    """(name, html, expected date) of every page measured."""
    out = []
    for gold in sorted(FIXTURES.glob("**/gold/*.yaml")):
        data = yaml.safe_load(gold.read_text(encoding="utf-8"))
        article = FIXTURES / str(data.get("article", ""))
        if "date" in data and article.suffix == ".html" and article.is_file():
            out.append((article.name, article.read_text(encoding="utf-8"), data["date"]))
    for name, (head, extra, expected) in MADE.items():
        body = BODY.format(extra=extra)
        html = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
        out.append((name, html, expected))
    return out


def cakg_reader(html: str) -> Callable[[str], str | None]:
    """cakg's date reading alone: the page's text (for a dateline) is read beforehand."""
    text = read_text(html, name="page.html", fmt="html").text

    def find(page: str) -> str | None:
        found = publication_date({}, {}, page, text, "html")
        return found.value if found else None

    return find


def htmldate_date(html: str) -> str | None:
    from htmldate import find_date

    return find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")


def _median_ms(func: Callable[[str], str | None], html: str, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func(html)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows, right = [], {"cakg": 0, "htmldate": 0}
    total = {"cakg": 0.0, "htmldate": 0.0}
    for name, html, expected in pages():
        line = [name, str(expected)]
        for reader, func in (("cakg", cakg_reader(html)), ("htmldate", htmldate_date)):
            ms, got = _median_ms(func, html, args.repeat)
            total[reader] += ms
            right[reader] += got == (str(expected) if expected else None)
            line += [str(got), f"{ms:.1f}"]
        rows.append(line)
    head = ["page", "expected", "cakg", "ms", "htmldate", "ms"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    n = len(rows)
    ratio = total["htmldate"] / total["cakg"] if total["cakg"] else float("nan")
    print(f"\nright: cakg {right['cakg']}/{n}, htmldate {right['htmldate']}/{n}")
    print(f"time: htmldate / cakg = {ratio:.2f}")


if __name__ == "__main__":
    main()
