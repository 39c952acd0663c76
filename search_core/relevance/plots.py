"""PNG plots of a comparison (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from search_core.relevance.compare import Comparison
from search_core.relevance.history import Point


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


def movers_figure(c: Comparison, n: int = 15) -> Any:
    """Horizontal bars of the queries whose metric moved most (B − A). The title is the
    figure's, wrapped, so long tuning names and query ids never push it off the picture."""
    plt = _pyplot()
    movers = c.movers(n)[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.35 * max(len(movers), 3) + 1.6), layout="constrained")
    if movers:
        values = [d.delta for d in movers]
        colors = ["#2ca02c" if v > 0 else "#d62728" for v in values]
        ax.barh([d.qid for d in movers], values, color=colors)
        ax.axvline(0, color="black", linewidth=0.8)
    else:
        ax.text(0.5, 0.5, "no query moved", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(f"Δ {c.metric} (B − A)")
    title = f"Biggest movers of {c.metric}\nA = {c.label_a}\nB = {c.label_b}"
    fig.suptitle("\n".join(textwrap.fill(line, 90) for line in title.splitlines()), fontsize=11)
    return fig


def plot_movers(c: Comparison, path: Path | str, n: int = 15) -> Path:
    """:func:`movers_figure` as a PNG."""
    plt = _pyplot()
    fig = movers_figure(c, n)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_history(points: Sequence[Point], metric: str, path: Path | str) -> Path:
    """The figure over the runs of the history, oldest left, each run's code version below."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.2))
    if points:
        ax.plot(range(len(points)), [p.value for p in points], marker="o", color="#1f77b4")
        ax.set_xticks(
            range(len(points)),
            [f"{p.time[:10]}\n{p.version[:12]}\n{p.tuning[:16]}" for p in points],
            fontsize=7,
        )
    else:
        ax.text(0.5, 0.5, "no runs yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} per eval run ({len(points)} runs)")
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
