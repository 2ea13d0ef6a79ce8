"""Seeders, one module per scenario section, applied in this order."""

from __future__ import annotations

from typing import Any

from wa_audit.sandbox.scenario import Seeder
from wa_audit.sandbox.seeders import (
    access,
    account,
    backup,
    containers,
    cost,
    databases,
    edge,
    governance,
    health,
    iam,
    monitoring,
    network,
    operations,
    organization,
    quotas,
    root,
    security,
    serverless,
    storage,
    workload,
)


def all_seeders() -> list[Seeder[Any]]:
    # quotas tops up what the other sections created, so it comes after them.
    return [
        account.SEEDER,
        root.SEEDER,
        workload.SEEDER,
        iam.SEEDER,
        security.SEEDER,
        cost.SEEDER,
        governance.SEEDER,
        access.SEEDER,
        health.SEEDER,
        operations.SEEDER,
        backup.SEEDER,
        databases.SEEDER,
        storage.SEEDER,  # sets protections on buckets the sections above created
        monitoring.SEEDER,  # alarms on what the sections before it created
        network.SEEDER,  # builds on the workload; IMDSv2 applies to every instance so far
        edge.SEEDER,  # changes the workload's load balancers: after workload
        serverless.SEEDER,  # registers the workload's running instances with SSM
        containers.SEEDER,  # names the workload's subnets and security groups
        quotas.SEEDER,
        organization.SEEDER,  # seeds other accounts: after the management account's own sections
    ]
