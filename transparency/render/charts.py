"""Static SVG bar charts, made at build time: readable without JavaScript, described for
screen readers, and paired on every page with a table of the same figures."""

from __future__ import annotations

from decimal import Decimal

from .markup import attribute

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 40
POSITIVE, NEGATIVE, AXIS, TEXT = "#3f51b5", "#c62828", "#9e9e9e", "#424242"


def bar_chart(title: str, description: str, points: list[tuple[str, Decimal]], unit: str) -> bytes:
    """Bars of one value per label (months), negative values below the axis."""
    values = [value for _, value in points] or [Decimal(0)]
    high = max(max(values), Decimal(0))
    low = min(min(values), Decimal(0))
    span = (high - low) or Decimal(1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + float((high - value) / span) * plot_h

    zero = y(Decimal(0))
    step = plot_w / max(len(points), 1)
    bar = max(step * 0.7, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="11">',
        f'<title id="t">{attribute(title)}</title>',
        f'<desc id="d">{attribute(description)}</desc>',
        f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - RIGHT}" y2="{zero:.1f}" stroke="{AXIS}"/>',
        f'<text x="{LEFT - 6}" y="{y(high) + 4:.1f}" text-anchor="end" fill="{TEXT}">{_short(high)}</text>',
    ]
    if low < 0:
        parts.append(f'<text x="{LEFT - 6}" y="{y(low):.1f}" text-anchor="end" fill="{TEXT}">{_short(low)}</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{zero + 4:.1f}" text-anchor="end" fill="{TEXT}">0</text>')
    label_every = max(1, len(points) // 12)
    for index, (label, value) in enumerate(points):
        x = LEFT + index * step + (step - bar) / 2
        top, bottom = sorted((y(value), zero))
        colour = NEGATIVE if value < 0 else POSITIVE
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                     f'fill="{colour}"><title>{attribute(label)}: {value:,.2f} {attribute(unit)}</title></rect>')
        if index % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'fill="{TEXT}">{attribute(label)}</text>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" fill="{TEXT}">{attribute(unit)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts).encode("utf-8")


def _short(value: Decimal) -> str:
    """An axis label: 12,345 or 1.2M."""
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    return f"{value:,.0f}"
