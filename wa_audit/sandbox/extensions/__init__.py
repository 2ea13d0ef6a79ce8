"""The APIs moto lacks or fakes, one module per service, each answering with AWS's exact shapes."""

from __future__ import annotations

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions import (
    compute_optimizer,
    ec2,
    health,
    iam,
    notifications,
    s3,
    sns,
    support,
)


def all_handlers() -> list[Handlers]:
    return [
        iam.handlers,
        sns.handlers,
        ec2.handlers,
        support.handlers,
        compute_optimizer.handlers,
        health.handlers,
        notifications.handlers,
        s3.handlers,
    ]
