"""Commands: codebook show | add | edit | rename | merge | split | retire | adopt | import (the project's own
codebook)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from pipeline.cli import app
from pipeline.cli.options import ProjectArgument, open_project

if TYPE_CHECKING:
    from pipeline.app.codebook import ChangeReport

codebook_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                           help="Show the project's codebook, change it without losing a verified label, or "
                                "import one from NVivo, ATLAS.ti, MAXQDA, QualCoder (.qdc, or inside a .qdpx).")
app.add_typer(codebook_app, name="codebook")

Reviewer = typer.Option(..., "--reviewer", "-r", help="Your name, recorded with the change.")
DryRun = typer.Option(False, "--dry-run", help="Only say what would change (labels moved, excerpts re-queued).")
Note = typer.Option("", "--note", "-n", help="Why: kept with the change.")
Name = typer.Option(None, "--name", help="The code's name.")
Definition = typer.Option(None, "--definition", help="What the code covers.")
Include = typer.Option(None, "--include", help="What belongs to the code (comma-separated).")
Exclude = typer.Option(None, "--exclude", help="What does not, and which code to use instead.")
Example = typer.Option(None, "--example", help="An example phrase as informants say it (repeatable).")


@codebook_app.command("show")
def show_command(project: Path = ProjectArgument) -> None:
    """List the codes with their theme, definition, and verified / suggested excerpt counts."""
    from pipeline.app.codebook import codebook_rows

    with open_project(project, None) as opened:
        rows = codebook_rows(opened)
        typer.echo(f"Codebook {opened.codebook.version}: {len(rows)} code(s).")
    for r in rows:
        typer.echo(f"{r.id:<18} {r.theme:<6} verified {r.verified:>4}  suggested {r.suggested:>4}  {r.name}: "
                   f"{r.definition}")


@codebook_app.command("add")
def add_command(project: Path = ProjectArgument, code: str = typer.Argument(..., help="New code id (THEME-NAME)."),
                theme: str = typer.Option(..., "--theme", help="Theme id."),
                theme_name: Optional[str] = typer.Option(None, "--theme-name", help="Name of a new theme."),
                name: str = typer.Option(..., "--name", help="The code's name."),
                definition: str = typer.Option(..., "--definition", help="What the code covers."),
                include: Optional[str] = Include, exclude: Optional[str] = Exclude,
                example: Optional[list[str]] = Example, reviewer: str = Reviewer, note: str = Note,
                dry_run: bool = DryRun) -> None:
    """Add a code (to a theme, or to a new theme with --theme-name)."""
    fields = _fields(name=name, definition=definition, include=include, exclude=exclude, examples=example)
    _change(project, "add", (code,), reviewer=reviewer, fields=fields, theme=theme, theme_name=theme_name,
            note=note, dry_run=dry_run)


@codebook_app.command("edit")
def edit_command(project: Path = ProjectArgument, code: str = typer.Argument(..., help="Code id."),
                 name: Optional[str] = Name, definition: Optional[str] = Definition, include: Optional[str] = Include,
                 exclude: Optional[str] = Exclude, example: Optional[list[str]] = Example,
                 reviewer: str = Reviewer, note: str = Note, dry_run: bool = DryRun) -> None:
    """Change a code's name, definition, notes or examples (its id and labels stay)."""
    fields = _fields(name=name, definition=definition, include=include, exclude=exclude, examples=example)
    _change(project, "edit", (code,), reviewer=reviewer, fields=fields, note=note, dry_run=dry_run)


@codebook_app.command("rename")
def rename_command(project: Path = ProjectArgument, code: str = typer.Argument(..., help="Current code id."),
                   new_id: str = typer.Argument(..., help="New code id."), name: Optional[str] = Name,
                   reviewer: str = Reviewer, note: str = Note, dry_run: bool = DryRun) -> None:
    """Give a code a new id (and name); its verified labels come along."""
    _change(project, "rename", (code,), targets=(new_id,), fields=_fields(name=name), reviewer=reviewer,
            note=note, dry_run=dry_run)


@codebook_app.command("merge")
def merge_command(project: Path = ProjectArgument,
                  codes: list[str] = typer.Argument(..., help="Codes to merge."),
                  into: str = typer.Option(..., "--into", help="The code they become (one of the codebook's)."),
                  reviewer: str = Reviewer, note: str = Note, dry_run: bool = DryRun) -> None:
    """Merge codes into one; every verified label of the merged codes becomes that code."""
    _change(project, "merge", tuple(codes), targets=(into,), reviewer=reviewer, note=note, dry_run=dry_run)


