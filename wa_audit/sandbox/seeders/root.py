"""The root user: AWS has no API to create its MFA or keys, so the sandbox state holds them."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from wa_audit.sandbox.extensions.iam import KeyUse, RootAccessKey, RootUser, root_user
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder


class RootSection(SectionModel):
    """Ages are in days before the scenario's clock, so "used recently" stays recent."""

    mfa: Literal["none", "virtual", "hardware"] = "none"
    password: bool = True
    """False: an Organizations member whose root credentials were centrally removed."""
    password_last_used_days_ago: int | None = Field(default=None, ge=0)
    access_keys: int = Field(default=0, ge=0, le=2)
    access_key_age_days: int = Field(default=365, ge=0)
    access_key_last_used_days_ago: int | None = Field(default=None, ge=0)
    account_age_days: int = Field(default=2000, ge=0)


def seed_root(section: RootSection, env: SeedEnv) -> None:
    def ago(days: int | None) -> timedelta | None:
        return None if days is None else timedelta(days=days)

    created = env.now - timedelta(days=section.account_age_days)
    password_used = ago(section.password_last_used_days_ago)
    key_used = ago(section.access_key_last_used_days_ago)
    root: RootUser = root_user(env.state, env.account_id)
    root.created = created
    root.password = section.password
    root.password_last_used = env.now - password_used if password_used is not None else None
    root.mfa = None if section.mfa == "none" else section.mfa
    root.mfa_enabled = created if root.mfa else None
    root.access_keys = [
        RootAccessKey(
            created=env.now - timedelta(days=section.access_key_age_days),
            last_used=KeyUse(at=env.now - key_used) if key_used is not None else None,
        )
        for _ in range(section.access_keys)
    ]


SEEDER = Seeder("root", RootSection, seed_root)
