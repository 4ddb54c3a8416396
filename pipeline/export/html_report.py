"""A self-contained HTML report: one file, inline CSS and SVG, no script, no network request.

Every piece of transcript text, name and label is escaped (`html.escape`); a Content-Security-Policy forbids the
page to load anything (scripts, styles, images, fonts) from anywhere but itself, so even a text that slipped
through could not fetch or run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.display import TOTAL, Displays
from pipeline.export.labels import words
from pipeline.export.privacy import Pseudonymiser
from pipeline.export.tables import Table, has_rounds

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d")
MAX_MAP_POINTS = 5000
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem;color:#1b1f24;
 line-height:1.4;max-width:1600px}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccd}
.meta,.legend{color:#555;font-size:.9rem}.warn{color:#a00;font-weight:bold}
table{border-collapse:collapse;font-size:.82rem;margin:.6rem 0}
th,td{border:1px solid #d6dae0;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#eef1f5;position:sticky;top:0}
td.n{text-align:center;min-width:2.4rem}td.n span.s{color:#777;font-size:.75rem;margin-left:.15rem}
td.txt{max-width:28rem;white-space:pre-wrap}td.wide{min-width:17rem}.scroll{overflow-x:auto}
.flag{display:inline-block;background:#fde2e1;color:#8a1c1c;border-radius:3px;padding:0 .3rem;margin:1px;
 font-size:.75rem}.status{font-weight:bold}.st-terkonfirmasi{color:#1b6e2c}.st-ditolak{color:#a00}
.st-perlu_data_tambahan{color:#a65e00}.st-belum_diperiksa{color:#666}
nav a{margin-right:1rem}details summary{cursor:pointer;color:#345}
td.n.dark{color:#fff}td.n.dark span.s{color:#e8eef5}.swatch{display:inline-block;min-width:2.2rem;text-align:center;
 border:1px solid #d6dae0;margin-right:.2rem;padding:0 .2rem}.print-only{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{size:A4;margin:14mm 12mm}
@media print{body{margin:0;max-width:none;font-size:9pt}.scroll{overflow:visible}.screen-only,nav{display:none}
 .print-only{display:block}th{position:static;white-space:nowrap}table{font-size:7.5pt;page-break-inside:auto;width:100%}
 tr{page-break-inside:avoid}thead{display:table-header-group}td.txt{max-width:none}td.wide{min-width:0}
 h2{page-break-after:avoid}section{page-break-before:always}section:first-of-type{page-break-before:auto}
 svg{max-width:100%;height:auto}details>summary{list-style:none}}
"""
PRINT_COLUMNS = 12  # value columns per printed part of a wide matrix (the code column repeats on each part)
WIDE_PRINT_COLUMNS = 4  # columns of long text per printed part of the framework matrix


@dataclass(frozen=True)
class ReportInfo:
    project: str
    generated: str
    codebook: str
    n_sources: int
    n_excerpts: int
    real_names: bool


