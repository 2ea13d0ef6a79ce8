"""Cost checks of waste (checks/cost_waste.py) on facts built in the test: every verdict, with its
exact reason and its estimated dollars."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import run_on_facts
from wa_audit.checks.cost_waste import (
    FreeTierParams,
    free_tier,
    unassociated_eips,
    unattached_volumes,
)
from wa_audit.facts.ec2 import Address, Volume, addresses, volumes
from wa_audit.facts.freetier import FreeTierOffer, free_tier_usage
from wa_audit.models import Status

ACCOUNT = "123456789012"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def _offer(forecast: float, limit: float = 750.0) -> FreeTierOffer:
    return FreeTierOffer(
        service="Amazon Elastic Compute Cloud",
        usage_type="USE1-BoxUsage:freetier.micro",
        region="us-east-1",
        actual=forecast * 0.9,
        forecast=forecast,
        limit=limit,
        unit="Hrs",
    )


@pytest.mark.parametrize(
    ("forecast", "status", "message"),
    [
        (
            781.0,
            Status.FAIL,
            "Amazon Elastic Compute Cloud Free Tier offer USE1-BoxUsage:freetier.micro is forecast "
            "at 781 of 750 Hrs this month (104%): usage beyond the limit is billed at On-Demand "
            "rates.",
        ),
        (
            675.0,
            Status.WARN,
            "Amazon Elastic Compute Cloud Free Tier offer USE1-BoxUsage:freetier.micro is forecast "
            "at 675 of 750 Hrs this month (90%), above the 85% warning level.",
        ),
        (600.0, Status.PASS, "All 1 Free Tier offers are forecast within 85% of their limits."),
    ],
)
def test_free_tier_usage(forecast, status, message):
    [finding] = run_on_facts(free_tier, {free_tier_usage: (_offer(forecast),)})
    assert (finding.status, finding.message, finding.region) == (status, message, "global")
    assert finding.evidence["warn_percent"] == 85.0
    expected_resource = ROOT if status is Status.PASS else _offer(1).key
    assert finding.resource == expected_resource


def test_free_tier_threshold_is_a_parameter_and_no_free_tier_is_not_applicable():
    [warned] = run_on_facts(
        free_tier, {free_tier_usage: (_offer(600.0),)}, params=FreeTierParams(warn_percent=75)
    )
    assert (warned.status, warned.evidence["warn_percent"]) == (Status.WARN, 75.0)
    [none] = run_on_facts(free_tier, {free_tier_usage: ()})
    assert (none.status, none.resource) == (Status.NOT_APPLICABLE, ROOT)


CREATED = datetime(2026, 6, 1, tzinfo=UTC)


def _volume(volume_id: str, state: str, **extra: object) -> Volume:
    base = {"type": "gp2", "size_gib": 50, "availability_zone": "eu-west-1a"}
    return Volume(id=volume_id, state=state, create_time=CREATED, **(base | extra))


def test_unattached_volumes_one_failure_each_with_estimated_dollars():
    found = (
        _volume("vol-idle", "available"),
        _volume("vol-used", "in-use", attached_instance_ids=("i-1",)),
        _volume("vol-fast", "available", type="gp3", size_gib=100, iops=6000, throughput=250),
    )
    findings = run_on_facts(
        unattached_volumes, {volumes: found}, region="eu-west-1", regions=("eu-west-1",)
    )
    assert [(f.status, f.resource, f.region) for f in findings] == [
        (Status.FAIL, f"arn:aws:ec2:eu-west-1:{ACCOUNT}:volume/vol-idle", "eu-west-1"),
        (Status.FAIL, f"arn:aws:ec2:eu-west-1:{ACCOUNT}:volume/vol-fast", "eu-west-1"),
    ]
    idle, fast = findings
    assert idle.message == (
        "EBS volume vol-idle (gp2, 50 GiB) is attached to no instance: about $5.00 a month "
        "(estimate) for nothing."
    )
    # 100 GB x $0.08 + 3,000 extra IOPS x $0.005 + 125 extra MiB/s x $0.04
    assert fast.evidence["estimated_monthly_cost_usd"] == 8.0 + 15.0 + 5.0
    assert idle.evidence["days_since_created"] == 181
    assert idle.evidence["estimate"] is True
    assert idle.evidence["price_region"] == "us-east-1"
    assert idle.best_practices == ("COST04-BP03", "SUS02-BP03")


def test_no_unattached_volume_passes_for_the_region():
    [finding] = run_on_facts(
        unattached_volumes,
        {volumes: (_volume("vol-used", "in-use"),)},
        region="eu-west-1",
        regions=("eu-west-1",),
    )
    assert (finding.status, finding.resource) == (Status.PASS, f"{ACCOUNT}/eu-west-1")


def test_unassociated_eips_cost_an_idle_public_ipv4_address():
    found = (
        Address(
            public_ip="203.0.113.7", allocation_id="eipalloc-1", association_id=None, domain="vpc"
        ),
        Address(
            public_ip="203.0.113.8",
            allocation_id="eipalloc-2",
            association_id="eipassoc-2",
            domain="vpc",
        ),
    )
    [finding] = run_on_facts(
        unassociated_eips, {addresses: found}, region="us-east-1", regions=("us-east-1",)
    )
    assert (finding.status, finding.resource, finding.message) == (
        Status.FAIL,
        f"arn:aws:ec2:us-east-1:{ACCOUNT}:elastic-ip/eipalloc-1",
        "Elastic IP 203.0.113.7 is associated with nothing: about $3.65 a month (estimate) for an "
        "idle public IPv4 address.",
    )
    [clean] = run_on_facts(
        unassociated_eips, {addresses: found[1:]}, region="us-east-1", regions=("us-east-1",)
    )
    assert (clean.status, clean.resource) == (Status.PASS, f"{ACCOUNT}/us-east-1")
