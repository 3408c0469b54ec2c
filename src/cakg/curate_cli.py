"""`cakg curate`: write a researcher's judgements into a curation overlay (YAML) file.

The build applies the overlay (``cakg build --curation FILE``), so what is written here
goes into the curation graph with PROV and survives every rebuild.
"""

from __future__ import annotations

from pathlib import Path

import click

from cakg.terminal import console, reports_errors

__all__ = ["curate"]


@click.group()
def curate() -> None:
    """Record a researcher's judgements in a curation overlay (YAML)."""


@curate.command("outcome")
@click.argument("claim")
@click.option(
    "--outcome",
    required=True,
    metavar="OUTCOME",
    help="How the prediction turned out: a label of the ontology's outcome scheme "
    "(such as 'came true').",
)
@click.option("--source", required=True, metavar="URL", help="Where the outcome can be checked.")
@click.option("--by", "by", required=True, metavar="NAME", help="Who judged.")
@click.option("--on", "on", metavar="DATE", help="The day of the judgement (default: today).")
@click.option(
    "--overlay",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("curation.yaml"),
    show_default=True,
    help="The overlay file to write (created if missing); give it to cakg build --curation.",
)
@reports_errors
def outcome(claim: str, outcome: str, source: str, by: str, on: str | None, overlay: Path) -> None:
    """Record the outcome of the prediction CLAIM (its IRI) in an overlay file."""
    from cakg.graph.extract.curation import record_outcome

    path = record_outcome(overlay, claim, outcome=outcome, source=source, by=by, on=on)
    console.print(f"wrote {path}")
