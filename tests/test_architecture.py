"""The layers hold: SQL only in the store, the connection private, the CLI a thin shell over the app layer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
# SQL as this code base writes it (keywords in upper case).
SQL = re.compile(r"\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
                 r"|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+\w+|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)")
# What a shell may use besides the app layer: rendering helpers (text the stages format) and the error types.
CLI_MAY_IMPORT = {"pipeline.app", "pipeline.cli", "pipeline.errors", "pipeline.config", "pipeline.web.app",
                  "pipeline.suggest.evaluate.format_report", "pipeline.review.agreement.format_agreement",
                  "pipeline.review.terminal.review_loop"}


def modules(*, inside: str | None = None, outside: str | None = None) -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    if inside:
        found = [p for p in found if p.is_relative_to(PACKAGE / inside)]
    if outside:
        found = [p for p in found if not p.is_relative_to(PACKAGE / outside)]
    return found


def strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_sql_outside_the_store() -> None:
    offenders = []
    for path in modules(outside="store"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and SQL.search(node.value):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
            if isinstance(node, ast.Attribute) and node.attr in ("_db", "execute", "executemany", "read_sql_query"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.Import) and any(a.name == "sqlite3" for a in node.names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: import sqlite3")
    assert offenders == []


def test_the_sql_check_finds_sql() -> None:
    assert SQL.search("SELECT id FROM excerpts") and SQL.search("  INSERT INTO decisions VALUES (?)")
    assert not SQL.search("Select the codes that fit, then save.") and not SQL.search("With --promote: promote")


def test_the_store_connection_is_private() -> None:
    from pipeline.store import Store

    assert not hasattr(Store, "db")
    source = (PACKAGE / "store" / "db.py").read_text(encoding="utf-8")
    assert "self._db = connection" in source and "self.db " not in source


# The web shell is held to the same rule: it parses requests, calls the app layer and renders.
WEB_MAY_IMPORT = {"pipeline.app", "pipeline.web", "pipeline.errors", "pipeline.config"}


def test_cli_modules_only_parse_call_the_app_layer_and_print() -> None:
    assert shell_offenders("cli", CLI_MAY_IMPORT) == []


def test_web_modules_only_parse_call_the_app_layer_and_render() -> None:
    assert modules(inside="web"), "the web shell lives in pipeline/web"
    assert shell_offenders("web", WEB_MAY_IMPORT) == []


def shell_offenders(shell: str, allowed_modules: set[str]) -> list[str]:
    offenders = []
    for path in modules(inside=shell):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(block.test) for n in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if not any(full == allowed or full.startswith(allowed + ".") or node.module == allowed
                               or node.module.startswith(allowed + ".") for allowed in allowed_modules):
                        offenders.append(f"{path.name}:{node.lineno}: {full}")
    return offenders


def test_domain_rules_have_one_home() -> None:
    """The annotation pattern, the log replay and the codebook identity are written once."""
    counts = {"re.compile(": [], "LABEL_ACTIONS:": [], 'f"codebook-': []}
    for path in modules():
        text = path.read_text(encoding="utf-8")
        if "ANNOTATION = re.compile(" in text:
            counts["re.compile("].append(path.name)
        if "not in LABEL_ACTIONS" in text or "not in decisions.LABEL_ACTIONS" in text:
            counts["LABEL_ACTIONS:"].append(path.name)
        if 'f"codebook-{' in text:
            counts['f"codebook-'].append(path.name)
    assert counts == {"re.compile(": ["annotations.py"], "LABEL_ACTIONS:": ["decision_log.py"],
                      'f"codebook-': ["codebook.py"]}
    vocabulary = [p.name for p in modules() if '"Pewawancara"' in p.read_text(encoding="utf-8")]
    assert vocabulary == ["records.py"]  # the interviewer/informant/role vocabulary
