"""Small hand-written SVG plots (no matplotlib here): line charts and confusion matrices."""
from __future__ import annotations

from html import escape
from typing import Sequence

import numpy as np

W, H = 480, 360
L, R, T, B = 56, 16, 32, 48
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#7f7f7f"]


def _decimate(x: np.ndarray, y: np.ndarray, n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    if len(x) <= n:
        return x, y
    idx = np.unique(np.r_[np.linspace(0, len(x) - 1, n).astype(int), len(x) - 1])
    return x[idx], y[idx]


def line_chart(title: str, xlabel: str, ylabel: str, series: Sequence[dict],
               hlines: Sequence[dict] = (), vlines: Sequence[dict] = (),
               xlim=(0.0, 1.0), ylim=(0.0, 1.0)) -> str:
    """series: [{label, x, y}]; hlines/vlines: [{label, value}] drawn dashed."""
    pw, ph = W - L - R, H - T - B

    def sx(v):
        return L + (float(v) - xlim[0]) / (xlim[1] - xlim[0]) * pw

    def sy(v):
        return T + ph - (float(v) - ylim[0]) / (ylim[1] - ylim[0]) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="13">{escape(title)}</text>']
    for i in range(6):
        fx = xlim[0] + i * (xlim[1] - xlim[0]) / 5
        fy = ylim[0] + i * (ylim[1] - ylim[0]) / 5
        out.append(f'<line x1="{sx(fx):.1f}" y1="{T}" x2="{sx(fx):.1f}" y2="{T + ph}" stroke="#eee"/>')
        out.append(f'<line x1="{L}" y1="{sy(fy):.1f}" x2="{L + pw}" y2="{sy(fy):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{sx(fx):.1f}" y="{T + ph + 14}" text-anchor="middle">{fx:.1f}</text>')
        out.append(f'<text x="{L - 6}" y="{sy(fy) + 4:.1f}" text-anchor="end">{fy:.1f}</text>')
    out.append(f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{L + pw / 2}" y="{H - 10}" text-anchor="middle">{escape(xlabel)}</text>')
    out.append(f'<text transform="translate(14 {T + ph / 2}) rotate(-90)" text-anchor="middle">{escape(ylabel)}</text>')
    legend = []
    for i, s in enumerate(series):
        c = COLORS[i % len(COLORS)]
        x, y = _decimate(np.asarray(s["x"], float), np.asarray(s["y"], float))
        pts = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x, y))
        out.append(f'<polyline fill="none" stroke="{c}" stroke-width="1.6" points="{pts}"/>')
        legend.append((s["label"], c, ""))
    for h in hlines:
        out.append(f'<line x1="{L}" y1="{sy(h["value"]):.1f}" x2="{L + pw}" y2="{sy(h["value"]):.1f}" '
                   'stroke="#555" stroke-dasharray="5 4"/>')
        legend.append((h["label"], "#555", "5 4"))
    for v in vlines:
        out.append(f'<line x1="{sx(v["value"]):.1f}" y1="{T}" x2="{sx(v["value"]):.1f}" y2="{T + ph}" '
                   'stroke="#000" stroke-dasharray="2 3"/>')
        legend.append((v["label"], "#000", "2 3"))
    for i, (lab, c, dash) in enumerate(legend):
        y = T + ph - 10 - 14 * (len(legend) - 1 - i)
        da = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{L + 8}" y1="{y - 4}" x2="{L + 28}" y2="{y - 4}" stroke="{c}" stroke-width="2"{da}/>')
        out.append(f'<text x="{L + 32}" y="{y}">{escape(lab)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def confusion_svg(title: str, cm: np.ndarray, labels: Sequence[str]) -> str:
    """Rows = reference, columns = prediction; cell shade = row-normalised fraction, text = count."""
    k = len(labels)
    cell = 56
    x0, y0 = 90, 60
    w, h = x0 + k * cell + 20, y0 + k * cell + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="13">{escape(title)}</text>',
           f'<text x="{x0 + k * cell / 2}" y="{y0 - 22}" text-anchor="middle">predicted</text>',
           f'<text transform="translate(20 {y0 + k * cell / 2}) rotate(-90)" text-anchor="middle">reference</text>']
    for j, lab in enumerate(labels):
        out.append(f'<text x="{x0 + j * cell + cell / 2}" y="{y0 - 6}" text-anchor="middle">{escape(lab)}</text>')
        out.append(f'<text x="{x0 - 8}" y="{y0 + j * cell + cell / 2 + 4}" text-anchor="end">{escape(lab)}</text>')
    for i in range(k):
        row = cm[i].sum()
        for j in range(k):
            frac = cm[i, j] / row if row else 0.0
            shade = int(255 - 200 * frac)
            fill = f"rgb({shade},{shade},255)"
            color = "white" if frac > 0.6 else "black"
            out.append(f'<rect x="{x0 + j * cell}" y="{y0 + i * cell}" width="{cell}" height="{cell}" '
                       f'fill="{fill}" stroke="#999"/>')
            out.append(f'<text x="{x0 + j * cell + cell / 2}" y="{y0 + i * cell + cell / 2 + 4}" '
                       f'text-anchor="middle" fill="{color}">{int(cm[i, j])}</text>')
    out.append(f'<text x="{x0}" y="{h - 12}">shade: fraction of the reference row</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
