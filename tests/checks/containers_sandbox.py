"""Seed the containers section (with the network it names) and audit some checks, in the sandbox."""

from __future__ import annotations

from typing import Any

from wa_audit.aws import AwsSession
from wa_audit.models import Finding
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.scenario import Scenario
from wa_audit.sandbox.seeders.containers import ContainersSection
from wa_audit.sandbox.seeders.workload_section import WorkloadSection

REGION = "us-east-1"
ACCOUNT = "123456789012"
NETWORK: dict[str, Any] = {
    "network": {
        "name": "app",
        "cidr": "10.0.0.0/16",
        "subnets": [
            {"name": "private-a", "cidr": "10.0.10.0/24", "zone": "a"},
            {"name": "private-b", "cidr": "10.0.11.0/24", "zone": "b"},
            {"name": "private-a2", "cidr": "10.0.12.0/24", "zone": "a"},
        ],
    },
    "security_groups": [{"name": "app", "description": "the app"}],
}


def seed_containers(sandbox: Any, region_containers: dict[str, Any]) -> None:
    sections = {
        "workload": WorkloadSection.model_validate({"regions": {REGION: NETWORK}}),
        "containers": ContainersSection.model_validate({"regions": {REGION: region_containers}}),
    }
    sandbox.seed(Scenario("test", (REGION,), sections))


def findings(check_id: str, params: dict[str, Any] | None = None) -> list[Finding]:
    checks = select(discover(), include=[check_id])
    options = RunOptions(regions=(REGION,), params={check_id: params} if params else {})
    return list(run_audit(AwsSession(), checks, options).findings)
