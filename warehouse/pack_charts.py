"""Small-multiple trend charts for the performance pack, drawn as inline SVG so the pack needs no script or network."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 340, 190
# Margins: tick labels on the left, half a month label on the right, the captions above and below.
LEFT, RIGHT, TOP, BOTTOM = 48, 26, 22, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 5  # more than this and month labels run into each other


@dataclass(frozen=True)
class Trend:
    kpi_id: str
    title: str
    y_caption: str  # what the y axis measures, e.g. "rate per 1,000"
    x_caption: str  # e.g. "financial year"
    labels: list[str]  # periods, oldest first
    values: list[float | None]
    targets: list[float | None]  # in the same units as values; None where the period has no target
    selected: str  # the pack's period, drawn larger


def trend_chart(trend: Trend) -> str:
    top = max([v for v in trend.values + trend.targets if v is not None], default=0.0)
    step = _nice_step(top / 4 if top > 0 else 0.25)
    y_max = step * max(1, math.ceil(top / step))
    ticks = [step * i for i in range(round(y_max / step) + 1)]

    # Each period owns an equal slot and is plotted at its middle, so the first and last labels are not clipped.
    slot = PLOT_W / len(trend.labels)

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * slot

    def y(v: float) -> float:
        return TOP + PLOT_H * (1 - v / y_max)

    parts = [
        f'<svg class="trend" role="img" data-kpi="{escape(trend.kpi_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-label="{escape(_describe(trend))}">',
        f"<title>{escape(_describe(trend))}</title>",
        f'<text class="axis-caption" x="{LEFT - 40}" y="{TOP - 9}">{escape(trend.y_caption)}</text>',
    ]
    for tick in ticks:
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 5}" y="{y(tick) + 3:.1f}" text-anchor="end">'
                     f"{_format(tick, step)}</text>")
    for i in _labelled(len(trend.labels)):
        parts.append(f'<text class="tick" x="{x(i):.1f}" y="{TOP + PLOT_H + 14}" text-anchor="middle">'
                     f"{escape(trend.labels[i])}</text>")
    parts.append(f'<text class="axis-caption" x="{LEFT + PLOT_W / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                 f"{escape(trend.x_caption)}</text>")
    # A target belongs to one period, so it is drawn across that period's slot rather than joined up between periods.
    for i, target in enumerate(trend.targets):
        if target is not None:
            x1, x2 = x(i) - slot / 2, x(i) + slot / 2
            parts.append(f'<line class="target" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y(target):.1f}" y2="{y(target):.1f}">'
                         f"<title>target for {escape(trend.labels[i])}: {_format(target, step / 100)}</title></line>")
    for segment in _segments(trend.values):
        points = " ".join(f"{'M' if n == 0 else 'L'}{x(i):.1f},{y(trend.values[i]):.1f}" for n, i in enumerate(segment))
        parts.append(f'<path class="line" d="{points}"/>')
    for i, (label, value) in enumerate(zip(trend.labels, trend.values)):
        if value is not None:
            css = "point selected" if label == trend.selected else "point"
            radius = 4 if label == trend.selected else (2 if len(trend.labels) > 12 else 3)
            parts.append(f'<circle class="{css}" cx="{x(i):.1f}" cy="{y(value):.1f}" r="{radius}">'
                         f"<title>{escape(label)}: {_format(value, step / 100)}</title></circle>")
    if any(t is not None for t in trend.targets):
        parts.append(f'<line class="target" x1="{WIDTH - 84}" x2="{WIDTH - 64}" y1="{TOP - 12}" y2="{TOP - 12}"/>'
                     f'<text class="axis-caption" x="{WIDTH - 60}" y="{TOP - 9}">target</text>')
    parts.append("</svg>")
    return "".join(parts)


def _describe(trend: Trend) -> str:
    return f"{trend.title}: {trend.y_caption} by {trend.x_caption}, {trend.labels[0]} to {trend.labels[-1]}"


def _nice_step(rough: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at least `rough`: ticks a reader can add up in their head."""
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def _format(value: float, resolution: float) -> str:
    """The value with as many decimals as `resolution` needs (a tick step, or finer for a point's tooltip)."""
    decimals = next((d for d in range(7) if abs(round(resolution * 10**d) - resolution * 10**d) < 1e-9), 6)
    return f"{value:,.{decimals}f}"


def _labelled(n: int) -> list[int]:
    every = math.ceil(n / MAX_X_LABELS)
    # Counted back from the latest period, so the period a reader looks for first always has its label.
    return sorted(range(n - 1, -1, -every))


def _segments(values: list[float | None]) -> list[list[int]]:
    """Runs of consecutive periods with a value: a period without one breaks the line rather than bridging it."""
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]
