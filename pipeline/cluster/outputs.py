"""Write a ClusterResult to files: CSV tables and the 2-D cluster map (PNG and SVG) for the report.

Files (UTF-8 CSV, one header row):
- clusters.csv           excerpt -> cluster, distance to centre, map coordinates, status
- cluster_summary.csv    per cluster: label terms, size, central excerpts, informants, roles, methods,
                         dominant codes, uncoded share, candidate new theme, codes that may split
- cluster_codes.csv      cluster x code counts (confident codes only) and uncoded
- code_splits.csv        per code: how its excerpts spread over clusters, possible sub-codes
- cluster_selection.csv  the silhouette of every k tried (when k was chosen)
- cluster_map.png / .svg the excerpts on the map, coloured by cluster
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from pipeline.cluster.stage import ClusterResult
from pipeline.export.safety import safe_frame

NOISE_COLOUR = "#b0b0b0"


def write_outputs(result: ClusterResult, out_dir: str | Path) -> dict[str, Path]:
    """Write every output file into `out_dir` (created if needed); returns {name: path}."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"clusters.csv": result.assignments, "cluster_summary.csv": result.summary,
              "cluster_codes.csv": result.code_table, "code_splits.csv": result.code_splits,
              "cluster_selection.csv": result.selection}
    written = {}
    for name, frame in tables.items():
        safe_frame(frame).to_csv(folder / name, index=False, encoding="utf-8", lineterminator="\n")
        written[name] = folder / name
    figure = cluster_map(result)
    # Fixed salt and no date: the same clusters give byte-identical SVG files.
    with matplotlib.rc_context({"svg.hashsalt": "reduksi", "svg.fonttype": "none"}):
        for suffix, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            path = folder / f"cluster_map.{suffix}"
            figure.savefig(path, dpi=150, metadata=metadata, bbox_inches="tight")
            written[path.name] = path
    return written


def cluster_map(result: ClusterResult) -> Figure:
    """Scatter of the excerpts' map coordinates, one colour per cluster, noise in grey, a legend of labels."""
    figure = Figure(figsize=(10, 7))
    axes = figure.add_subplot()
    points = result.assignments.dropna(subset=["x", "y"])
    terms = dict(zip(result.summary["cluster"], result.summary["label_terms"]))
    n_clusters = int((result.summary["cluster"] >= 0).sum())
    palette = matplotlib.colormaps["tab10" if n_clusters <= 10 else "tab20"]
    for cluster in sorted(points["cluster"].unique(), key=lambda c: (c < 0, c)):
        member = points[points["cluster"] == cluster]
        colour = NOISE_COLOUR if cluster < 0 else palette(int(cluster) % palette.N)
        words = ", ".join(str(terms.get(cluster, "")).split(", ")[:3])
        name = f"{cluster}: {words} ({len(member)})" if cluster >= 0 else f"not clustered ({len(member)})"
        axes.scatter(member["x"], member["y"], s=14 if cluster >= 0 else 8, color=colour, label=name,
                     alpha=0.85 if cluster >= 0 else 0.5, linewidths=0)
        if cluster >= 0:
            axes.annotate(str(cluster), (member["x"].median(), member["y"].median()), fontsize=10,
                          fontweight="bold", ha="center", va="center",
                          bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "alpha": 0.8})
    axes.set_xticks([]), axes.set_yticks([])
    axes.set_title(f"Excerpt clusters — {len(points)} excerpts, vectors {result.vectors}, {result.clusterer}")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                title="cluster: label terms (size)", title_fontsize=8)
    figure.tight_layout()
    return figure
