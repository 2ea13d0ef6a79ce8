"""The instance-family tables of ``instance_families.toml``, loaded once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class InstanceFamilies:
    current_equivalent: dict[str, str]
    graviton_equivalent: dict[str, str]


@cache
def instance_families() -> InstanceFamilies:
    text = files("wa_audit.checks").joinpath("instance_families.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return InstanceFamilies(
        current_equivalent=dict(data["current_equivalent"]),
        graviton_equivalent=dict(data["graviton_equivalent"]),
    )
