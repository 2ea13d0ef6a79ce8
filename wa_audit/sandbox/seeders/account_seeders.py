"""The seeders of one account's sections, in the order they apply.

Apart from :mod:`wa_audit.sandbox.seeders` (which adds the organization seeder last) because the
organization seeder seeds each member account with these: a member account has no organization of
its own, and importing the full list from there would close an import cycle.
"""

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
    quotas,
    root,
    security,
    serverless,
    storage,
    workload,
)


def account_seeders() -> list[Seeder[Any]]:
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
    ]
