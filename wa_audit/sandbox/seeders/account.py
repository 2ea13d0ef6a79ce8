"""The account itself: its alias, which people use instead of the 12-digit id."""

from __future__ import annotations

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder


class AccountSection(SectionModel):
    alias: str | None = None


def seed_account(section: AccountSection, env: SeedEnv) -> None:
    if section.alias:
        env.client("iam").create_account_alias(AccountAlias=section.alias)


SEEDER = Seeder("account", AccountSection, seed_account)
