"""The root user: AWS has no API to create its MFA or keys, so the sandbox state holds them."""

from __future__ import annotations

from typing import Literal

from wa_audit.sandbox.extensions.iam import root_user
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder


class RootSection(SectionModel):
    mfa: Literal["none", "virtual", "hardware"] = "none"
    access_keys: int = 0


def seed_root(section: RootSection, env: SeedEnv) -> None:
    root = root_user(env.state, env.account_id)
    root.mfa = None if section.mfa == "none" else section.mfa
    root.access_keys = section.access_keys


SEEDER = Seeder("root", RootSection, seed_root)
