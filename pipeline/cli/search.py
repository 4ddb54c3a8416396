"""Commands: search (full-text and lemma search with keyword in context; save the result as a set) and code-set
(code a saved set in bulk)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project


@command("search")
def search_command(
    project: Path = ProjectArgument,
    query: Optional[str] = typer.Argument(None, help="Words to find (all must occur); \"quoted words\" as a phrase; "
                                                    "a trailing * matches a prefix."),
    exact: bool = typer.Option(False, "--exact", help="Match the words as written, not their other forms."),
    code: Optional[list[str]] = typer.Option(None, "--code", help="Only excerpts verified or suggested with this "
                                                                 "code (repeatable)."),
    informant: Optional[list[str]] = typer.Option(None, "--informant", help="Only this informant (repeatable)."),
    role: Optional[list[str]] = typer.Option(None, "--role", help="Only this role (repeatable)."),
    method: Optional[list[str]] = typer.Option(None, "--method", help="Only this method (repeatable)."),
    site: Optional[list[str]] = typer.Option(None, "--site", help="Only this site (repeatable)."),
    round_: Optional[list[str]] = typer.Option(None, "--round", help="Only this data collection round (repeatable)."),
    state: str = typer.Option("all", "--state", help="all, verified, unverified or irrelevant."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Show at most this many."),
    save: Optional[str] = typer.Option(None, "--save", help="Keep the results as a set with this name."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="With --save: your name."),
    sets: bool = typer.Option(False, "--sets", help="List the saved sets instead."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Find excerpts by words (and their other forms), with filters; each hit in context."""
    from pipeline.app.search import SearchFilter, save_search, saved_searches, search

    with open_project(project, config_file, codebook_file) as opened:
        if sets:
            for found in saved_searches(opened):
                typer.echo(f"{found.name}: {len(found.excerpt_ids)} excerpt(s), '{found.query}' "
                           f"({found.reviewer}, {found.created_at})")
            return
        if not query:
            raise typer.BadParameter("give a QUERY (or --sets)")
        where = SearchFilter(tuple(code or ()), tuple(informant or ()), tuple(role or ()), tuple(method or ()),
                             tuple(site or ()), state, tuple(round_ or ()))
        hits = search(opened, query, lemmas=not exact, where=where)
        if save:
            saved = save_search(opened, save, query, hits, where, reviewer or "")
            typer.echo(f"Saved set '{saved.name}': {len(saved.excerpt_ids)} excerpt(s).")
    for hit in hits[:limit]:
        codes = ", ".join(hit.verified) if hit.verified else ("(no code)" if hit.verified is not None else "-")
        typer.echo(f"{hit.key:<22} {hit.left[-50:]:>50} [{hit.match}] {hit.right[:50]:<50}  {codes}")
    typer.echo(f"{len(hits)} excerpt(s)" + (f", {limit} shown" if limit is not None and len(hits) > limit else "")
               + ".")


@command("code-set")
def code_set_command(
    project: Path = ProjectArgument,
    name: str = typer.Argument(..., help="The saved set (see `reduksi search PROJECT --sets`)."),
    code: str = typer.Argument(..., help="The code to add to each of its excerpts."),
    reviewer: str = typer.Option(..., "--reviewer", "-r", help="Your name as recorded with every decision."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Code a saved search set in bulk: one logged decision per excerpt that lacks the code."""
    from pipeline.app.search import code_set

    with open_project(project, config_file, codebook_file) as opened:
        added = code_set(opened, name, code, reviewer)
    typer.echo(f"Added {code} to {added} excerpt(s) of '{name}' (each a logged decision by {reviewer}).")
