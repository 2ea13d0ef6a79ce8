"""Estimated monthly cost of idle resources, from the price table in ``prices.toml``.

Prices are data, kept next to their source and date; the estimates are us-east-1 list prices
applied in every region, so findings call them estimates and carry the basis in their evidence.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.ec2 import Volume


class _Prices(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IopsTier(_Prices):
    up_to: float
    per_iops_month: float


class EbsPrice(_Prices):
    per_gb_month: float
    included_iops: int = 0
    per_iops_month: float = 0.0
    iops_tiers: tuple[IopsTier, ...] = ()
    included_throughput_mibps: int = 0
    per_mibps_month: float = 0.0

    def iops_cost(self, iops: int) -> float:
        billable = max(0, iops - self.included_iops)
        if not self.iops_tiers:
            return billable * self.per_iops_month
        cost, floor = 0.0, 0.0
        for tier in self.iops_tiers:
            cost += max(0.0, min(billable, tier.up_to) - floor) * tier.per_iops_month
            floor = tier.up_to
        return cost


class PublicIpv4Price(_Prices):
    per_hour: float


class PriceTable(_Prices):
    region: str
    currency: str
    as_of: str
    hours_per_month: int
    sources: tuple[str, ...]
    public_ipv4: PublicIpv4Price
    ebs: dict[str, EbsPrice]

    def basis(self) -> dict[str, Any]:
        """What an estimate rests on, for a finding's evidence."""
        return {
            "estimate": True,
            "price_region": self.region,
            "price_as_of": self.as_of,
            "price_sources": list(self.sources),
        }


@cache
def price_table() -> PriceTable:
    text = files("wa_audit.checks").joinpath("prices.toml").read_text(encoding="utf-8")
    return PriceTable.model_validate(tomllib.loads(text))


def volume_monthly_cost(volume: Volume, prices: PriceTable) -> float | None:
    """Storage plus provisioned IOPS and throughput; None for a volume type not in the table."""
    price = prices.ebs.get(volume.type)
    if price is None:
        return None
    cost = volume.size_gib * price.per_gb_month
    if volume.iops and (price.per_iops_month or price.iops_tiers):
        cost += price.iops_cost(volume.iops)
    if volume.throughput and price.per_mibps_month:
        cost += max(0, volume.throughput - price.included_throughput_mibps) * price.per_mibps_month
    return round(cost, 2)


def public_ipv4_monthly_cost(prices: PriceTable) -> float:
    return round(prices.public_ipv4.per_hour * prices.hours_per_month, 2)


def dollars(amount: float) -> str:
    return f"${amount:,.2f}"
