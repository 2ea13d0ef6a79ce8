"""Seeders, one module per scenario section, applied in this order."""

from __future__ import annotations

from typing import Any

from wa_audit.sandbox.scenario import Seeder
from wa_audit.sandbox.seeders import organization
from wa_audit.sandbox.seeders.account_seeders import account_seeders


def all_seeders() -> list[Seeder[Any]]:
    # organization seeds other accounts: after the management account's own sections.
    return [*account_seeders(), organization.SEEDER]