@codebook_app.command("split")
def split_command(project: Path = ProjectArgument, code: str = typer.Argument(..., help="Code to split."),
                  part: list[str] = typer.Option(..., "--part", help="A new code as 'ID|Name|Definition' "
                                                                     "(two or more)."),
                  reviewer: str = Reviewer, note: str = Note, dry_run: bool = DryRun) -> None:
    """Split a code into new codes; the excerpts verified with it go back to review."""
    from pipeline.errors import CodebookError

    pieces = [p.split("|") for p in part]
    if any(len(p) != 3 or not all(x.strip() for x in p) for p in pieces):
        raise CodebookError("each --part is 'ID|Name|Definition'", key="--part")
    parts = [{"id": i.strip(), "name": n.strip(), "definition": d.strip()} for i, n, d in pieces]
    _change(project, "split", (code,), parts=parts, reviewer=reviewer, note=note, dry_run=dry_run)


@codebook_app.command("retire")
def retire_command(project: Path = ProjectArgument, code: str = typer.Argument(..., help="Code to retire."),
                   reviewer: str = Reviewer, note: str = Note, dry_run: bool = DryRun) -> None:
    """Take a code out of use; its history is kept (in the log and under `retired:`)."""
    _change(project, "retire", (code,), reviewer=reviewer, note=note, dry_run=dry_run)


@codebook_app.command("adopt")
def adopt_command(project: Path = ProjectArgument, cluster: int = typer.Argument(..., help="Cluster number."),
                  code: str = typer.Option(..., "--id", help="New code id."),
                  name: str = typer.Option(..., "--name", help="The code's name."),
                  theme: str = typer.Option(..., "--theme", help="Theme id."),
                  theme_name: Optional[str] = typer.Option(None, "--theme-name", help="Name of a new theme."),
                  reviewer: str = Reviewer, dry_run: bool = DryRun) -> None:
    """Adopt a candidate theme (a cluster) as a new code; its excerpts are queued for review."""
    from pipeline.app.codebook import adopt_theme

    with open_project(project, None) as opened:
        _print(adopt_theme(opened, cluster, code, name, theme, reviewer=reviewer, theme_name=theme_name,
                           dry_run=dry_run))


@codebook_app.command("import")
def import_command(project: Path = ProjectArgument,
                   file: Path = typer.Argument(..., help="A REFI-QDA codebook (.qdc) or project (.qdpx).")) -> None:
    """Make a REFI-QDA codebook the project's codebook (PROJECT/codebook.yaml; the previous one goes to backups/)."""
    from pipeline.app.imports import import_codebook

    with open_project(project, None) as opened:
        taken = import_codebook(opened, file)
        codebook = opened.codebook
    for name, count in taken.duplicates.items():
        typer.echo(f"Warning: {file}: {count} codes are named '{name}' (different GUIDs): kept apart", err=True)
    for name, code_id in taken.renamed.items():
        typer.echo(f"Code '{name}' -> {code_id}")
    typer.echo(f"Codebook '{codebook.name}' version {codebook.version}: {len(codebook.themes)} theme(s), "
               f"{len(codebook.codes)} code(s); written to {Path(project) / 'codebook.yaml'}")


def _fields(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, [], ())}


def _change(project: Path, operation: str, codes: tuple[str, ...], **options: Any) -> None:
    from pipeline.app.codebook import change_codebook

    with open_project(project, None) as opened:
        _print(change_codebook(opened, operation, codes, **options))


def _print(report: "ChangeReport") -> None:
    arrow = f" -> {', '.join(report.targets)}" if report.targets else ""
    verb = "Changed" if report.applied else "Would change (dry run)"
    moved = {"rename": "carried across", "merge": "carried across", "split": "losing the code",
             "retire": "no longer counting it (kept in the log)"}.get(report.operation, "affected")
    typer.echo(f"{verb}: {report.operation} {', '.join(report.codes)}{arrow}; {report.labels_moved} verified "
               f"excerpt(s) {moved}, {report.sent_to_review} sent back to review; codebook "
               f"{report.from_version} -> {report.to_version}.")
