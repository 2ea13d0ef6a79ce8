"""Numbers for the scorecard's inline SVG charts; the template draws them, no script needed.

Charts are geometry only: every value they show is also printed as text next to them, so a reader
never depends on a colour or a shape.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass

from wa_audit.models import Coverage, MonthlyCost

GAUGE_SWEEP = 75.0  # the gauge arc covers 270° of its circle's 100 path units
CHART_HEIGHT = 150.0
SERVICES_SHOWN = 5  # the largest services get a colour each; the rest are summed as "Other"
OTHER = "Other"


def score_band(score: float | None) -> str:
    """A word for the score, printed beside the colour the stylesheet gives it."""
    if score is None:
        return "not scored"
    shown = round(score)  # the band agrees with the number printed beside it
    if shown >= 80:
        return "good"
    if shown >= 50:
        return "fair"
    return "poor"


@dataclass(frozen=True)
class Gauge:
    label: str
    score: float | None
    anchor: str

    @property
    def band(self) -> str:
        return score_band(self.score)

    @property
    def arc(self) -> float:
        """Path units of the filled arc (``stroke-dasharray`` with ``pathLength=100``)."""
        return 0.0 if self.score is None else round(GAUGE_SWEEP * self.score / 100, 2)

    @property
    def text(self) -> str:
        return "\N{EN DASH}" if self.score is None else str(round(self.score))


@dataclass(frozen=True)
class Segment:
    """One part of a horizontal stacked bar, in percent of the bar's width."""

    name: str
    count: int
    x: float
    width: float


def coverage_segments(coverage: Coverage) -> list[Segment]:
    parts = [
        ("automated", coverage.automated),
        ("answered", coverage.answered),
        ("unassessed", coverage.unassessed),
    ]
    total = sum(count for _, count in parts) or 1
    segments, x = [], 0.0
    for name, count in parts:
        width = round(100 * count / total, 2)
        segments.append(Segment(name, count, x, width))
        x = round(x + width, 2)
    return segments


@dataclass(frozen=True)
class BarPart:
    service: str
    colour: int  # index into the stylesheet's series colours; OTHER is the last one
    amount: float
    y: float
    height: float


@dataclass(frozen=True)
class MonthBar:
    month: str
    label: str
    total: float
    parts: tuple[BarPart, ...]


@dataclass(frozen=True)
class MonthChart:
    bars: tuple[MonthBar, ...]
    legend: tuple[tuple[str, int], ...]
    peak: float


def month_label(month: str) -> str:
    """``2026-09`` → ``Sep 2026`` (left as given when it is not a YYYY-MM month)."""
    year, _, number = month.partition("-")
    if year.isdigit() and number.isdigit() and 1 <= int(number) <= 12:
        return f"{calendar.month_abbr[int(number)]} {year}"
    return month


def month_chart(months: tuple[MonthlyCost, ...]) -> MonthChart | None:
    """Stacked bars of the last months by service, scaled to the most expensive month."""
    if not months:
        return None
    ordered = sorted(months, key=lambda m: m.month)
    totals: dict[str, float] = defaultdict(float)
    for month in ordered:
        for cost in month.by_service:
            totals[cost.service] += cost.amount
    named = sorted(totals, key=lambda s: (-totals[s], s))[:SERVICES_SHOWN]
    colours = {service: index for index, service in enumerate(named)}
    peak = max(m.amount for m in ordered) or 1.0
    bars = []
    for month in ordered:
        amounts: dict[str, float] = defaultdict(float)
        for cost in month.by_service:
            amounts[cost.service if cost.service in colours else OTHER] += cost.amount
        rest = month.amount - sum(amounts.values())
        if rest > 0.005:  # spend Cost Explorer did not break down by service
            amounts[OTHER] += rest
        parts, top = [], CHART_HEIGHT
        for service in [*named, OTHER]:
            amount = amounts.get(service, 0.0)
            if amount <= 0:
                continue
            height = round(CHART_HEIGHT * amount / peak, 2)
            top = round(top - height, 2)
            parts.append(
                BarPart(service, colours.get(service, SERVICES_SHOWN), amount, top, height)
            )
        bars.append(MonthBar(month.month, month_label(month.month), month.amount, tuple(parts)))
    shown = {part.service for bar in bars for part in bar.parts}
    legend = tuple(
        (service, colours.get(service, SERVICES_SHOWN))
        for service in [*named, OTHER]
        if service in shown
    )
    return MonthChart(tuple(bars), legend, peak)


def bar_width(percent: float | None) -> float:
    """Width of a usage bar: the percent, kept inside the track (150 % still draws a full bar)."""
    if percent is None:
        return 0.0
    return round(min(max(percent, 0.0), 100.0), 2)
