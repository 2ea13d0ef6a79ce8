"""What the demo shows for the operations, performance and sustainability pillars.

The sample account hears of AWS Health events in us-east-1 only; the clean one passes every check
of the three pillars (or has nothing for it to assess).
"""

from __future__ import annotations

from wa_audit.models import Status
from wa_audit.registry import discover

OPS = [
    "ops.health-notifications",
    "ops.config-recorder",
    "ops.support-plan",
    "ops.alternate-contacts",
]
PILLARS = ("ops.", "perf.", "sus.")


def test_sample_hears_of_health_events_in_us_east_1_only(sample_report):
    got = {(f.check_id, f.region): f.status for f in sample_report.findings if f.check_id in OPS}
    assert got == {
        ("ops.health-notifications", "us-east-1"): Status.PASS,
        ("ops.health-notifications", "eu-west-1"): Status.FAIL,
        ("ops.config-recorder", "us-east-1"): Status.PASS,
        ("ops.config-recorder", "eu-west-1"): Status.FAIL,
        ("ops.support-plan", "global"): Status.WARN,
        ("ops.alternate-contacts", "global"): Status.FAIL,
    }


def test_clean_passes_every_check_of_the_three_pillars(clean_report):
    ids = [c.id for c in discover() if c.id.startswith(PILLARS)]
    findings = [f for f in clean_report.findings if f.check_id in ids]
    assert {f.check_id for f in findings} == set(ids)
    assert {f.status for f in findings} <= {Status.PASS, Status.NOT_APPLICABLE}, [
        (f.check_id, f.region, f.message) for f in findings if f.status is not Status.PASS
    ]
