"""The APIs moto lacks or fakes, one module per service, each answering with AWS's exact shapes."""

from __future__ import annotations

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions import (
    accessanalyzer,
    awslambda,
    backup,
    backup_vaults,
    budgets,
    ce,
    cloudtrail,
    compute_optimizer,
    ec2,
    ec2_cpu_options,
    freetier,
    glacier,
    health,
    iam,
    kms,
    macie,
    notifications,
    rds,
    s3,
    secretsmanager,
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
        s3.handlers,
        budgets.handlers,
        ce.handlers,
        freetier.handlers,
        accessanalyzer.handlers,
        servicequotas.handlers,
        rds.handlers,
        awslambda.handlers,
        backup.handlers,
        backup_vaults.handlers,
        support.handlers,
        compute_optimizer.handlers,
        health.handlers,
        notifications.handlers,
        wellarchitected.handlers,
        sts.handlers,
        securityhub.handlers,
        cloudtrail.handlers,
        glacier.handlers,
        macie.handlers,
        kms.handlers,
        secretsmanager.handlers,
    ]
