"""Inline-SVG charts for the archive browser: judgment likelihoods over days, calibration. Pure.

Charts are drawn as SVG text in the page (no script, no image request); every label is escaped.
Each mark carries a <title>, so hovering says what it is, and the page beside each chart gives the
same numbers as a table for readers who cannot see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from briefing.archive.scoring import Row
from briefing.records import LIKELIHOODS

# Colour-blind-safe (Okabe-Ito), distinct in print too thanks to the marker shapes.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
SHORT = {
    "almost no chance": "almost no chance",
    "very unlikely": "very unlikely",
    "unlikely": "unlikely",
    "roughly even chance": "even chance",
    "likely": "likely",
    "very likely": "very likely",
    "almost certain": "almost certain",
}


@dataclass
class Point:
    day: int  # index into the chart's dates
    likelihood: str
    text: str  # what the mark's tooltip says


@dataclass
class Series:
    label: str
    points: list[Point] = field(default_factory=list)


def likelihood_chart(dates: list[str], series: list[Series], *, title: str) -> Markup:
    """Likelihood (the seven ICD 203 terms, bottom to top) of each judgment, one column per day."""
    left, top, right, bottom = 118, 14, 16, 40
    step_x = 120 if len(dates) <= 6 else max(40, 720 // len(dates))
    width = left + right + max(1, len(dates) - 1) * step_x + 40
    height = top + bottom + 6 * 26
    levels = len(LIKELIHOODS)

    def x(day: int) -> float:
        return left + 20 + day * step_x

    def y(term: str) -> float:
        return top + (levels - 1 - LIKELIHOODS.index(term)) * 26

    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for term in LIKELIHOODS:
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(term)}" y2="{y(term)}"/>'
            f'<text class="axis" x="{left - 6}" y="{y(term) + 4}" text-anchor="end">{escape(SHORT[term])}</text>'
        )
    for day, date in enumerate(dates):
        out.append(f'<text class="axis" x="{x(day)}" y="{height - 14}" text-anchor="middle">{escape(date)}</text>')
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        known = [p for p in s.points if p.likelihood in LIKELIHOODS]
        # Series at the same likelihood would hide each other: each is drawn a little to the side
        # (the x position moves, never the likelihood).
        dodge = (n - (len(series) - 1) / 2) * min(8.0, 24.0 / max(1, len(series)))
        if len(known) > 1:
            path = " ".join(f"{x(p.day) + dodge:.1f},{y(p.likelihood)}" for p in known)
            out.append(f'<polyline class="series" points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in known:
            mark = _marker(n, round(x(p.day) + dodge, 1), y(p.likelihood), colour)
            tip = f"{escape(s.label)}, {escape(dates[p.day])}: {escape(p.likelihood)}. {escape(p.text)}"
            out.append(f'<g class="point" data-series="{n + 1}">{mark}<title>{tip}</title></g>')
    out.append("</svg>")
    return Markup("".join(out))


def calibration_chart(rows: list[Row], *, title: str) -> Markup:
    """Stated probability (each term at the middle of its band) against how often it came true."""
    size, pad = 260, 56
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {size + 2 * pad} {size + 2 * pad}" width="{size + 2 * pad}"'
        f' height="{size + 2 * pad}" xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect class="frame" x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none"/>'
        f'<line class="diagonal" x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}"/>'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        at = pad + tick * size
        out.append(
            f'<text class="axis" x="{at}" y="{pad + size + 16}" text-anchor="middle">{tick:.0%}</text>'
            f'<text class="axis" x="{pad - 6}" y="{pad + size - tick * size + 4}" text-anchor="end">{tick:.0%}</text>'
        )
    out.append(
        f'<text class="axis" x="{pad + size / 2}" y="{pad + size + 32}" text-anchor="middle">stated</text>'
        f'<text class="axis" x="14" y="{pad + size / 2}" transform="rotate(-90 14 {pad + size / 2})"'
        ' text-anchor="middle">came true</text>'
    )
    most = max((r.count for r in rows), default=1)
    for r in rows:
        if r.observed is None:
            continue
        cx, cy = pad + r.probability * size, pad + size - r.observed * size
        radius = 4 + 8 * (r.count / most) ** 0.5
        out.append(
            f'<g class="point"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{PALETTE[0]}"'
            f' fill-opacity=".75"/><title>{escape(r.term)}: stated {r.probability:.0%}, came true'
            f" {r.happened} of {r.count} ({r.observed:.0%})</title></g>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _marker(n: int, cx: float, cy: float, colour: str) -> str:
    """A circle, square, diamond or triangle, so series differ in shape as well as colour."""
    shape = n % 4
    if shape == 0:
        return f'<circle cx="{cx}" cy="{cy}" r="5" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{cx - 4.5}" y="{cy - 4.5}" width="9" height="9" fill="{colour}"/>'
    if shape == 2:
        return f'<polygon points="{cx},{cy - 6} {cx + 6},{cy} {cx},{cy + 6} {cx - 6},{cy}" fill="{colour}"/>'
    return f'<polygon points="{cx},{cy - 6} {cx + 6},{cy + 5} {cx - 6},{cy + 5}" fill="{colour}"/>'
