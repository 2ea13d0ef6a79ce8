"""An organization in the sandbox: members made through Organizations, each seeded from a small
scenario folder written here (a root user with or without access keys), so tests stay quick."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Sandbox
from tests.reports.test_html_browser import browser  # noqa: F401 (Debian's chromium, shared)
from wa_audit.sandbox.scenario import Scenario
from wa_audit.sandbox.seeders.organization import MemberSpec, OrganizationSection

REGION = "us-east-1"
ORG_CHECKS = ("sec.org-trail", "sec.org-root-scp", "sec.org-delegated-admins")
# The member-level check these tests look at, plus the organization-wide ones.
CHECK_FLAGS = tuple(
    flag for check in ("sec.root-access-keys", *ORG_CHECKS) for flag in ("--check", check)
)


def member_scenario(folder: Path, *, root_keys: int) -> str:
    folder.mkdir(parents=True)
    (folder / "scenario.toml").write_text(f'description = "member"\nregions = ["{REGION}"]\n')
    (folder / "root.toml").write_text(f'mfa = "hardware"\naccess_keys = {root_keys}\n')
    return str(folder)


@dataclass(frozen=True)
class SeededOrg:
    """Account ids by member name (the management account is moto's default)."""

    ids: dict[str, str]


def seed_org(sandbox: Sandbox, tmp_path: Path, members: list[MemberSpec], **org: bool) -> SeededOrg:
    section = OrganizationSection(members=tuple(members), **org)
    sandbox.seed(Scenario("org-test", (REGION,), {"organization": section}))
    listed = sandbox.client("organizations").list_accounts()["Accounts"]
    return SeededOrg({account["Name"]: account["Id"] for account in listed})


@pytest.fixture
def small_org(sandbox: Sandbox, tmp_path: Path) -> SeededOrg:
    """A clean member, one whose root has an access key (a critical FAIL), and an invited
    account without the member role."""
    good = member_scenario(tmp_path / "good", root_keys=0)
    bad = member_scenario(tmp_path / "bad", root_keys=1)
    return seed_org(
        sandbox,
        tmp_path,
        [
            MemberSpec(name="prod", scenario=good, ou="Workloads"),
            MemberSpec(name="dev", scenario=bad, ou="Workloads"),
            MemberSpec(name="invited", scenario=good, role=False),
        ],
        organization_trail=True,
    )
