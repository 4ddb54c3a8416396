"""Reading clusters against codes: which codes each cluster holds, what no code explains, which codes split.

A *confident code* of an excerpt is a suggestion with probability >= `confident_probability`.
- Cluster x code table: for each cluster, how many of its excerpts carry each code confidently, and how many carry
  none (`uncoded`).
- Candidate new theme: a cluster (not noise, at least `split_min_excerpts` excerpts) whose share of uncoded excerpts
  exceeds `new_theme_min_uncoded` — the codebook does not explain what holds it together.
- Possible sub-codes: a code two or more of whose clusters each hold at least `split_min_share` of its clustered
  excerpts and at least `split_min_excerpts` of them.
With no suggestions at all nothing can be read against codes: every excerpt is uncoded and no flag is raised.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.config import ClusterConfig

UNCODED = "uncoded"
SPLIT_COLUMNS = ["code", "n_excerpts", "n_clusters", "clusters", "largest_share", "possible_subcodes"]


@dataclass(frozen=True)
class CodeReading:
    table: pd.DataFrame  # [cluster, size, <code>..., uncoded]
    splits: pd.DataFrame  # SPLIT_COLUMNS, one row per code seen confidently
    per_cluster: pd.DataFrame  # [cluster, dominant_codes, uncoded_share, candidate_new_theme, split_codes]
    read: bool  # False when there were no suggestions to read against


def confident_codes(suggestions: pd.DataFrame | None, threshold: float) -> pd.DataFrame:
    """[excerpt_id, code] pairs, one per confident suggestion."""
    if suggestions is None or suggestions.empty:
        return pd.DataFrame({"excerpt_id": pd.Series(dtype="int64"), "code": pd.Series(dtype="str")})
    sure = suggestions.loc[suggestions["probability"] >= threshold, ["excerpt_id", "code"]]
    return sure.drop_duplicates().reset_index(drop=True)


def read_codes(assignments: pd.DataFrame, suggestions: pd.DataFrame | None, config: ClusterConfig, *,
               open_coding: bool = False) -> CodeReading:
    """`assignments` needs [excerpt_id, cluster]; cluster -1 (noise / not placed) is kept as its own row. In open
    coding (no codebook) nothing is coded, so every cluster large enough is a candidate theme."""
    read = suggestions is not None and not suggestions.empty
    pairs = confident_codes(suggestions, config.confident_probability)
    coded = assignments[["excerpt_id", "cluster"]].merge(pairs, on="excerpt_id", how="inner")
    codes = sorted(coded["code"].unique())
    table = pd.crosstab(coded["cluster"], coded["code"]).reindex(columns=codes) if codes else pd.DataFrame()
    sizes = assignments.groupby("cluster").size().rename("size")
    table = table.reindex(sizes.index, fill_value=0).astype(int)
    has_code = assignments["excerpt_id"].isin(pairs["excerpt_id"])
    uncoded = (~has_code).groupby(assignments["cluster"]).sum().rename(UNCODED).astype(int)
    table = pd.concat([sizes, table, uncoded], axis=1).rename_axis("cluster").reset_index()
    splits = _splits(coded, codes, config)
    return CodeReading(table, splits, _per_cluster(table, codes, splits, read or open_coding, config), read)


def _splits(coded: pd.DataFrame, codes: list[str], config: ClusterConfig) -> pd.DataFrame:
    rows = []
    placed = coded[coded["cluster"] >= 0]
    for code in codes:
        counts = placed.loc[placed["code"] == code, "cluster"].value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        total = int(counts.sum())
        if total == 0:
            continue
        big = counts[(counts >= config.split_min_excerpts) & (counts / total >= config.split_min_share)]
        rows.append({"code": code, "n_excerpts": total, "n_clusters": int(len(counts)),
                     "clusters": "; ".join(f"{c}:{n}" for c, n in big.items()),
                     "largest_share": round(float(counts.iloc[0] / total), 3),
                     "possible_subcodes": bool(len(big) >= 2)})
    return pd.DataFrame(rows, columns=SPLIT_COLUMNS)


def _per_cluster(table: pd.DataFrame, codes: list[str], splits: pd.DataFrame, read: bool,
                 config: ClusterConfig) -> pd.DataFrame:
    split_codes = splits.loc[splits["possible_subcodes"], ["code", "clusters"]]
    rows = []
    for _, row in table.iterrows():
        cluster, size = int(row["cluster"]), int(row["size"])
        shares = sorted(((row[c] / size, c) for c in codes if row[c] > 0), key=lambda x: (-x[0], x[1]))
        uncoded_share = float(row[UNCODED] / size) if size else float("nan")
        touched = [code for code, where in split_codes.itertuples(index=False)
                   if str(cluster) in {part.split(":")[0] for part in where.split("; ")}]
        rows.append({
            "cluster": cluster,
            "dominant_codes": "; ".join(f"{code}:{share:.2f}" for share, code in shares[:3]),
            "uncoded_share": round(uncoded_share, 3),
            "candidate_new_theme": bool(read and cluster >= 0 and size >= config.split_min_excerpts
                                        and uncoded_share > config.new_theme_min_uncoded),
            "split_codes": "; ".join(touched),
        })
    return pd.DataFrame(rows, columns=["cluster", "dominant_codes", "uncoded_share", "candidate_new_theme",
                                       "split_codes"])