def write_html(path: str | Path, displays: Displays, tables: list[Table], codebook: Codebook,
               privacy: Pseudonymiser, info: ReportInfo, lang: str = "id",
               clusters: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> Path:
    """Write the report; `clusters` = (assignments with key, cluster, x, y; summary with cluster, label_terms)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(displays, tables, codebook, privacy, info, lang, clusters), encoding="utf-8")
    return path


def render(displays: Displays, tables: list[Table], codebook: Codebook, privacy: Pseudonymiser, info: ReportInfo,
           lang: str = "id", clusters: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> str:
    w = words(lang)
    by_slug = {t.slug: t for t in tables}
    names = {c.id: c.name for c in codebook.codes}
    sections = [
        ("heatmap", w["heatmap"], _matrix(displays.by_informant, names, privacy, w, heat=True)),
        ("code_by_role", w["code_by_role"], _matrix(displays.by_role, names, privacy, w)),
        ("code_by_method", w["code_by_method"], _matrix(displays.by_method, names, privacy, w)),
        ("code_by_site", w["code_by_site"], _matrix(displays.by_site, names, privacy, w)),
        *([("code_by_round", w["code_by_round"], _matrix(displays.by_round, names, privacy, w))]
          if has_rounds(displays) and displays.by_round is not None else []),
        ("code_cooccurrence", w["code_cooccurrence"], _matrix(displays.cooccurrence, names, privacy, w, heat=True)),
        ("triangulation", w["triangulation"], _triangulation(displays, by_slug["triangulation"], w)),
        ("cluster_map", w["cluster_map"], _cluster_map(clusters, privacy, w)),
        ("framework_matrix", w["framework_matrix"], _table(by_slug["framework_matrix"], wide=True)),
    ]
    if "memos" in by_slug:
        sections.append(("memos", w["memos"], _table(by_slug["memos"], wide=True)))
    nav = " ".join(f'<a href="#{slug}">{_e(title)}</a>' for slug, title, _ in sections)
    body = "\n".join(f'<section id="{slug}"><h2>{_e(title)}</h2>\n{content}</section>'
                     for slug, title, content in sections)
    privacy_note = (f'<p class="warn">{_e(w["real_names"])}</p>' if info.real_names
                    else f'<p class="meta">{_e(w["pseudonymised"])}</p>')
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(w["report_title"])} — {_e(privacy.text(info.project))}</title><style>{STYLE}</style></head>
<body><h1>{_e(w["report_title"])}</h1>
<p class="meta">{_e(w["project"])}: {_e(privacy.text(info.project))} · {_e(w["codebook"])}: {_e(info.codebook)} ·
{info.n_sources} {_e(w["sources"])} · {info.n_excerpts} {_e(w["excerpts"])} · \
{_e(w["generated"])}: {_e(info.generated)}</p>
{privacy_note}
<p class="legend">{_e(w["legend_counts"])} {_e(w["legend_framework"])}</p>
<nav>{_e(w["contents"])}: {nav}</nav>
{body}
</body></html>
"""


def _matrix(frame: pd.DataFrame, names: dict[str, str], privacy: Pseudonymiser, w: dict[str, str],
            heat: bool = False) -> str:
    """Count cells `v +s` (verified, suggested) with the keys in a tooltip; shaded by verified count if `heat`."""
    values = list(dict.fromkeys(frame.columns.get_level_values("value")))
    counted = [v for v in values if v != TOTAL and len(frame)]
    basis = "verified" if any(int(frame[(v, "verified")].max()) for v in counted) else "suggested"
    top = max([int(frame[(v, basis)].max()) for v in counted] + [1])
    header = [f"<th>{_e(privacy.text(w[v] if v == TOTAL else str(v)))}</th>" for v in values]
    rows = []
    for code in frame.index:
        cells = [f'<th title="{_e(names.get(code, ""))}">{_e(code)}</th>']
        for value in values:
            verified, suggested = int(frame.at[code, (value, "verified")]), int(frame.at[code, (value, "suggested")])
            tip = ""
            if (value, "verified_keys") in frame.columns:
                tip = (f'{w["verified"]}: {frame.at[code, (value, "verified_keys")]}\n'
                       f'{w["suggested"]}: {frame.at[code, (value, "suggested_keys")]}')
            amount = verified if basis == "verified" else suggested
            shade, dark = "", False
            if heat and value != TOTAL and amount:
                alpha = 0.12 + 0.78 * amount / top
                shade, dark = f' style="background:rgba(31,119,180,{alpha:.2f})"', alpha > 0.5
            extra = f'<span class="s">+{suggested}</span>' if suggested else ""
            shown = str(verified) if verified or not suggested else "0"
            cells.append(f'<td class="n{" dark" if dark else ""}"{shade} title="{_e(tip)}">{shown}{extra}</td>')
        rows.append(cells)
    legend = _heat_legend(top, basis, w) if heat else ""
    return legend + _printable(f'<th>{_e(w["code"])}</th>', header, rows, 1, PRINT_COLUMNS)


def _heat_legend(top: int, basis: str, w: dict[str, str]) -> str:
    """Swatches from light to dark with the counts they stand for (shaded by suggestions before any is verified)."""
    steps = sorted({max(1, round(top * f)) for f in (0.1, 0.35, 0.6, 0.85, 1.0)})
    swatches = "".join(
        f'<span class="swatch" style="background:rgba(31,119,180,{0.12 + 0.78 * n / top:.2f});'
        f'color:{"#fff" if 0.12 + 0.78 * n / top > 0.5 else "#1b1f24"}">{n}</span>' for n in steps)
    return (f'<p class="legend">{_e(w["heat_legend"])} ({_e(w[basis])}) {swatches}</p>')


def _printable(corner: str, header: list[str], rows: list[list[str]], keep: int, per_part: int) -> str:
    """The whole table for the screen (scrolls sideways), and for print the same table cut into parts of
    `per_part` columns, each repeating the first `keep` row cells, so nothing is clipped on A4."""
    def table(head: list[str], body: list[list[str]]) -> str:
        return (f'<table><thead><tr>{"".join(head)}</tr></thead><tbody>'
                + "".join(f'<tr>{"".join(r)}</tr>' for r in body) + "</tbody></table>")

    heads = [corner, *header] if corner else header
    screen = f'<div class="scroll screen-only">{table(heads, rows)}</div>'
    width = len(heads) - keep
    parts = []
    for start in range(keep, keep + width, per_part):
        end = min(start + per_part, keep + width)
        parts.append(table(heads[:keep] + heads[start:end], [r[:keep] + r[start:end] for r in rows]))
    return screen + f'<div class="print-only">{"".join(parts)}</div>'



def _triangulation(displays: Displays, table: Table, w: dict[str, str]) -> str:
    frame = table.frame
    raw = displays.triangulation
    headings = [w["code"], w["name"], w["verified_excerpts"], w["suggested_excerpts"], w["verified_cases"],
                w["verified_roles"], w["verified_methods"], "⚑", w["status"], w["note"],
                w["verified_by_role"], w["verified_by_method"], w["suggested_by_method"]]
    rows = []
    for i in range(len(frame)):
        flags = "".join(f'<span class="flag">{_e(w[f])}</span>' for f in ("single_source", "single_method",
                                                                            "suggestions_only") if raw.iloc[i][f])
        status = str(raw.iloc[i]["status"])
        cells = [frame.iloc[i][w["code"]], frame.iloc[i][w["name"]], frame.iloc[i][w["verified_excerpts"]],
                 frame.iloc[i][w["suggested_excerpts"]], frame.iloc[i][w["verified_cases"]],
                 frame.iloc[i][w["verified_roles"]], frame.iloc[i][w["verified_methods"]]]
        row = [f"<td>{_e(c)}</td>" for c in cells]
        row.append(f"<td>{flags}</td>")
        row.append(f'<td class="status st-{_e(status)}">{_e(frame.iloc[i][w["status"]])}</td>')
        row.append(f'<td class="txt">{_e(frame.iloc[i][w["note"]])}</td>')
        for key in ("verified_by_role", "verified_by_method", "suggested_by_method"):
            row.append(f'<td class="txt">{_details(frame.iloc[i][w[key]])}</td>')
        rows.append(row)
    head = [f"<th>{_e(h)}</th>" for h in headings]
    return f'<p class="legend">{_e(w["legend_flags"])}</p>' + _printable("", head, rows, 1, 6)


def _details(text: object) -> str:
    """Group lines (`guru (3): keys`) folded under their labels, so long key lists do not swamp the table."""
    lines = [line for line in str(text or "").split("\n") if line]
    return "".join(f"<details><summary>{_e(line.split(':', 1)[0])}</summary>{_e(line.split(':', 1)[-1])}</details>"
                   for line in lines)


def _table(table: Table, wide: bool = False) -> str:
    """A plain table; with `wide`, long-text cells keep a readable width, the table scrolls sideways on screen and
    prints in parts of WIDE_PRINT_COLUMNS columns that repeat the first column."""
    frame = table.frame
    head = [f"<th>{_e(c)}</th>" for c in frame.columns]
    long_text = set(table.long_text)
    text_class = "txt wide" if wide else "txt"
    rows = [[f'<td class="{text_class}">{_e(v)}</td>' if c in long_text else f"<td>{_e(v)}</td>"
             for c, v in zip(frame.columns, row)] for row in frame.itertuples(index=False)]
    return _printable("", head, rows, 1, WIDE_PRINT_COLUMNS if wide else len(head))


def _cluster_map(clusters: tuple[pd.DataFrame, pd.DataFrame] | None, privacy: Pseudonymiser,
                 w: dict[str, str]) -> str:
    """An inline SVG scatter of the cluster map (from `reduksi cluster` outputs) and its legend."""
    if clusters is None or clusters[0].empty:
        return f'<p class="meta">{_e(w["no_cluster"])}</p>'
    points, summary = clusters
    points = points.dropna(subset=["x", "y"])
    if len(points) > MAX_MAP_POINTS:
        points = points.sample(MAX_MAP_POINTS, random_state=0)
    width, height, pad = 860, 520, 16
    x0, x1, y0, y1 = points["x"].min(), points["x"].max(), points["y"].min(), points["y"].max()
    sx = (width - 2 * pad) / ((x1 - x0) or 1)
    sy = (height - 2 * pad) / ((y1 - y0) or 1)
    dots = []
    for row in points.itertuples(index=False):
        cluster = int(row.cluster)
        colour = "#b0b0b0" if cluster < 0 else PALETTE[cluster % len(PALETTE)]
        cx, cy = pad + (row.x - x0) * sx, height - pad - (row.y - y0) * sy
        dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.2" fill="{colour}" fill-opacity="0.8">'
                    f"<title>{_e(row.key)} · {_e(w['cluster'])} {cluster}</title></circle>")
    legend = []
    for row in summary.sort_values("cluster").itertuples(index=False):
        cluster = int(row.cluster)
        colour = "#b0b0b0" if cluster < 0 else PALETTE[cluster % len(PALETTE)]
        terms = privacy.terms(str(getattr(row, "label_terms", "") or ""))
        candidate = str(getattr(row, "candidate_new_theme", "")).lower() == "true"
        evidence = privacy.text(str(getattr(row, "central_keys", "") or "")) if candidate else ""
        legend.append(f'<tr><td><span style="color:{colour}">●</span> {cluster}</td><td>{_e(terms)}</td>'
                      f'<td>{_e(getattr(row, "size", ""))}</td><td>{"★ " if candidate else ""}{_e(evidence)}</td>'
                      "</tr>")
    svg = (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} '
           f'{height}" role="img"><rect width="100%" height="100%" fill="#fafbfc"/>{"".join(dots)}</svg>')
    return (f'{svg}<table><thead><tr><th>{_e(w["cluster"])}</th><th>{_e(w["cluster_terms"])}</th><th>n</th>'
            f'<th>{_e(w["candidate_theme"])}</th></tr></thead><tbody>{"".join(legend)}</tbody></table>')


def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)
