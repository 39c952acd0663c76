"""PNG plots of a comparison (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search_core.relevance.compare import Comparison


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_distributions(c: Comparison, path: Path | str) -> Path:
    """Histogram and box plot of the per-query metric under both runs."""
    plt = _pyplot()
    a = [d.a for d in c.deltas]
    b = [d.b for d in c.deltas]
    fig, (hist, box) = plt.subplots(1, 2, figsize=(11, 4.2), width_ratios=(2, 1))
    bins = [i / 10 for i in range(11)]
    hist.hist([a, b], bins=bins, label=[c.label_a, c.label_b], color=["#8c8c8c", "#1f77b4"])
    hist.set_xlabel(f"{c.metric} per query")
    hist.set_ylabel("queries")
    hist.legend()
    hist.set_title(
        f"{c.metric}: mean {c.mean_a:.3f} → {c.mean_b:.3f} (randomization p={c.perm_pvalue:.3g})"
    )
    box.boxplot([a, b], showmeans=True)
    box.set_xticks([1, 2], ["A", "B"])
    box.set_title(f"{len(c.wins)} better, {len(c.losses)} worse, {len(c.ties)} same")
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_movers(c: Comparison, path: Path | str, n: int = 15) -> Path:
    """Horizontal bars of the queries whose metric moved most (B − A)."""
    plt = _pyplot()
    movers = c.movers(n)[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.35 * max(len(movers), 3) + 1.2))
    if movers:
        values = [d.delta for d in movers]
        colors = ["#2ca02c" if v > 0 else "#d62728" for v in values]
        ax.barh([d.qid for d in movers], values, color=colors)
        ax.axvline(0, color="black", linewidth=0.8)
    else:
        ax.text(0.5, 0.5, "no query moved", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(f"Δ {c.metric} (B − A)")
    ax.set_title(f"Biggest movers: A = {c.label_a}, B = {c.label_b}")
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
