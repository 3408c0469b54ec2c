"""A synthetic corpus of expert roundups, for benchmarks only: never real data.

    .venv/bin/python benchmarks/corpus.py 100 corpus-dir --seed 0

Writes N articles in the layouts the reader accepts (expert blocks as text, Markdown and
an HTML page; topic headings as text), each with a ``.meta.yaml`` sidecar that says it is
synthetic (``synthetic: true``, and a publisher and rights statement that carry the same
into the graph). States and organizations come from the package's reference data (read
with its own API), everything else from the templates below: the expert names are made
of syllables and their institutes invented, so no article can pass for a real one.
Experts recur across articles as real ones do: each article draws its experts from one
pool with Zipf-like weights (the k-th expert about 1/k as often as the first). The same
N, seed and package version give the same bytes.
"""

from __future__ import annotations

import argparse
import html
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from cakg.graph.entities.reference import load_reference_data

#: What every sidecar says, so that a synthetic article can never be taken for a real one.
PUBLISHER = "Synthetic benchmark corpus (generated, not a publication)"
RIGHTS = "Synthetic text generated for benchmarks; not a real article, not to be cited"
ZIPF_EXPONENT = 1.1
# Distinct experts to draw from: a field of this size, the first few in most articles.
POOL_SIZE = 1500
LAYOUTS = ("blocks-text", "blocks-markdown", "blocks-html", "topics-text")
SUFFIX = {"blocks-text": ".txt", "blocks-markdown": ".md", "blocks-html": ".html"}

_GIVEN = ("Ay", "Ba", "Da", "Er", "Gul", "Ka", "Nur", "Sa", "Ti", "Zha", "Mu", "Ra")
_GIVEN_END = ("lan", "dar", "mira", "zat", "bek", "nara", "shan", "rat")
_FAMILY = ("Tas", "Kor", "Bal", "Sem", "Ozh", "Ir", "Ush", "Qal", "Yer", "Dzhu")
_FAMILY_END = ("abekov", "imova", "urov", "ekova", "anzoda", "ganov", "ibaeva", "etov")
_ROLES = (
    "senior research fellow",
    "associate professor",
    "political scientist",
    "director",
    "independent researcher",
    "economist",
)
_INSTITUTES = (
    "Institute for {adj} Strategic Studies",
    "{adj} Centre for Regional Dialogue",
    "Foundation for {adj} Policy Research",
)
# Answer sentences by trend; {a} {b} are states, {org} an organization's label.
_TRENDS = {
    "strengthening": (
        "I expect relations between {a} and {b} to improve further.",
        "Cooperation between {a} and {b} will most likely deepen in the coming years.",
    ),
    "weakening": (
        "I am afraid that relations between {a} and {b} will worsen.",
        "Trust between {a} and {b} will continue to decline.",
    ),
    "no change": (
        "I do not expect any changes in relations between {a} and {b}.",
        "Relations between {a} and {b} will remain as they are.",
    ),
    "uncertain": (
        "It is difficult to predict how relations between {a} and {b} will develop.",
        "Much depends on the next summit, and I cannot say which way relations will go.",
    ),
}
_CONTEXT = (
    "Officials of {a} and {b} met several times this year to discuss trade and transit.",
    "The {org} remains an important platform for both capitals.",
    "Water, energy and transport links keep {a} and {b} dependent on each other.",
    "Public opinion in {a} follows these talks closely.",
)
_QUESTIONS = (
    "Will relations between {a} and {b} change in the coming year?",
    "Will cooperation between {a} and {b} deepen?",
    "What role will the {org} play in relations between {a} and {b}?",
)


@dataclass(frozen=True)
class Expert:
    """One synthetic expert of the pool: name, role, affiliation and state."""

    name: str
    role: str
    affiliation: str | None
    country: str

    def header(self) -> str:
        """The expert-block header the reader recognises: ``Name, role, affiliation (Country)``."""
        parts = [self.name, self.role] + ([self.affiliation] if self.affiliation else [])
        return f"{', '.join(parts)} ({self.country})"


@dataclass(frozen=True)
class Article:
    """One generated article: its file name stem, layout, text and sidecar metadata."""

    stem: str
    layout: str
    text: str
    meta: str
    experts: tuple[str, ...]  # names, in the order they answer

    @property
    def suffix(self) -> str:
        return SUFFIX.get(self.layout, ".txt")


@lru_cache(maxsize=1)
def _states() -> tuple[list[str], list[str]]:
    """Central Asian states, and the other states the reference data places in a region."""
    data = load_reference_data()
    central = sorted(s.label for s in data.states if "central-asia" in s.regions)
    others = sorted(s.label for s in data.states if s.regions and s.label not in central)
    return central, others


@lru_cache(maxsize=1)
def _organizations() -> list[tuple[str, str]]:
    """(label, acronym) of the reference organizations that have an acronym."""
    data = load_reference_data()
    return sorted((o.label, o.acronym) for o in data.organizations if o.acronym)


def expert_pool(size: int, rng: random.Random, states: Sequence[str]) -> list[Expert]:
    """``size`` distinct synthetic experts (syllable names, invented institutes)."""
    pool: list[Expert] = []
    names: set[str] = set()
    while len(pool) < size:
        name = (
            rng.choice(_GIVEN) + rng.choice(_GIVEN_END) + " "
            + rng.choice(_FAMILY) + rng.choice(_FAMILY_END)
        )  # fmt: skip
        if name in names:
            continue
        names.add(name)
        country = rng.choice(states)
        adj = rng.choice(_FAMILY) + "ian"
        affiliation = rng.choice(_INSTITUTES).format(adj=adj) if rng.random() < 0.8 else None
        pool.append(Expert(name, rng.choice(_ROLES), affiliation, country))
    return pool


