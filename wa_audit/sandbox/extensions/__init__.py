"""The APIs moto lacks or fakes, one module per service, each answering with AWS's exact shapes."""

from __future__ import annotations

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions import (
    accessanalyzer,
    awslambda,
    backup,
    budgets,
    ce,
    cloudtrail,
    compute_optimizer,
    ec2,
    ec2_cpu_options,
    ec2_network,
    freetier,
    health,
    iam,
    notifications,
    rds,
    s3,
    securityhub,
    servicequotas,
    sns,
    sts,
    support,
    wellarchitected,
)


def all_handlers() -> list[Handlers]:
    return [
        iam.handlers,
        sns.handlers,
        ec2.handlers,
        ec2_cpu_options.handlers,
        ec2_network.handlers,
        s3.handlers,
        budgets.handlers,
        ce.handlers,
        freetier.handlers,
        accessanalyzer.handlers,
        servicequotas.handlers,
        rds.handlers,
        awslambda.handlers,
        backup.handlers,
        support.handlers,
        compute_optimizer.handlers,
        health.handlers,
        notifications.handlers,
        wellarchitected.handlers,
        sts.handlers,
        securityhub.handlers,
        cloudtrail.handlers,
    ]
