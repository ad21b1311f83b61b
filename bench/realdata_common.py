"""Loaders and metrics shared by the real-data trust benchmarks (no ``run``: not a benchmark).

The datasets live in ``../shared/data`` relative to the project root (see its README); they are
read in place, never copied into the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BITCOIN = {"OTC": "soc-sign-bitcoinotc.csv", "Alpha": "soc-sign-bitcoinalpha.csv"}
LABELS = {"OTC": "rev2_otc_gt.csv", "Alpha": "rev2_alpha_gt.csv"}


@dataclass(frozen=True)
class RatingGraph:
    """A rating network with people renumbered ``0 .. n-1``; ``ids[i]`` is the original id."""

    src: np.ndarray
    dst: np.ndarray
    rating: np.ndarray
    time: np.ndarray
    ids: np.ndarray

    @property
    def n(self) -> int:
        """Return the number of people."""
        return int(self.ids.size)


def load_bitcoin(name: str) -> RatingGraph:
    """Return the Bitcoin OTC or Alpha network with ratings divided by 10."""
    raw = np.loadtxt(DATA / "bitcoin" / BITCOIN[name], delimiter=",", dtype=np.float64)
    ids, inverse = np.unique(raw[:, :2].astype(np.int64), return_inverse=True)
    inverse = inverse.reshape(-1, 2)
    return RatingGraph(inverse[:, 0], inverse[:, 1], raw[:, 2] / 10.0, raw[:, 3], ids)


def load_labels(name: str) -> dict[int, int]:
    """Return the REV2 labels: original node id -> +1 (benign) or -1 (fraudulent)."""
    labels = {}
    for line in (DATA / "bitcoin" / LABELS[name]).read_text().splitlines():
        if line.strip():
            node, label = line.strip().split(",")
            labels[int(node)] = int(label)
    return labels


def load_advogato(site: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Return the certificates ``(truster, trustee, level)`` and the levels the site computed."""
    certs = []
    for line in (DATA / "advogato" / f"{site}-certs-2005-12-19.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            truster, trustee, level = line.split(",")
            certs.append((truster, trustee, level))
    actual = {}
    for line in (DATA / "advogato" / f"{site}-actual-2005-12-19.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            user, level = line.split(",")
            actual[user] = level
    return certs, actual


def rmse(pred: np.ndarray, truth: np.ndarray) -> float:
    """Return the root mean squared error."""
    return float(np.sqrt(np.mean((pred - truth) ** 2)))


def pearson(pred: np.ndarray, truth: np.ndarray) -> float:
    """Return Pearson's correlation (nan when a side is constant)."""
    if np.std(pred) == 0 or np.std(truth) == 0:
        return float("nan")
    return float(np.corrcoef(pred, truth)[0, 1])


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Return the ROC AUC of ``score`` for the boolean ``positive`` (ties count one half)."""
    from scipy.stats import rankdata

    ranks = rankdata(score)
    n_pos = int(positive.sum())
    n_neg = int(positive.size - n_pos)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
