"""Seeders, one module per scenario section, applied in this order."""

from __future__ import annotations

from typing import Any

from wa_audit.sandbox.scenario import Seeder
from wa_audit.sandbox.seeders import cost, iam, root, security, workload


def all_seeders() -> list[Seeder[Any]]:
    return [root.SEEDER, workload.SEEDER, iam.SEEDER, security.SEEDER, cost.SEEDER]