@lru_cache(maxsize=4)
def _zipf_cumulative(size: int) -> tuple[float, ...]:
    return tuple(accumulate(1 / (i + 1) ** ZIPF_EXPONENT for i in range(size)))


def zipf_sample(pool: Sequence[Expert], k: int, rng: random.Random) -> list[Expert]:
    """``k`` distinct experts, the i-th of the pool drawn with weight 1 / (i + 1) ** s."""
    cumulative = _zipf_cumulative(len(pool))
    chosen: list[Expert] = []
    indices = range(len(pool))
    while len(chosen) < min(k, len(pool)):
        (i,) = rng.choices(indices, cum_weights=cumulative)
        if pool[i] not in chosen:
            chosen.append(pool[i])
    return chosen


def _answer(rng: random.Random, a: str, b: str, org: str) -> str:
    trend = rng.choice(sorted(_TRENDS))
    sentences = [rng.choice(_CONTEXT), rng.choice(_TRENDS[trend]), rng.choice(_CONTEXT)]
    return " ".join(s.format(a=a, b=b, org=org) for s in sentences)


def _article(k: int, seed: int, rng: random.Random, pool: Sequence[Expert]) -> Article:
    central, others = _states()
    orgs = _organizations()
    layout = LAYOUTS[k % len(LAYOUTS)]
    a, b = rng.sample(central, 2)
    third = rng.choice(others)
    org_label, org_acronym = rng.choice(orgs)
    experts = zipf_sample(pool, rng.randint(3, 5), rng)
    questions = [q.format(a=a, b=b, org=org_acronym) for q in _QUESTIONS]
    year = 2015 + rng.randrange(10)
    title = f"{a}, {b} and the {org_acronym}: What Next? (synthetic roundup {seed}-{k})"
    intro = (
        f"This synthetic roundup asks experts about relations between {a} and {b}, "
        f"the {org_label} and the role of {third}. It was generated for benchmarks."
    )
    answers = [
        [(q, _answer(rng, a, b, org_label)) for q in rng.sample(questions, 2)] for _ in experts
    ]
    if layout == "blocks-markdown":
        lines = [f"# {title}", "", intro, "", "## Expert commentary", ""]
        for ex, qa in zip(experts, answers, strict=True):
            lines += [f"**{ex.header()}:**", ""]
            for q, text in qa:
                lines += [f"### {q}", "", text, ""]
    elif layout == "blocks-html":
        lines = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                 f"<title>{html.escape(title)}</title></head><body><article>",
                 f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(intro)}</p>"]  # fmt: skip
        for ex, qa in zip(experts, answers, strict=True):
            lines.append(f"<p><strong>{html.escape(ex.header())}:</strong></p>")
            for q, text in qa:
                lines += [f"<h3>{html.escape(q)}</h3>", f"<p>{html.escape(text)}</p>"]
        lines += ["</article></body></html>"]
    elif layout == "topics-text":
        who = "; ".join(
            f"{ex.name}, {ex.role} ({ex.country})" for ex in experts
        )  # fmt: skip
        lines = [title, "", f"{intro} The roundtable involved {who}.", ""]
        for topic in (f"Relations between {a} and {b}", f"The {org_label}"):
            lines += [topic, ""]
            for ex in experts:
                lines += [f"{ex.name} ({ex.country}): {_answer(rng, a, b, org_label)}", ""]
    else:
        lines = [title, "", intro, ""]
        for ex, qa in zip(experts, answers, strict=True):
            lines += [ex.name, "", f"{ex.header()}:", ""]
            for q, text in qa:
                lines += [q, "", text, ""]
    stem = f"synthetic-{seed}-{k:05d}"
    meta = "\n".join(
        [
            "# Generated by cakg's benchmarks: a synthetic article, not real data.",
            "synthetic: true",
            f"generator: synthetic corpus of cakg benchmarks (corpus.py), seed {seed}, article {k}",
            f"title: {title!r}",
            f"slug: {stem}",
            f"publisher: {PUBLISHER!r}",
            f"rights: {RIGHTS!r}",
            f"date_published: '{year}-{1 + rng.randrange(12):02d}-15'",
            "language: en",
            "",
        ]
    )
    text = "\n".join(lines).rstrip("\n") + "\n"
    return Article(stem, layout, text, meta, tuple(ex.name for ex in experts))


def articles(n: int, seed: int = 0, start: int = 0) -> list[Article]:
    """Articles ``start`` to ``start + n - 1`` of the corpus of ``seed``.

    Article k depends on the seed and k only, so a corpus of 100 is the first 100 of one
    of 1,000, and article 1,000 is the one more that is added to it.
    """
    central, others = _states()
    pool = expert_pool(POOL_SIZE, random.Random(f"pool {seed}"), central + others)
    return [_article(k, seed, random.Random(f"article {seed} {k}"), pool)
            for k in range(start, start + n)]  # fmt: skip


def write_corpus(folder: Path, n: int, seed: int = 0, start: int = 0) -> list[Path]:
    """Write articles ``start``… of ``articles`` and their sidecars into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for art in articles(n, seed, start):
        path = folder / (art.stem + art.suffix)
        path.write_text(art.text, encoding="utf-8")
        (folder / (art.stem + ".meta.yaml")).write_text(art.meta, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("n", type=int, help="how many articles")
    ap.add_argument("folder", type=Path, help="where to write them (created when missing)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("n must be positive")
    paths = write_corpus(args.folder, args.n, args.seed)
    print(f"{len(paths)} synthetic articles in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
