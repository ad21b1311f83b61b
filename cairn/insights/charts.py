"""Inline SVG charts drawn on the server: no JavaScript, no library, readable on a phone."""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cairn.insights.queries import DepartmentTrust

WIDTH = 420
LABEL = 112  # room for the department name
RIGHT = 14
ROW = 34  # one row for the spread of trust
BAR = 9  # one bar per dimension
DIMENSION_CLASSES = ("generosity", "courage", "integrity", "responsiveness")


def _short(name: str, most: int = 16) -> str:
    """Return a department name short enough for the label column (the table has it in full)."""
    return name if len(name) <= most else name[: most - 1] + "…"


def _x(value: float) -> float:
    return round(LABEL + max(0.0, min(1.0, value)) * (WIDTH - LABEL - RIGHT), 1)


def _axis(top: float, bottom: float) -> list[str]:
    parts: list[str] = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = _x(tick)
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                top,
                x,
                bottom,
                x,
                bottom + 14,
                f"{round(tick * 100)}",
            )
        )
    return parts


def trust_spread_svg(departments: list[DepartmentTrust]) -> SafeString:
    """Return a box plot of overall trust per department (range, middle half, median)."""
    height = len(departments) * ROW + 30
    parts = _axis(4, height - 22)
    for i, d in enumerate(departments):
        mid = 4 + i * ROW + ROW / 2
        parts.append(
            format_html(
                "<g><title>{}: median {}, middle half {} to {}, range {} to {}</title>"
                '<text class="label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<line class="whisker" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<rect class="box" x="{}" y="{}" width="{}" height="{}"/>'
                '<line class="median" x1="{}" y1="{}" x2="{}" y2="{}"/></g>',
                d.name,
                round(d.median * 100),
                round(d.q1 * 100),
                round(d.q3 * 100),
                round(d.low * 100),
                round(d.high * 100),
                LABEL - 8,
                mid + 4,
                _short(d.name),
                _x(d.low),
                mid,
                _x(d.high),
                mid,
                _x(d.q1),
                mid - 9,
                max(2.0, round(_x(d.q3) - _x(d.q1), 1)),
                18,
                _x(d.median),
                mid - 12,
                _x(d.median),
                mid + 12,
            )
        )
    return _svg(height, "trust-spread", "Overall trust by department", parts)


def dimensions_svg(departments: list[DepartmentTrust]) -> SafeString:
    """Return grouped bars: the median of each of the four dimensions per department."""
    group = BAR * len(DIMENSION_CLASSES) + 12
    height = len(departments) * group + 30
    parts = _axis(4, height - 22)
    for i, d in enumerate(departments):
        top = 4 + i * group
        parts.append(
            format_html(
                '<text class="label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL - 8,
                top + group / 2,
                _short(d.name),
            )
        )
        for k, (label, value) in enumerate(d.dimensions):
            parts.append(
                format_html(
                    '<rect class="dim {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    DIMENSION_CLASSES[k],
                    LABEL,
                    top + k * BAR,
                    max(1.0, round(_x(value) - LABEL, 1)),
                    BAR - 2,
                    d.name,
                    label,
                    round(value * 100),
                )
            )
    return _svg(height, "trust-dimensions-chart", "The four dimensions by department", parts)


def _svg(height: float, css: str, title: str, parts: Sequence[str]) -> SafeString:
    head = format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet">',
        css,
        WIDTH,
        height,
        title,
    )
    # Every part was built with format_html, so the names in it are escaped.
    body = "".join(str(p) for p in parts)
    return mark_safe(head + body + "</svg>")  # noqa: S308  # nosec B308 B703


def bars_svg(rows: Sequence[tuple[str, float]], title: str, css: str = "bars") -> SafeString:
    """Return horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _, value in rows), default=0) or 1
    height = len(rows) * ROW + 8
    parts = []
    for i, (label, value) in enumerate(rows):
        top = 4 + i * ROW
        width = round((WIDTH - LABEL - RIGHT - 40) * value / largest, 1)
        parts.append(
            format_html(
                '<g><title>{}: {}</title><text class="label" x="{}" y="{}" text-anchor="end">{}'
                '</text><rect class="bar" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="tick" x="{}" y="{}">{}</text></g>',
                label,
                _number(value),
                LABEL - 8,
                top + ROW / 2 + 4,
                _short(label),
                LABEL,
                top + 6,
                max(1.0, width),
                ROW - 12,
                LABEL + max(1.0, width) + 6,
                top + ROW / 2 + 4,
                _number(value),
            )
        )
    return _svg(height, css, title, parts)


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))
