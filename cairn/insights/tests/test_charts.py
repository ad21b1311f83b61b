"""The server-drawn charts fit any box: positions across are percentages, labels sit on their
own line from the left edge, and a label too long for it is shortened with the full name kept
in the row's title."""

import re

from cairn.insights.charts import bars_svg, dimensions_svg, short_label, trust_spread_svg
from cairn.insights.queries import DepartmentTrust

LONG = "Customer Success, Renewals and Enterprise Onboarding"


def _department(name: str) -> DepartmentTrust:
    dimensions = [("Generosity", 0.7), ("Courage", 0.5), ("Integrity", 0.6), ("Speed", 0.4)]
    return DepartmentTrust(name, 12, 0.2, 0.4, 0.55, 0.7, 0.95, dimensions)


def _labels(svg: str) -> list[str]:
    return re.findall(r'<text class="label" x="0" y="[\d.]+">([^<]*)</text>', svg)


def test_a_short_label_is_kept_whole_and_a_long_one_shortened() -> None:
    assert short_label("Customer Success") == "Customer Success"
    shortened = short_label(LONG)
    assert len(shortened) <= 36 and shortened.endswith("…")
    assert LONG.startswith(shortened[:-1])


def test_the_box_plot_is_as_wide_as_its_box_with_every_name_on_its_own_line() -> None:
    svg = str(trust_spread_svg([_department("Customer Success"), _department(LONG)]))
    assert 'width="100%"' in svg and "viewBox" not in svg
    assert _labels(svg) == ["Customer Success", short_label(LONG)]
    assert f"<title>{LONG}: median 55, middle half 40 to 70, range 20 to 95</title>" in svg
    assert 'x1="20.0%"' in svg and 'x2="95.0%"' in svg  # the whiskers, across the whole width


def test_the_dimension_bars_name_their_department_in_full() -> None:
    svg = str(dimensions_svg([_department(LONG)]))
    assert _labels(svg) == [short_label(LONG)]
    assert f"<g><title>{LONG}</title>" in svg
    assert f"<title>{LONG}, Generosity: 70</title>" in svg
    assert 'width="70.0%"' in svg


def test_bars_scale_to_the_largest_value_and_show_each_value() -> None:
    svg = str(bars_svg([("Participants, before", 1.06), ("Participants, after", 2.12)], "Help"))
    assert 'aria-label="Help"' in svg
    assert 'width="50.0%"' in svg and 'width="100.0%"' in svg
    assert '<text class="tick" x="100%" y="12" text-anchor="end">1.06</text>' in svg


def test_names_are_escaped() -> None:
    svg = str(bars_svg([("<script>", 1)], "Help"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
