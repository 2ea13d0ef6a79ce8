"""Quota warning and critical levels: one model for the check that judges quotas and the Report.

``rel.service-quotas`` takes these as its parameters (``[params."rel.service-quotas"]``); the quota
section stamps each quota with the levels that apply to it, after overrides, so the scorecard and
the terminal colour a quota exactly where the check warns or fails. The section reads them from the
config whether or not that check is selected: ``--skip-check rel.service-quotas`` still shows
quotas against the levels the user set, not the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wa_audit.config import check_params
from wa_audit.models import QuotaUsage
from wa_audit.models.sections import (
    DEFAULT_CRITICAL_PERCENT,
    DEFAULT_WARN_PERCENT,
    QUOTA_CHECK_ID,
)

QUOTA_KEY = re.compile(r"^[a-z0-9-]+/L-[0-9A-F]{8}$")


class Thresholds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warn_percent: float = Field(default=DEFAULT_WARN_PERCENT, gt=0)
    critical_percent: float = Field(default=DEFAULT_CRITICAL_PERCENT, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.warn_percent > self.critical_percent:
            raise ValueError("warn_percent must not exceed critical_percent")
        return self


class ThresholdOverride(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warn_percent: float | None = Field(default=None, gt=0)
    critical_percent: float | None = Field(default=None, gt=0)


class ServiceQuotaParams(Thresholds):
    """Thresholds for every quota, and per quota (``overrides = {"ec2/L-1216C47A" = {...}}``)."""

    overrides: dict[str, ThresholdOverride] = Field(default_factory=dict)

    @field_validator("overrides")
    @classmethod
    def _quota_keys(cls, overrides: dict[str, ThresholdOverride]) -> dict[str, ThresholdOverride]:
        for key in overrides:
            if not QUOTA_KEY.match(key):
                raise ValueError(f"{key!r} is not a quota like 'ec2/L-1216C47A'")
        return overrides

    @model_validator(mode="after")
    def _overrides_ordered(self) -> ServiceQuotaParams:
        for key in self.overrides:
            self.for_quota(key)  # raises on warn above critical
        return self

    def for_quota(self, key: str) -> Thresholds:
        override = self.overrides.get(key, ThresholdOverride())
        return Thresholds(
            warn_percent=override.warn_percent or self.warn_percent,
            critical_percent=override.critical_percent or self.critical_percent,
        )


def quota_key(usage: QuotaUsage) -> str:
    return f"{usage.service_code}/{usage.quota_code}"


def configured_thresholds(configured: Mapping[str, Mapping[str, Any]]) -> ServiceQuotaParams:
    """The levels in the config's ``[params."rel.service-quotas"]`` (the defaults without one),
    validated before any AWS call even when that check is not selected."""
    return check_params(ServiceQuotaParams, QUOTA_CHECK_ID, configured.get(QUOTA_CHECK_ID, {}))


def with_thresholds(
    usages: Iterable[QuotaUsage], params: ServiceQuotaParams
) -> tuple[QuotaUsage, ...]:
    """Each quota stamped with the levels that apply to it."""
    stamped = []
    for usage in usages:
        levels = params.for_quota(quota_key(usage))
        stamped.append(usage.model_copy(update=levels.model_dump()))
    return tuple(stamped)
