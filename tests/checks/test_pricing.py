"""The price table behind the waste estimates: data with its source, and the arithmetic on it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wa_audit.checks.pricing import price_table, public_ipv4_monthly_cost, volume_monthly_cost
from wa_audit.facts.ec2 import Volume


def _volume(kind: str, size: int, iops: int | None = None, throughput: int | None = None) -> Volume:
    return Volume(
        id="vol-1",
        type=kind,
        size_gib=size,
        state="available",
        availability_zone="us-east-1a",
        create_time=datetime(2026, 1, 1, tzinfo=UTC),
        iops=iops,
        throughput=throughput,
    )


def test_the_table_names_its_region_sources_and_date():
    prices = price_table()
    assert prices.region == "us-east-1"
    assert all(source.startswith("https://aws.amazon.com/") for source in prices.sources)
    assert date.fromisoformat(prices.as_of)
    assert set(prices.ebs) == {"gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"}


@pytest.mark.parametrize(
    ("volume", "monthly"),
    [
        (_volume("gp2", 50, iops=150), 5.0),  # gp2 IOPS come with the size
        (_volume("gp3", 100, iops=3000, throughput=125), 8.0),  # baseline performance is free
        (_volume("io1", 100, iops=1000), 12.5 + 65.0),
        # io2: 32,000 IOPS at $0.065, 8,000 at $0.0455
        (_volume("io2", 100, iops=40000), 12.5 + 32000 * 0.065 + 8000 * 0.0455),
        (_volume("sc1", 1000), 15.0),
    ],
)
def test_volume_costs(volume, monthly):
    assert volume_monthly_cost(volume, price_table()) == pytest.approx(monthly, abs=0.01)


def test_unknown_volume_type_has_no_estimate_and_ipv4_costs_730_hours():
    assert volume_monthly_cost(_volume("io3", 10), price_table()) is None
    assert public_ipv4_monthly_cost(price_table()) == 3.65
