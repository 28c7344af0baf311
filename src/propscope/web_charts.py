"""Server-side charts as inline SVG: no script, no style attributes, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 680, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    values: Sequence[float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10 if value >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def _axes(periods: Sequence[str], top: float, percent: bool) -> list[str]:
    inner_h = HEIGHT - TOP - BOTTOM
    parts = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
             'stroke="#5c5f66"/>']
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - BOTTOM - inner_h * i / 4
        label = f"{value * 100:.0f}%" if percent else _fmt(value)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d9dbe0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#5c5f66">{label}</text>')
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(periods))
    every = max(1, len(periods) // 10)
    for i, period in enumerate(periods):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                         f'fill="#1b1b1f">{escape(period)}</text>')
    return parts


def _frame(title: str, body: list[str]) -> Markup:
    label = escape(title)
    return Markup(
        f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>{"".join(body)}</svg>'
    )


def stacked_bars(title: str, periods: Sequence[str], series: Sequence[Series]) -> Markup:
    """One bar per period, stacked by series."""
    totals = [sum(s.values[i] for s in series) for i in range(len(periods))]
    top = _nice_max(max(totals, default=0.0))
    inner_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(periods))
    bar = max(2.0, slot * 0.7)
    parts = _axes(periods, top, percent=False)
    for i, period in enumerate(periods):
        y = float(HEIGHT - BOTTOM)
        x = LEFT + slot * i + (slot - bar) / 2
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = inner_h * value / top
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{escape(s.color)}" '
                         f'stroke="#1b1b1f" stroke-width="0.3"><title>{escape(period)}: {escape(s.label)} '
                         f'{_fmt(value)}</title></rect>')
    return _frame(title, parts)


def line(title: str, periods: Sequence[str], values: Sequence[float], color: str = "#1a4fd6") -> Markup:
    """A line over periods of values between 0 and 1, labelled as percentages."""
    inner_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(periods))
    parts = _axes(periods, 1.0, percent=True)
    points = [(LEFT + slot * (i + 0.5), HEIGHT - BOTTOM - inner_h * min(1.0, max(0.0, v)))
              for i, v in enumerate(values)]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{escape(color)}" stroke-width="2"/>')
    for (x, y), period, value in zip(points, periods, values, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{escape(color)}"><title>{escape(period)}: '
                     f'{value * 100:.0f}%</title></circle>')
    return _frame(title, parts)
