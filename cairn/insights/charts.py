"""Inline SVG charts drawn on the server: no JavaScript, no library, readable on a phone.

A chart is as wide as its box: every horizontal position is a percentage of the chart's width
and every vertical one is in pixels, so the bars stretch while the text keeps the page's size
(a viewBox would scale the text down with the chart, to a few pixels on a phone). Each row's
label sits on its own line above its bars, starting at the left edge, so a long department name
is never cut by a label column; a name too long even for that line is shortened, and the row's
``<title>`` (its tooltip, and what a screen reader reads) has it in full.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cairn.insights.queries import DepartmentTrust

LABEL_LINE = 16  # the label above each row
AXIS = 22  # the tick numbers under the plot
ROW = LABEL_LINE + 30  # one department's spread of trust: its label, then the box plot
BAR = 9  # one bar per dimension
BARS_ROW = LABEL_LINE + 24  # one bar of ``bars_svg``: its label and value, then the bar
MOST_CHARACTERS = 36  # what fits on a label line at 390 px wide
DIMENSION_CLASSES = ("generosity", "courage", "integrity", "responsiveness")


def short_label(name: str, most: int = MOST_CHARACTERS) -> str:
    """Return ``name`` short enough for a label line (the row's title has it in full)."""
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def _x(value: float) -> str:
    """Return the horizontal position of a 0..1 value, as a percentage of the chart's width."""
    return f"{round(max(0.0, min(1.0, value)) * 100, 2)}%"


def _axis(top: float, bottom: float) -> list[str]:
    parts: list[str] = []
    for tick, anchor in ((0.0, "start"), (0.25, "middle"), (0.5, "middle"), (0.75, "middle")):
        parts.append(_tick(tick, anchor, top, bottom))
    parts.append(_tick(1.0, "end", top, bottom))
    return parts


def _tick(tick: float, anchor: str, top: float, bottom: float) -> str:
    x = _x(tick)
    return format_html(
        '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        x,
        top,
        x,
        bottom,
        x,
        bottom + 15,
        anchor,
        f"{round(tick * 100)}",
    )


def _label(name: str, top: float, most: int = MOST_CHARACTERS) -> str:
    return format_html(
        '<text class="label" x="0" y="{}">{}</text>', top + 12, short_label(name, most)
    )


def trust_spread_svg(departments: list[DepartmentTrust]) -> SafeString:
    """Return a box plot of overall trust per department (range, middle half, median)."""
    plot_bottom = len(departments) * ROW + 4
    parts = _axis(0, plot_bottom)
    for i, d in enumerate(departments):
        top = i * ROW
        mid = top + LABEL_LINE + 14
        parts.append(
            format_html(
                "<g><title>{}: median {}, middle half {} to {}, range {} to {}</title>{}"
                '<line class="whisker" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<rect class="box" x="{}" y="{}" width="{}" height="{}"/>'
                '<line class="median" x1="{}" y1="{}" x2="{}" y2="{}"/></g>',
                d.name,
                round(d.median * 100),
                round(d.q1 * 100),
                round(d.q3 * 100),
                round(d.low * 100),
                round(d.high * 100),
                _label(d.name, top),
                _x(d.low),
                mid,
                _x(d.high),
                mid,
                _x(d.q1),
                mid - 8,
                _x(max(0.005, d.q3 - d.q1)),
                16,
                _x(d.median),
                mid - 11,
                _x(d.median),
                mid + 11,
            )
        )
    return _svg(plot_bottom + AXIS, "trust-spread", "Overall trust by department", parts)


def dimensions_svg(departments: list[DepartmentTrust]) -> SafeString:
    """Return grouped bars: the median of each of the four dimensions per department."""
    group = LABEL_LINE + BAR * len(DIMENSION_CLASSES) + 12
    plot_bottom = len(departments) * group
    parts = _axis(0, plot_bottom)
    for i, d in enumerate(departments):
        top = i * group
        bars = format_html_join(
            "",
            '<rect class="dim {}" x="0" y="{}" width="{}" height="{}">'
            "<title>{}, {}: {}</title></rect>",
            (
                (
                    DIMENSION_CLASSES[k],
                    top + LABEL_LINE + 4 + k * BAR,
                    _x(max(0.005, value)),
                    BAR - 2,
                    d.name,
                    label,
                    round(value * 100),
                )
                for k, (label, value) in enumerate(d.dimensions)
            ),
        )
        parts.append(format_html("<g><title>{}</title>{}{}</g>", d.name, _label(d.name, top), bars))
    return _svg(
        plot_bottom + AXIS, "trust-dimensions-chart", "The four dimensions by department", parts
    )


def bars_svg(rows: Sequence[tuple[str, float]], title: str, css: str = "bars") -> SafeString:
    """Return horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _, value in rows), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(rows):
        top = i * BARS_ROW
        parts.append(
            format_html(
                "<g><title>{}: {}</title>{}"
                '<text class="tick" x="100%" y="{}" text-anchor="end">{}</text>'
                '<rect class="bar" x="0" y="{}" width="{}" height="{}"/></g>',
                label,
                _number(value),
                _label(label, top, most=MOST_CHARACTERS - 6),  # the value shares the line
                top + 12,
                _number(value),
                top + LABEL_LINE + 2,
                _x(max(0.005, value / largest)),
                BARS_ROW - LABEL_LINE - 8,
            )
        )
    return _svg(len(rows) * BARS_ROW, css, title, parts)


def _svg(height: float, css: str, title: str, parts: Sequence[str]) -> SafeString:
    head = format_html(
        '<svg class="chart {}" width="100%" height="{}" role="img" aria-label="{}">',
        css,
        height,
        title,
    )
    # Every part was built with format_html, so the names in it are escaped.
    body = "".join(str(p) for p in parts)
    return mark_safe(head + body + "</svg>")  # noqa: S308  # nosec B308 B703


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))
