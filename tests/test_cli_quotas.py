"""`wa-audit quotas` end to end against the sandbox: listing, the plan, each refusal, confirmation,
the record file, history, no duplicates, and the exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from tests.test_cli import _clean_env, _wa_audit
from wa_audit.cli import cli
from wa_audit.exitcodes import ExitCode
from wa_audit.quotas import cli as cli_quotas
from wa_audit.sandbox.extensions.servicequotas import (
    account,
    set_applied_value,
    set_request_status,
)
from wa_audit.sandbox.extensions.support import add_case, support_subscription

ACCOUNT = "123456789012"
REGIONS = ("--region", "us-east-1", "--region", "eu-west-1")


@pytest.fixture
def eips_at_80(sandbox):
    ec2 = sandbox.client("ec2")
    for _ in range(4):
        ec2.allocate_address(Domain="vpc")
    return sandbox


def _filed(sandbox) -> list:
    return account(sandbox.state, ACCOUNT).requests


def test_list_shows_usage_limit_percent_and_filters(eips_at_80, run_cli):
    result = run_cli("quotas", "list", *REGIONS, "--above", "50")
    assert result.exit_code == ExitCode.OK, result.output
    [header, row] = result.stdout.strip().splitlines()  # stderr says what it is doing
    assert header.split()[:5] == ["REGION", "QUOTA", "NAME", "USAGE", "LIMIT"]
    assert row.split()[:2] == ["us-east-1", "ec2/L-0263D0A3"]
    assert "80%" in row


def test_list_is_fullest_first_and_folds_empty_quotas_unless_all(eips_at_80, run_cli):
    folded = run_cli("quotas", "list", *REGIONS)
    assert folded.exit_code == ExitCode.OK, folded.output
    *table, note = folded.stdout.strip().splitlines()
    cells = [[c for c in line.split() if c.endswith("%") or c == "-"] for line in table[1:]]
    percents = [float(c[0].rstrip("%")) for c in cells if c and c[0] != "-"]
    assert percents == sorted(percents, reverse=True)
    assert 0 not in percents
    assert table[1].split()[:2] == ["us-east-1", "ec2/L-0263D0A3"]  # 80 %, the fullest
    hidden = int(note.split()[0])
    assert note == f"{hidden} quotas at 0 % not listed (--all lists them)."
    everything = run_cli("quotas", "list", *REGIONS, "--all").stdout.strip().splitlines()
    assert len(everything) == len(table) + hidden
    assert "not listed" not in everything[-1]


def test_list_as_json_and_csv(eips_at_80, run_cli):
    as_json = json.loads(
        run_cli("quotas", "list", *REGIONS, "--service", "iam", "--format", "json").stdout
    )
    assert {q["region"] for q in as_json} == {"global"}
    assert {q["quota_code"] for q in as_json} >= {"L-FE177D64", "L-F55AF5E4"}
    rows = list(
        csv.DictReader(io.StringIO(run_cli("quotas", "list", *REGIONS, "--format", "csv").stdout))
    )
    eips = [r for r in rows if r["quota"] == "ec2/L-0263D0A3"]
    assert [(r["region"], r["usage"], r["limit"], r["percent"]) for r in eips] == [
        ("us-east-1", "4", "5", "80%"),
        ("eu-west-1", "0", "5", "0%"),
    ]


def test_dry_run_shows_the_plan_and_files_nothing(eips_at_80, run_cli, tmp_path):
    result = run_cli(
        "quotas", "request", "--above", "80", *REGIONS, "--dry-run", "--output-dir", str(tmp_path)
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "ec2/L-0263D0A3" in result.output
    assert "file request" in result.output
    assert "Dry run: nothing filed." in result.output
    assert _filed(eips_at_80) == []
    assert not (tmp_path / "quota-requests.json").exists()


def test_filing_records_it_history_shows_it_and_a_repeat_files_nothing(
    eips_at_80, run_cli, tmp_path
):
    request = ("quotas", "request", "ec2/L-0263D0A3", "--value", "10", "--region", "us-east-1")
    first = run_cli(*request, "--yes", "--output-dir", str(tmp_path))
    assert first.exit_code == ExitCode.OK, first.output
    [filed] = _filed(eips_at_80)
    assert (filed.quota.code, filed.desired_value, filed.status) == ("L-0263D0A3", 10, "PENDING")
    [record] = json.loads((tmp_path / "quota-requests.json").read_text())
    assert (record["request_id"], record["region"], record["desired_value"]) == (
        filed.id,
        "us-east-1",
        10,
    )
    assert (record["current_value"], record["usage"], record["status"]) == (5, 4, "PENDING")

    history = run_cli("quotas", "history", "--region", "us-east-1")
    assert history.exit_code == ExitCode.OK
    assert filed.id in history.output
    assert "PENDING" in history.output

    set_request_status(eips_at_80.state, ACCOUNT, filed.id, "CASE_OPENED")
    repeat = run_cli(*request, "--yes", "--output-dir", str(tmp_path))
    assert repeat.exit_code == ExitCode.OK, repeat.output
    assert f"already open: increase to 10: {filed.id} (CASE_OPENED)" in repeat.output
    assert len(_filed(eips_at_80)) == 1
    assert len(json.loads((tmp_path / "quota-requests.json").read_text())) == 1


def test_aws_saying_already_exists_is_no_duplicate(eips_at_80, run_cli, monkeypatch, tmp_path):
    eips_at_80.client("service-quotas").request_service_quota_increase(
        ServiceCode="ec2", QuotaCode="L-0263D0A3", DesiredValue=8
    )
    # Without the history read the plan cannot see the open request; AWS still refuses a duplicate.
    eips_at_80.enforce_iam(
        monkeypatch, deny=["servicequotas:ListRequestedServiceQuotaChangeHistory"]
    )
    result = run_cli(
        "quotas",
        "request",
        "ec2/L-0263D0A3",
        "--value",
        "10",
        "--region",
        "us-east-1",
        "--yes",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "already-open" in result.output
    assert len(_filed(eips_at_80)) == 1
    assert not (tmp_path / "quota-requests.json").exists()


def test_each_refusal_has_its_reason_and_exits_1(sandbox, run_cli):
    not_adjustable = run_cli("quotas", "request", "iam/L-F55AF5E4", "--value", "6000", "--yes")
    assert not_adjustable.exit_code == ExitCode.FAILED
    assert "not adjustable through Service Quotas" in not_adjustable.output
    not_above = run_cli(
        "quotas", "request", "vpc/L-F678F1CE", "--value", "5", "--region", "us-east-1", "--yes"
    )
    assert not_above.exit_code == ExitCode.FAILED
    assert "5 is not above the current limit of 5" in not_above.output
    assert _filed(sandbox) == []


def test_a_refusal_does_not_stop_the_others(sandbox, run_cli, tmp_path):
    ec2 = sandbox.client("ec2")
    for _ in range(5):
        ec2.allocate_address(Domain="vpc")  # 5 of 5: adjustable
    set_applied_value(sandbox.state, ACCOUNT, "us-east-1", "iam", "L-F55AF5E4", 1)
    sandbox.client("iam").create_user(UserName="only")  # 1 of 1: not adjustable
    result = run_cli(
        "quotas",
        "request",
        "--above",
        "95",
        "--region",
        "us-east-1",
        "--yes",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == ExitCode.FAILED, result.output
    assert "refused" in result.output
    assert "iam/L-F55AF5E4" in result.output
    assert [(r.quota.code, r.desired_value) for r in _filed(sandbox)] == [("L-0263D0A3", 10)]


def test_a_quota_service_quotas_cannot_raise_says_what_to_submit_and_where(
    sandbox, run_cli, tmp_path
):
    """Nothing is filed (the Support API takes no limit increases): the user is told the form."""
    support_subscription(sandbox.state, ACCOUNT).plan = "business"  # a case could be opened
    result = run_cli(
        "quotas",
        "request",
        "iam/L-F55AF5E4",
        "--value",
        "6000",
        "--yes",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == ExitCode.FAILED, result.output
    assert (
        "https://console.aws.amazon.com/support/home#/case/create?issueType=service-limit-increase"
        in result.output
    )
    assert "- iam Users per account (L-F55AF5E4), region global: current 5000, usage 0" in (
        result.output
    )
    assert "ask for 6000" in result.output
    assert not (tmp_path / "quota-requests.json").exists()
    assert sandbox.client("support").describe_cases()["cases"] == []
    assert _filed(sandbox) == []


def test_support_case_flag_is_gone(run_cli):
    result = run_cli("quotas", "request", "iam/L-F55AF5E4", "--value", "20", "--support-case")
    assert result.exit_code == ExitCode.USAGE
    assert "No such option '--support-case'" in result.output


def test_history_says_support_center_cases_are_not_listed_without_the_support_api(sandbox, run_cli):
    """A new account is on Basic support: DescribeCases refuses (SubscriptionRequiredException),
    so the note points to the Support Center, and the command still succeeds."""
    result = run_cli("quotas", "history", "--region", "us-east-1")
    assert result.exit_code == ExitCode.OK, result.output
    assert "No quota increase requests." in result.stdout
    assert "a Support case opened by hand is not a Service Quotas request" in result.stdout
    assert "has no Support API (Basic or Developer)" in result.stdout
    assert "https://console.aws.amazon.com/support/home#/case/history" in result.stdout
    assert json.loads(run_cli("quotas", "history", "--format", "json").stdout) == []


def _history_json(run_cli) -> list[dict]:
    result = run_cli("quotas", "history", "--region", "us-east-1", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    return json.loads(result.stdout)


def test_history_lists_support_center_limit_increase_cases_with_their_source(sandbox, run_cli):
    support_subscription(sandbox.state, ACCOUNT).plan = "business"
    opened = add_case(
        sandbox.state,
        ACCOUNT,
        subject="Limit increase: EC2 Elastic IPs in us-east-1",
        service_code="service-limit-increase",
        category_code="elastic-ips",
        time_created=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )
    resolved = add_case(
        sandbox.state,
        ACCOUNT,
        subject="Limit increase: Lambda concurrency",
        service_code="service-limit-increase",
        category_code="lambda",
        status="resolved",
        time_created=datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
    )
    add_case(
        sandbox.state,
        ACCOUNT,
        subject="Billing question",
        service_code="billing",
        category_code="other",
    )

    listed = _history_json(run_cli)
    assert [(e["source"], e["case_id"], e["status"]) for e in listed] == [
        ("support-case", opened.case_id, "opened"),
        ("support-case", resolved.case_id, "resolved"),  # resolved cases too, newest first
    ]
    assert listed[0]["subject"] == "Limit increase: EC2 Elastic IPs in us-east-1"
    table = run_cli("quotas", "history", "--region", "us-east-1").stdout
    [row] = [line for line in table.splitlines() if opened.case_id in line]
    assert row.split()[:3] == ["2026-11-20", "09:00", "support-case"]
    assert "Billing question" not in table
    assert "service limit increase cases opened in the Support Center" in table


def test_history_lists_a_request_filed_directly_with_boto3_once(sandbox, run_cli):
    """A request filed outside wa-audit (the console, the CLI, boto3) is in history; when it opened
    a Support case, that case is listed with the request, not a second time."""
    support_subscription(sandbox.state, ACCOUNT).plan = "business"
    filed = sandbox.client("service-quotas").request_service_quota_increase(
        ServiceCode="ec2", QuotaCode="L-0263D0A3", DesiredValue=12
    )["RequestedQuota"]
    case = add_case(
        sandbox.state,
        ACCOUNT,
        subject="Service Quotas request",
        service_code="service-limit-increase",
        category_code="elastic-ips",
    )
    [change] = account(sandbox.state, ACCOUNT).requests
    change.case_id = case.case_id
    set_request_status(sandbox.state, ACCOUNT, filed["Id"], "CASE_OPENED")

    [entry] = _history_json(run_cli)
    assert (entry["source"], entry["id"], entry["quota_code"], entry["desired_value"]) == (
        "service-quotas",
        filed["Id"],
        "L-0263D0A3",
        12,
    )
    assert (entry["status"], entry["case_id"]) == ("CASE_OPENED", case.case_id)


def test_history_without_describe_cases_says_so_and_exits_3(sandbox, run_cli, monkeypatch):
    support_subscription(sandbox.state, ACCOUNT).plan = "business"
    sandbox.enforce_iam(monkeypatch, deny=["support:DescribeCases"])
    result = run_cli("quotas", "history", "--region", "us-east-1")
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert "wa-audit: cannot read Support cases: access denied: grant support:DescribeCases" in (
        result.stderr
    )


def test_without_a_terminal_and_without_yes_it_refuses_and_never_hangs(eips_at_80, run_cli):
    result = run_cli(
        "quotas", "request", "ec2/L-0263D0A3", "--value", "10", "--region", "us-east-1"
    )
    assert result.exit_code == ExitCode.USAGE
    assert "no terminal to ask on; rerun with --yes" in result.output
    assert _filed(eips_at_80) == []


@pytest.mark.parametrize(
    ("answer", "exit_code", "filed"), [("y\n", ExitCode.OK, 1), ("n\n", ExitCode.FAILED, 0)]
)
def test_the_confirmation_prompt(eips_at_80, monkeypatch, tmp_path, answer, exit_code, filed):
    monkeypatch.setattr(cli_quotas, "_stdin_is_interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        [
            "quotas",
            "request",
            "ec2/L-0263D0A3",
            "--value",
            "10",
            "--region",
            "us-east-1",
            "--output-dir",
            str(tmp_path),
        ],
        input=answer,
    )
    assert result.exit_code == exit_code, result.output
    assert "File 1 request?" in result.output
    assert len(_filed(eips_at_80)) == filed


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("ec2/L-0263D0A3",), "--value N is required"),
        (("ec2/L-0263D0A3", "--value", "10", "--above", "80"), "either SERVICE/QUOTA_CODE"),
        (("--above", "80", "--value", "10"), "--value goes with one quota"),
        (("ec2/L-0263D0A3", "--value", "10", "--factor", "3"), "--factor goes with --above"),
        (("elastic-ips", "--value", "10"), "is not SERVICE/QUOTA_CODE"),
        ((), "either SERVICE/QUOTA_CODE"),
    ],
)
def test_usage_errors_exit_2(run_cli, args, words):
    result = run_cli("quotas", "request", *args)
    assert result.exit_code == ExitCode.USAGE
    assert words in result.output


def test_no_credentials_exits_4(tmp_path):
    result = _wa_audit(_clean_env(tmp_path), "quotas", "list")
    assert result.returncode == ExitCode.CANNOT_AUDIT
    said, error = result.stderr.strip().splitlines()
    assert said == "wa-audit: Identifying the account and its regions…"
    assert error.startswith("wa-audit: error: no AWS credentials found")


def test_unreadable_quotas_exit_3_for_list(sandbox, run_cli, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["servicequotas:ListServiceQuotas"])
    result = run_cli("quotas", "list", "--region", "us-east-1")
    assert result.exit_code == ExitCode.INCOMPLETE
    assert (
        "cannot read quotas in us-east-1: access denied: grant servicequotas:ListServiceQuotas"
        in result.output
    )


def test_policy_keeps_the_writes_in_their_own_statement(run_cli):
    read_only = json.loads(run_cli("policy").output)
    actions = {a for s in read_only["Statement"] for a in s["Action"]}
    assert "servicequotas:ListServiceQuotas" in actions
    assert not {"servicequotas:RequestServiceQuotaIncrease", "support:CreateCase"} & actions
    with_writes = json.loads(run_cli("policy", "--quota-requests").output)
    statements = {s["Sid"]: set(s["Action"]) for s in with_writes["Statement"]}
    assert statements["WaAuditQuotaRequests"] == {"servicequotas:RequestServiceQuotaIncrease"}
    assert "support:CreateCase" not in {a for s in statements.values() for a in s}
    assert "servicequotas:GetServiceQuota" in statements["WaAuditReadOnly"]
    # quotas history reads the Support Center's limit increase cases; the audit alone does not.
    assert "support:DescribeCases" in statements["WaAuditReadOnly"]
    assert "support:DescribeCases" not in actions
