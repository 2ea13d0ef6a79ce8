"""The APIs moto lacks or fakes, one module per service, each answering with AWS's exact shapes."""

from __future__ import annotations

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions import (
    awslambda,
    backup,
    ec2_cpu_options,
    iam,
    rds,
    servicequotas,
    sns,
)


def all_handlers() -> list[Handlers]:
    return [
        iam.handlers,
        sns.handlers,
        servicequotas.handlers,
        ec2_cpu_options.handlers,
        rds.handlers,
        awslambda.handlers,
        backup.handlers,
    ]
