"""The quota catalog: which Service Quotas wa-audit watches and how it counts their usage.

The catalog is data (``catalog.toml`` beside this module); this module only reads and validates it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

QUOTA_CODE_PATTERN = r"^L-[0-9A-F]{8}$"
SERVICE_CODE_PATTERN = r"^[a-z0-9-]+$"
CATALOG_RESOURCE = ("wa_audit.quotas", "catalog.toml")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricSpec(_Strict):
    """A CloudWatch metric, as a quota's ``UsageMetric`` names it."""

    namespace: str
    name: str
    statistic: str = "Maximum"
    dimensions: dict[str, str] = Field(default_factory=dict)


class CatalogEntry(_Strict):
    service: str = Field(pattern=SERVICE_CODE_PATTERN)
    code: str = Field(pattern=QUOTA_CODE_PATTERN)
    name: str
    scope: Literal["regional", "global"]
    counter: str
    counter_arg: str | None = None
    metric: MetricSpec | None = None
    maximum: float | None = Field(default=None, gt=0)

    @property
    def key(self) -> str:
        """``service/code``, the id users type (``ec2/L-1216C47A``)."""
        return f"{self.service}/{self.code}"

    @property
    def is_global(self) -> bool:
        return self.scope == "global"


class Catalog(_Strict):
    vcpu_families: dict[str, tuple[str, ...]]
    quotas: tuple[CatalogEntry, ...]

    @model_validator(mode="after")
    def _unique_and_consistent(self) -> Catalog:
        keys = [entry.key for entry in self.quotas]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"quota listed twice: {', '.join(duplicates)}")
        for entry in self.quotas:
            if (
                entry.counter == "ec2.on_demand_vcpus"
                and entry.counter_arg not in self.vcpu_families
            ):
                raise ValueError(f"{entry.key}: unknown vCPU family group {entry.counter_arg!r}")
        return self

    def entry(self, key: str) -> CatalogEntry | None:
        return next((entry for entry in self.quotas if entry.key == key), None)

    def service_codes(self, *, global_scope: bool) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.service for e in self.quotas if e.is_global is global_scope))

    def family_group(self, instance_type: str) -> str | None:
        """The vCPU quota group of an instance type, by its letter prefix (``inf2`` is ``inf``)."""
        match = re.match(r"[a-z]+", instance_type)
        prefix = match.group() if match else ""
        return next((g for g, families in self.vcpu_families.items() if prefix in families), None)


@cache
def load_catalog() -> Catalog:
    package, name = CATALOG_RESOURCE
    raw = tomllib.loads(files(package).joinpath(name).read_text(encoding="utf-8"))
    return Catalog.model_validate(raw)
