"""``wa-audit run --org`` end to end: boto3 over HTTP to the sandbox, roles assumed for real."""

from __future__ import annotations

import json
import shutil

from tests.org.conftest import CHECK_FLAGS, REGION, SeededOrg
from wa_audit.exitcodes import ExitCode
from wa_audit.models import Report

MANAGEMENT = "123456789012"


def _run(run_cli, tmp_path, *extra, formats="json,html"):
    return run_cli(
        "run",
        "--org",
        "--region",
        REGION,
        *CHECK_FLAGS,
        "--output-dir",
        str(tmp_path),
        "--format",
        formats,
        "--quiet",
        *extra,
    )


def test_every_account_audited_through_its_role_and_one_org_report(
    sandbox, small_org: SeededOrg, run_cli, tmp_path
):
    result = _run(run_cli, tmp_path)
    assert result.exit_code == ExitCode.FAILED, result.output
    org = json.loads((tmp_path / "organization.json").read_text())
    rows = {row["account_id"]: row for row in org["accounts"]}
    ids = small_org.ids
    assert set(rows) == {MANAGEMENT, ids["prod"], ids["dev"], ids["invited"]}
    # Worst first: the account that could not be audited, then the one with a critical FAIL.
    assert [row["account_id"] for row in org["accounts"][:2]] == [ids["invited"], ids["dev"]]
    invited = rows[ids["invited"]]
    assert invited["outcome"] == "failed"
    assert invited["reason"].startswith(
        f"cannot assume arn:aws:iam::{ids['invited']}:role/OrganizationAccountAccessRole "
        "(sts:AssumeRole AccessDenied"
    )
    assert rows[ids["dev"]]["failures"] == {"critical": 1}
    assert rows[ids["prod"]]["failures"] == {}
    assert rows[ids["prod"]]["outcome"] == "audited"
    # Each audited account's own Report, in its own folder, of its own account.
    for account_id in (MANAGEMENT, ids["prod"], ids["dev"]):
        folder = tmp_path / rows[account_id]["report_dir"]
        report = Report.model_validate_json((folder / "results.json").read_text())
        assert report.account_id == account_id
        assert (folder / "results.html").is_file()
    dev = Report.model_validate_json(
        (tmp_path / rows[ids["dev"]]["report_dir"] / "results.json").read_text()
    )
    keys = next(f for f in dev.findings if f.check_id == "sec.root-access-keys")
    assert (keys.status, keys.resource) == ("FAIL", f"arn:aws:iam::{ids['dev']}:root")
    # The organization-wide verdicts come from the management account, once.
    verdicts = {(f["check_id"], f["resource"]): f["status"] for f in org["org_findings"]}
    assert (
        verdicts[
            ("sec.org-trail", f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT}:trail/organization-trail")
        ]
        == "PASS"
    )
    assert verdicts[("sec.org-root-scp", f"arn:aws:iam::{MANAGEMENT}:root")] == "FAIL"
    assert verdicts[("sec.org-delegated-admins", "guardduty.amazonaws.com")] == "FAIL"
    assert org["management_account_id"] == MANAGEMENT
    assert org["exit_code"] == ExitCode.FAILED
    page = (tmp_path / "organization.html").read_text()
    assert f'href="accounts/{ids["dev"]}/results.html"' in page


def test_an_account_that_cannot_be_audited_makes_exit_3_without_failures(
    sandbox, small_org: SeededOrg, run_cli, tmp_path
):
    result = _run(
        run_cli, tmp_path, "--skip-accounts", small_org.ids["dev"], "--fail-on", "critical"
    )
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    org = json.loads((tmp_path / "organization.json").read_text())
    assert {row["account_id"] for row in org["accounts"]} == {
        MANAGEMENT,
        small_org.ids["prod"],
        small_org.ids["invited"],
    }


def test_accounts_and_ou_narrow_the_run(sandbox, small_org: SeededOrg, run_cli, tmp_path):
    ids = small_org.ids
    # Accounts in CSV only: the organization Report is still written, as JSON.
    result = _run(run_cli, tmp_path / "one", "--accounts", ids["prod"], formats="csv")
    assert result.exit_code == ExitCode.OK, result.output
    org = json.loads((tmp_path / "one" / "organization.json").read_text())
    assert [row["account_id"] for row in org["accounts"]] == [ids["prod"]]
    assert (tmp_path / "one" / "accounts" / ids["prod"] / "results.csv").is_file()
    assert not (tmp_path / "one" / "organization.html").exists()
    assert org["org_findings"] == []  # the management account was not audited

    tree = sandbox.client("organizations")
    root = tree.list_roots()["Roots"][0]["Id"]
    units = tree.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    workloads = next(u["Id"] for u in units if u["Name"] == "Workloads")
    result = _run(run_cli, tmp_path / "ou", "--ou", workloads)
    org = json.loads((tmp_path / "ou" / "organization.json").read_text())
    assert {row["account_id"] for row in org["accounts"]} == {ids["prod"], ids["dev"]}


def test_unknown_account_or_ou_is_a_usage_error(sandbox, small_org, run_cli, tmp_path):
    for flags, message in [
        (("--accounts", "111122223333"), "account 111122223333 is not in the organization"),
        (("--ou", "ou-nope-12345678"), "no OU or root 'ou-nope-12345678' in the organization"),
        (("--accounts", "12"), "'12' is not a 12-digit AWS account id"),
    ]:
        result = _run(run_cli, tmp_path, *flags)
        assert result.exit_code == ExitCode.USAGE
        assert message in result.output


