"""The geometry behind the scorecard's SVG charts."""

from __future__ import annotations

import pytest

from wa_audit.models import Coverage, MonthlyCost, ServiceCost
from wa_audit.reports.html_charts import (
    CHART_HEIGHT,
    OTHER,
    Gauge,
    bar_width,
    coverage_segments,
    month_chart,
    month_label,
    score_band,
)


@pytest.mark.parametrize(
    ("score", "band", "arc", "text"),
    [
        (None, "not scored", 0.0, "\N{EN DASH}"),
        (0.0, "poor", 0.0, "0"),
        (49.4, "poor", 37.05, "49"),
        (49.9, "fair", 37.42, "50"),  # the band agrees with the number shown
        (50.0, "fair", 37.5, "50"),
        (80.0, "good", 60.0, "80"),
        (100.0, "good", 75.0, "100"),
    ],
)
def test_gauge_arc_band_and_text(score, band, arc, text):
    gauge = Gauge("Security", score, "pillar-sec")
    assert (gauge.band, gauge.arc, gauge.text) == (band, arc, text)
    assert score_band(score) == band


def test_coverage_segments_fill_the_bar_in_order():
    segments = coverage_segments(Coverage(automated=1, answered=1, unassessed=2))
    assert [(s.name, s.count, s.x, s.width) for s in segments] == [
        ("automated", 1, 0.0, 25.0),
        ("answered", 1, 25.0, 25.0),
        ("unassessed", 2, 50.0, 50.0),
    ]


def test_coverage_of_nothing_draws_nothing():
    segments = coverage_segments(Coverage(automated=0, answered=0, unassessed=0))
    assert [s.width for s in segments] == [0.0, 0.0, 0.0]


def _month(month: str, **services: float) -> MonthlyCost:
    costs = tuple(ServiceCost(service=name, amount=amount) for name, amount in services.items())
    return MonthlyCost(month=month, amount=sum(services.values()), by_service=costs)


def test_month_chart_stacks_services_scaled_to_the_dearest_month():
    chart = month_chart((_month("2026-10", a=60.0, b=40.0), _month("2026-09", a=50.0)))
    assert chart is not None
    assert [bar.month for bar in chart.bars] == ["2026-09", "2026-10"]  # chronological
    september, october = chart.bars
    assert [(p.service, p.y, p.height) for p in october.parts] == [
        ("a", 60.0, 90.0),
        ("b", 0.0, 60.0),
    ]
    assert [(p.service, p.y, p.height) for p in september.parts] == [("a", 75.0, 75.0)]
    assert chart.peak == 100.0
    assert chart.legend == (("a", 0), ("b", 1))


def test_month_chart_sums_small_services_and_unbroken_spend_as_other():
    services = {f"s{i}": float(10 - i) for i in range(7)}  # s0 largest … s6 smallest
    month = MonthlyCost(
        month="2026-10",
        amount=sum(services.values()) + 5.0,  # 5.0 that Cost Explorer did not break down
        by_service=tuple(ServiceCost(service=k, amount=v) for k, v in services.items()),
    )
    chart = month_chart((month,))
    assert chart is not None
    [bar] = chart.bars
    assert [p.service for p in bar.parts] == ["s0", "s1", "s2", "s3", "s4", OTHER]
    assert bar.parts[-1].amount == 5.0 + 4.0 + 5.0  # s5, s6 and the rest
    assert bar.parts[-1].colour == 5
    assert sum(p.height for p in bar.parts) == pytest.approx(CHART_HEIGHT)


def test_month_chart_of_no_months_is_none():
    assert month_chart(()) is None


@pytest.mark.parametrize(
    ("month", "label"), [("2026-09", "Sep 2026"), ("2026-13", "2026-13"), ("soon", "soon")]
)
def test_month_label(month, label):
    assert month_label(month) == label


@pytest.mark.parametrize(
    ("percent", "width"), [(None, 0.0), (-3.0, 0.0), (42.456, 42.46), (150.0, 100.0)]
)
def test_bar_width_stays_inside_its_track(percent, width):
    assert bar_width(percent) == width
