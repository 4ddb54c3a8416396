"""Command: adjudicate (the excerpts double coders verified differently; settle one with the final codes)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project


@command("adjudicate")
def adjudicate_command(
    project: Path = ProjectArgument,
    coders: Optional[str] = typer.Option(None, "--coders", help="Comma-separated coders to compare (default: all)."),
    excerpt: Optional[str] = typer.Option(None, "--excerpt", help="Settle this excerpt (its key, e.g. W-G01:012)."),
    codes: Optional[str] = typer.Option(None, "--codes", help="With --excerpt: the final codes, ';'-separated "
                                                              "(empty: no code)."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="With --excerpt: the adjudicator."),
    note: Optional[str] = typer.Option(None, "--note", help="With --excerpt: why."),
    settled: bool = typer.Option(False, "--settled", help="List settled disagreements too."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """List the excerpts coders verified differently (each coder's codes and the model's suggestion), or settle
    one: the adjudicator's codes become its label; both coders' own labels stay in the log."""
    from pipeline.app.adjudication import adjudicate, disagreements, excerpt_id_of

    chosen = tuple(c.strip() for c in (coders or "").split(",") if c.strip())
    with open_project(project, config_file, codebook_file) as opened:
        if excerpt is not None:
            if codes is None or not reviewer:
                raise typer.BadParameter("--excerpt needs --codes and --reviewer")
            final = tuple(c.strip() for c in codes.split(";") if c.strip())
            decision = adjudicate(opened, excerpt_id_of(opened, excerpt), final, adjudicator=reviewer, note=note)
            typer.echo(f"Settled {excerpt}: {', '.join(final) or 'no code'} (decision {decision}, by {reviewer}).")
            return
        found = disagreements(opened, chosen, settled=settled)
    if not found:
        typer.echo("No disagreements to adjudicate.")
        return
    for d in found:
        typer.echo(f"{d.key}  [{d.informant}]" + (f"  settled: {', '.join(sorted(d.settled)) or 'no code'}"
                                                  if d.settled is not None else ""))
        if d.context:
            typer.echo(f"  Q: {d.context[:160]}")
        typer.echo(f"  {d.text[:240]}")
        for coder, given in d.codes.items():
            typer.echo(f"  {coder:<14} {', '.join(sorted(given)) or '(no code)'}")
        typer.echo(f"  {'model':<14} " + (", ".join(f"{c} {p:.2f}" for c, p in d.suggested) or "(none)"))
    typer.echo(f"{len(found)} disagreement(s). Settle one with: reduksi adjudicate {project} --excerpt KEY "
               "--codes 'A;B' -r NAME")