def test_org_flags_need_org(sandbox, run_cli, tmp_path):
    result = run_cli("run", "--ou", "r-1234", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "--accounts, --skip-accounts and --ou go with --org" in result.output


def test_outside_an_organization_org_run_cannot_start(sandbox, run_cli, tmp_path):
    result = _run(run_cli, tmp_path)
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    assert "cannot list the organization's accounts" in result.output


def test_merge_builds_the_same_org_report_from_the_account_folders(
    sandbox, small_org: SeededOrg, run_cli, tmp_path
):
    run = tmp_path / "run"
    assert _run(run_cli, run).exit_code == ExitCode.FAILED
    ran = json.loads((run / "organization.json").read_text())
    # Merged into the run's own folder, so each row's report_dir is relative to the same place.
    result = run_cli("merge", str(run / "accounts"), "--output-dir", str(run))
    assert result.exit_code == ExitCode.FAILED, result.output
    merged = json.loads((run / "organization.json").read_text())
    # Whole rows: Organizations names, OU paths, the account whose role could not be assumed
    # (its reason and exit code 4), scores and counts; and the organization's own fields.
    assert merged["accounts"] == ran["accounts"]
    assert [row["name"] for row in merged["accounts"]][:2] == ["invited", "dev"]
    assert merged["accounts"][0]["outcome"] == "failed"
    for key in ("org_checks", "org_findings", "management_account_id", "organization_id"):
        assert merged[key] == ran[key], key
    assert (merged["fail_on"], merged["exit_code"]) == (ran["fail_on"], ran["exit_code"])
    assert merged["organization_id"].startswith("o-")

    elsewhere = tmp_path / "merged"
    assert run_cli("merge", str(run / "accounts"), "--output-dir", str(elsewhere)).exit_code == 1
    first = json.loads((elsewhere / "organization.json").read_text())["accounts"][1]
    assert (elsewhere / first["report_dir"] / "results.html").is_file()

    # A `latest` folder is read when given itself; inside a given folder it repeats a dated run.
    history = tmp_path / "history"
    shutil.copytree(run / "accounts", history / "latest" / "accounts")
    result = run_cli("merge", str(history / "latest"), "--output-dir", str(tmp_path / "latest"))
    assert result.exit_code == ExitCode.FAILED, result.output
    result = run_cli("merge", str(history), "--output-dir", str(tmp_path / "latest"))
    assert result.exit_code == ExitCode.USAGE
    assert "no results.json found" in result.output


def test_merge_of_nothing_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("merge", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "no results.json found" in result.output


def test_policy_org_prints_member_and_management_policies(run_cli):
    result = run_cli("policy", "--org", "--role-name", "AuditRole")
    assert result.exit_code == 0, result.output
    policies = json.loads(result.output)
    member = policies["member_role"]["Statement"]
    management = policies["management_account"]["Statement"]
    assert [s["Sid"] for s in member] == ["WaAuditReadOnly"]
    assert "organizations:ListAccountsForParent" not in member[0]["Action"]
    assert {
        "organizations:ListRoots",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
        "organizations:DescribeOrganization",
    } <= set(management[0]["Action"])
    assert set(member[0]["Action"]) <= set(management[0]["Action"])
    assume = management[1]
    assert assume == {
        "Sid": "WaAuditAssumeMemberRole",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:*:iam::*:role/AuditRole",
    }


def test_demo_of_an_organization_scenario_audits_every_account(run_cli, tmp_path):
    """A scenario folder with an organization section makes the demo an org run."""
    from tests.org.conftest import member_scenario

    good = member_scenario(tmp_path / "good", root_keys=0)
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "scenario.toml").write_text(f'description = "org"\nregions = ["{REGION}"]\n')
    (folder / "organization.toml").write_text(
        f'[[members]]\nname = "prod"\nscenario = "{good}"\n\n'
        f'[[members]]\nname = "invited"\nscenario = "{good}"\nrole = false\n'
    )
    out = tmp_path / "out"
    result = run_cli(
        "demo",
        "--scenario",
        str(folder),
        *CHECK_FLAGS,
        "--output-dir",
        str(out),
        "--format",
        "json",
        "--fail-on",
        "critical",
        "--quiet",
    )
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    org = json.loads((out / "organization.json").read_text())
    assert sorted(row["outcome"] for row in org["accounts"]) == ["audited", "audited", "failed"]


def test_builtin_org_scenario_loads():
    from wa_audit.sandbox.scenario import load_scenario
    from wa_audit.sandbox.seeders import all_seeders
    from wa_audit.sandbox.seeders.organization import OrganizationSection

    scenario = load_scenario("org", all_seeders())
    section = scenario.section("organization", OrganizationSection)
    assert section is not None
    assert [m.name for m in section.members if not m.role] == ["acquired-startup"]
    assert {m.scenario for m in section.members} == {"sample", "clean"}
    # Members share scenarios, not aliases: each account is told apart in the scorecards.
    aliases = [m.alias for m in section.members]
    assert None not in aliases
    assert len(set(aliases)) == len(aliases) == 4
