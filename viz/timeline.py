"""The timeline view: claims placed by their article's date, one lane per subject or expert.

Its rows come from the named query ``stance-timeline``: without a focus every dated claim
on its main subject, one lane per subject; around a focus (a relation, state or
organization) every dated claim about or naming it, one lane per expert. Each mark is a
claim coloured by its trend; the page opens its quote. The page follows the other views'
conventions: one offline file, scripts inlined from this package, a Content-Security-Policy
that forbids every fetch, data as JSON and text written with textContent. A PNG and an SVG
(matplotlib) are written beside it for papers.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from cakg.errors import InputError
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import slugify
from cakg.graph.store.engines import Store
from cakg.graph.text.dates import first_day
from cakg.queries import resolve_param, run_query
from cakg.viz.figures import save_figure
from cakg.viz.html import CSP_MARKER, OFFLINE_CSP, fill_markers, inline_asset, template_source
from cakg.viz.styles import TREND_COLOURS
from cakg.viz.trends import NONE, trend_keys, trend_labels

__all__ = ["STACK", "TimelineMark", "render_timeline", "timeline_html", "timeline_marks"]

#: How many claims of one lane and day stand one above the other before the next column.
STACK = 5


@dataclass(frozen=True)
class TimelineMark:
    """One claim on the timeline: when, in which lane, its trend and what it says."""

    day: date
    date: str  # as the article gives it (a day, a month or a year)
    lane: str
    expert: str
    subject: str
    trend: str  # a key of the trend vocabulary, or 'none'
    quote: str
    article: str
    claim: str


def _trend_key(label: str) -> str:
    keys = {v: k for k, v in trend_labels().items()}
    return keys.get(label, NONE)


def timeline_marks(store: Store, focus: str | None = None) -> tuple[list[TimelineMark], str]:
    """The marks of the timeline (around `focus`, if given) and the page's title."""
    params: dict[str, object] = {}
    title = "Claims over time, by subject"
    if focus is not None:
        params["subject"] = resolve_param(store, None, "subject", focus)
        title = f"Claims about {focus} over time, by expert"
    rows = run_query(store, "stance-timeline", **params).rows
    labels = {
        str(r["x"]): str(r["l"])
        for r in store.query(
            "SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        ).rows
    }
    marks: dict[str, TimelineMark] = {}
    for r in rows:
        main = str(r.get("mainSubject", "")).lower() in ("true", "1")
        if focus is None and not main:
            continue
        subject = labels.get(str(r["subject"]), str(r["subject"]).rsplit("/", 1)[-1])
        expert = str(r.get("name") or str(r["expert"]).rsplit("/", 1)[-1])
        marks.setdefault(
            str(r["claim"]),
            TimelineMark(
                day=first_day(str(r["date"])[:10]),
                date=str(r["date"]),
                lane=expert if focus is not None else subject,
                expert=expert,
                subject=subject,
                trend=_trend_key(str(r.get("trend", ""))),
                quote=str(r.get("quote", "")),
                article=str(r.get("title") or r["article"]),
                claim=str(r["claim"]),
            ),
        )
    if not marks:
        where = f" about {focus}" if focus else ""
        raise InputError(f"no dated claim{where} in the graph: the timeline would be empty")
    return sorted(marks.values(), key=lambda m: (m.day, m.lane, m.claim)), title


def _json(value: object) -> str:
    """JSON safe inside a <script> element (no '<', '>' or '&' left as such)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def timeline_html(marks: list[TimelineMark], title: str) -> str:
    """The offline page of a timeline."""
    data = {
        "title": title,
        "trends": [
            {"key": k, "label": trend_labels()[k], "colour": TREND_COLOURS[k]}
            for k in (*trend_keys(), NONE)
        ],
        "marks": [
            {
                "day": m.day.isoformat(),
                "date": m.date,
                "lane": m.lane,
                "expert": m.expert,
                "subject": m.subject,
                "trend": m.trend,
                "quote": m.quote,
                "article": m.article,
                "claim": m.claim,
            }
            for m in marks
        ],
    }
    fills = {
        "/*cakg:timeline.css*/": inline_asset("timeline.css"),
        "/*cakg:timeline.js*/": inline_asset("timeline.js"),
        "/*cakg:data*/": _json(data),
        "<!--cakg:title-->": html.escape(title, quote=False),
        CSP_MARKER: OFFLINE_CSP,
    }
    return fill_markers(template_source("timeline.html"), fills)


def _figure(marks: list[TimelineMark], title: str, stem: Path) -> list[Path]:
    """The static timeline (PNG and SVG) for papers."""
    lanes = sorted({m.lane for m in marks})
    fig = Figure(figsize=(10, 1.2 + 0.6 * len(lanes)))
    ax = fig.add_subplot()
    # Claims of one lane and day are stacked in columns of STACK, a few days apart, so
    # that each shows and a busy day does not reach far into the next months.
    seen: dict[tuple[str, date], int] = {}
    count = Counter((m.lane, m.day) for m in marks)
    xy = []
    for m in marks:
        n = seen[(m.lane, m.day)] = seen.get((m.lane, m.day), -1) + 1
        row = n % STACK - (min(count[(m.lane, m.day)], STACK) - 1) / 2
        xy.append((m.day.toordinal() + 6 * (n // STACK), lanes.index(m.lane) + 0.16 * row))
    for trend in (*trend_keys(), NONE):
        own = [(p, m) for p, m in zip(xy, marks, strict=True) if m.trend == trend]
        if own:
            ax.scatter(
                [p[0] for p, _ in own],
                [p[1] for p, _ in own],
                s=40,
                color=TREND_COLOURS[trend],
                edgecolors="#333333",
                linewidths=0.5,
                zorder=3,
            )
    years = range(marks[0].day.year, marks[-1].day.year + 2)
    ax.set_xticks([date(y, 1, 1).toordinal() for y in years], [str(y) for y in years])
    ax.set_yticks(range(len(lanes)), lanes)
    ax.grid(axis="x", color="#dddddd", zorder=0)
    ax.set_xlim(date(years[0], 1, 1).toordinal() - 15, date(years[-1], 1, 1).toordinal() + 15)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_title(title)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=TREND_COLOURS[k], label=trend_labels()[k])
        for k in (*trend_keys(), NONE)
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return save_figure(fig, stem)


def render_timeline(
    store: Store, out: Path, focus: str | None = None, *, figures: bool = True
) -> list[Path]:
    """Write the timeline page (to OUT if it ends in .html, else OUT/timeline[-focus].html)
    and, unless told not to, its figures beside it."""
    marks, title = timeline_marks(store, focus)
    out = Path(out)
    if out.suffix.lower() in (".html", ".htm"):
        page, stem = out, out.with_suffix("")
    else:
        name = "timeline" + (f"-{slugify(focus)}" if focus else "")
        page, stem = out / f"{name}.html", out / name
    written = [atomic_write(page, timeline_html(marks, title).encode("utf-8"))]
    if figures:
        written += _figure(marks, title, stem)
    return written
