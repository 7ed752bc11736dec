"""Static SVG bar charts, made at build time: readable without JavaScript, described for
screen readers, and paired on every page with a table of the same figures."""

from __future__ import annotations

from decimal import Decimal

from .markup import attribute

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 40
POSITIVE, NEGATIVE, AXIS, TEXT = "#3f51b5", "#c62828", "#9e9e9e", "#424242"
MAINTAINERS, FOUNDATION = "#3f51b5", "#e65100"  # the two parts of a remittance, in stacked charts
LEGEND = 18  # the legend's room above a stacked chart


def bar_chart(title: str, description: str, points: list[tuple[str, Decimal]], unit: str) -> bytes:
    """Bars of one value per label (months), negative values below the axis."""
    values = [value for _, value in points] or [Decimal(0)]
    plot = _Plot(max(max(values), Decimal(0)), min(min(values), Decimal(0)), len(points))
    parts = _head(title, description) + plot.axis()
    zero = plot.y(Decimal(0))
    for index, (label, value) in enumerate(points):
        x = plot.x(index)
        top, bottom = sorted((plot.y(value), zero))
        colour = NEGATIVE if value < 0 else POSITIVE
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{plot.bar:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                     f'fill="{colour}"><title>{attribute(label)}: {value:,.2f} {attribute(unit)}</title></rect>')
        parts += plot.label(index, label)
    return _end(parts, unit)


def stacked_chart(title: str, description: str, labels: list[str],
                  series: list[tuple[str, str, list[Decimal]]], unit: str) -> bytes:
    """Stacked bars: per label (a month), one segment per series (name, colour, values), with a legend.

    Positive values stack up from the axis and negative ones (a month of adjustments) down from it.
    """
    ups = [sum((max(values[i], Decimal(0)) for _, _, values in series), Decimal(0)) for i in range(len(labels))]
    downs = [sum((min(values[i], Decimal(0)) for _, _, values in series), Decimal(0)) for i in range(len(labels))]
    plot = _Plot(max(ups, default=Decimal(0)), min(downs, default=Decimal(0)), len(labels), top=TOP + LEGEND)
    parts = _head(title, description)
    x = LEFT
    for name, colour, _ in series:
        parts.append(f'<rect x="{x}" y="{TOP - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{TOP}" fill="{TEXT}">{attribute(name)}</text>')
        x += 14 + 7 * len(name) + 24
    parts += plot.axis()
    for index, label in enumerate(labels):
        x = plot.x(index)
        above = below = Decimal(0)
        for name, colour, values in series:
            value = values[index]
            if not value:
                continue
            if value > 0:
                start, above = above, above + value
                end = above
            else:
                start, below = below, below + value
                end = below
            upper, lower = sorted((plot.y(start), plot.y(end)))
            parts.append(f'<rect x="{x:.1f}" y="{upper:.1f}" width="{plot.bar:.1f}" '
                         f'height="{max(lower - upper, 0.5):.1f}" fill="{colour}"><title>{attribute(label)}, {attribute(name)}: {value:,.2f} '
                         f'{attribute(unit)}</title></rect>')
        parts += plot.label(index, label)
    return _end(parts, unit)


class _Plot:
    """Where values from `low` to `high` fall, in `count` slots, below `top`."""

    def __init__(self, high: Decimal, low: Decimal, count: int, top: int = TOP):
        self.high, self.low, self.count, self.top = high, low, count, top
        self.span = (high - low) or Decimal(1)
        self.step = (WIDTH - LEFT - RIGHT) / max(count, 1)
        self.bar = max(self.step * 0.7, 1.0)
        self.label_every = max(1, count // 12)

    def y(self, value: Decimal) -> float:
        return self.top + float((self.high - value) / self.span) * (HEIGHT - self.top - BOTTOM)

    def x(self, index: int) -> float:
        return LEFT + index * self.step + (self.step - self.bar) / 2

    def axis(self) -> list[str]:
        """The axis at 0, and the labels of the highest value, the lowest below 0, and 0."""
        zero = self.y(Decimal(0))
        parts = [f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - RIGHT}" y2="{zero:.1f}" stroke="{AXIS}"/>',
                 f'<text x="{LEFT - 6}" y="{self.y(self.high) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
                 f'{_short(self.high)}</text>']
        if self.low < 0:
            parts.append(f'<text x="{LEFT - 6}" y="{self.y(self.low):.1f}" text-anchor="end" fill="{TEXT}">'
                         f'{_short(self.low)}</text>')
        parts.append(f'<text x="{LEFT - 6}" y="{zero + 4:.1f}" text-anchor="end" fill="{TEXT}">0</text>')
        return parts

    def label(self, index: int, label: str) -> list[str]:
        """The label under a slot, every so many slots so that they do not overlap."""
        if index % self.label_every:
            return []
        return [f'<text x="{self.x(index) + self.bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'fill="{TEXT}">{attribute(label)}</text>']


def _head(title: str, description: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="11">',
            f'<title id="t">{attribute(title)}</title>',
            f'<desc id="d">{attribute(description)}</desc>']


def _end(parts: list[str], unit: str) -> bytes:
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" fill="{TEXT}">{attribute(unit)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts).encode("utf-8")


def _short(value: Decimal) -> str:
    """An axis label: 12,345 or 1.2M."""
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    return f"{value:,.0f}"
