"""QuotaUsage values built in tests (the Elastic IP quota unless told otherwise)."""

from __future__ import annotations

from typing import Any

from wa_audit.models import QuotaUsage

EIP_ARN = "arn:aws:servicequotas:us-east-1:123456789012:ec2/L-0263D0A3"


def quota_usage(usage: float | None, limit: float, **changes: Any) -> QuotaUsage:
    fields: dict[str, Any] = {
        "region": "us-east-1",
        "service_code": "ec2",
        "quota_code": "L-0263D0A3",
        "quota_name": "EC2-VPC Elastic IPs",
        "usage": usage,
        "limit": limit,
        "limit_source": "applied",
        "percent": None if usage is None else 100.0 * usage / limit,
        "adjustable": True,
        "usage_source": "api:ec2:DescribeAddresses",
        "quota_arn": EIP_ARN,
    }
    return QuotaUsage(**(fields | changes))
