"""`wa-audit policy --org` is enough: an organization audited, every check, by a management user
whose only policy is the printed ``management_account`` one, through member roles whose only
policy is the printed ``member_role`` one, with the sandbox enforcing IAM as AWS does.

Cheap by construction, not by narrowing the checks: one region, and a member seeded with a root
user only; every check still runs in both accounts, so every read the audit makes is authorized by
the printed policies or shows as an ERROR.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.org.conftest import REGION, member_scenario, seed_org
from wa_audit.exitcodes import ExitCode
from wa_audit.sandbox.seeders.organization import MEMBER_ROLE, MemberSpec


def _errors(report: dict[str, Any]) -> list[str]:
    """ERROR findings, and fetches that failed for want of a permission (a seeded account has no
    Cost Explorer history to forecast from: that failure is AWS's answer, not a denial)."""
    lines = [
        f"{report['account_id']} {f['check_id']} [{f['region']}] {f['message']}"
        for f in report["findings"]
        if f["status"] == "ERROR"
    ]
    return lines + [
        f"{report['account_id']} report error: {e}"
        for e in report["errors"]
        if e["missing_permission"] or "denied" in e["reason"].lower()
    ]


def _client(sandbox: Any, service: str, key_id: str, secret: str, token: str | None = None) -> Any:
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=sandbox.url,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


def _only_policy(iam: Any, role: str, policy: dict[str, Any]) -> None:
    """The member role keeps its trust policy; its permissions become exactly ``policy``."""
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=attached["PolicyArn"])
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    iam.put_role_policy(RoleName=role, PolicyName="audit", PolicyDocument=json.dumps(policy))


def test_an_organization_under_exactly_the_printed_policies_has_no_error(
    sandbox, run_cli, tmp_path, monkeypatch
):
    org = seed_org(
        sandbox,
        tmp_path,
        [MemberSpec(name="prod", scenario=member_scenario(tmp_path / "m", root_keys=0))],
    )
    printed = run_cli("policy", "--org")
    assert printed.exit_code == ExitCode.OK, printed.output
    policies = json.loads(printed.output)
    member = org.ids["prod"]
    iam = sandbox.client("iam")
    iam.meta.events.register(
        "before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", member)
    )
    _only_policy(iam, MEMBER_ROLE, policies["member_role"])
    management = policies["management_account"]
    assume = management["Statement"][1]
    assert assume["Action"] == "sts:AssumeRole"
    key = sandbox.user_with_policy("wa-audit-org", management)
    sandbox.act_as(monkeypatch, key)

    out = tmp_path / "out"
    result = run_cli(
        "run", "--org", "--region", REGION, "--output-dir", str(out), "--format", "json", "--quiet"
    )
    assert result.exit_code in (ExitCode.OK, ExitCode.FAILED), result.output
    rows = json.loads((out / "organization.json").read_text())["accounts"]
    assert sorted((r["account_id"], r["outcome"]) for r in rows) == sorted(
        [(org.ids["prod"], "audited"), ("123456789012", "audited")]
    )
    errors = []
    for row in rows:
        report = json.loads((out / row["report_dir"] / "results.json").read_text())
        assert len(report["checks"]) > 100  # every check ran
        errors += _errors(report)
    assert not errors, "ERROR under exactly `wa-audit policy --org`:\n" + "\n".join(errors)

    # Enforcement was on: the same credentials are refused what the policies leave out.
    auditor = _client(sandbox, "iam", key["AccessKeyId"], key["SecretAccessKey"])
    with pytest.raises(ClientError, match="AccessDenied"):
        auditor.create_user(UserName="not-allowed")
    sts = _client(sandbox, "sts", key["AccessKeyId"], key["SecretAccessKey"])
    role = sts.assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/{MEMBER_ROLE}", RoleSessionName="check"
    )["Credentials"]
    as_member = _client(
        sandbox, "iam", role["AccessKeyId"], role["SecretAccessKey"], role["SessionToken"]
    )
    assert as_member.list_account_aliases()["AccountAliases"] == []  # in the member policy
    with pytest.raises(ClientError, match="AccessDenied"):
        as_member.create_user(UserName="not-allowed")
