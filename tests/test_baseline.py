"""What changed since the baseline: keys, new failures, resolved ones, the --fail-on-new gate."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import ROOT_CHECKS
from tests.reports.report_factory import sample_report as realistic_report
from tests.sample_report import ROOT, finding, sample_report
from wa_audit.baseline import (
    Baseline,
    compare_reports,
    compare_with_baseline,
    mark_changes,
    resolved_since,
    scope_of,
)
from wa_audit.diff_view import RENDERERS
from wa_audit.exitcodes import ExitCode, decide_exit_code
from wa_audit.models import AppliedSuppression, Change, Severity, Status
from wa_audit.sandbox.seeders.root import RootSection

DB = "arn:aws:rds:eu-west-1:123456789012:db:main"
BUCKET_A = "arn:aws:s3:::a"


def test_marks_new_changed_and_unchanged():
    previous = [finding("sec.root-mfa", Status.PASS), finding("rel.backups", Status.FAIL, DB)]
    current = [
        finding("sec.root-mfa", Status.FAIL),
        finding("rel.backups", Status.FAIL, DB),
        finding("rel.backups", Status.FAIL, DB + "-2"),
    ]
    mfa, same, added = mark_changes(current, previous)
    assert mfa.change.kind is Change.CHANGED
    assert mfa.change.previous_status is Status.PASS
    assert mfa.new_failure
    assert same.change.kind is Change.UNCHANGED
    assert not same.new_failure
    assert added.change.kind is Change.NEW
    assert added.change.previous_status is None
    assert added.new_failure


def test_severity_change_is_a_change_but_not_a_new_failure():
    before = finding("rel.backups", Status.FAIL, DB)
    after = before.model_copy(update={"severity": Severity.CRITICAL})
    [marked] = mark_changes([after], [before])
    assert marked.change.kind is Change.CHANGED
    assert marked.change.previous_severity is Severity.HIGH
    assert not marked.new_failure


def test_resolved_only_within_the_checks_and_regions_audited_again():
    previous = [
        finding("rel.backups", Status.FAIL, DB),  # now passes: resolved
        finding("rel.backups", Status.FAIL, DB + "-gone"),  # gone: resolved
        finding("rel.backups", Status.FAIL, DB + "-still"),  # still fails
        finding("rel.backups", Status.FAIL, DB + "-x", region="ap-south-1"),  # region not audited
        finding("sec.root-mfa", Status.FAIL),  # check not run
        finding("rel.backups", Status.WARN, DB + "-warn"),  # was no failure
    ]
    current = [
        finding("rel.backups", Status.PASS, DB),
        finding("rel.backups", Status.FAIL, DB + "-still"),
    ]
    resolved = resolved_since(previous, current, checks_run={"rel.backups"}, regions=["eu-west-1"])
    assert [f.resource for f in resolved] == [DB, DB + "-gone"]


def test_fail_on_new_counts_only_new_open_failures_but_errors_still_exit_3():
    old_failure = finding("sec.root-mfa", Status.FAIL)
    [unchanged] = mark_changes([old_failure], [old_failure])
    assert decide_exit_code([unchanged], Severity.HIGH) is ExitCode.FAILED
    assert decide_exit_code([unchanged], Severity.HIGH, only_new=True) is ExitCode.OK

    [fresh] = mark_changes([finding("rel.backups", Status.FAIL, DB)], [])
    assert decide_exit_code([fresh], Severity.HIGH, only_new=True) is ExitCode.FAILED
    assert decide_exit_code([fresh], Severity.CRITICAL, only_new=True) is ExitCode.OK
    accepted = fresh.model_copy(
        update={"suppression": AppliedSuppression(reason="r", expires="2099-01-01")}
    )
    assert not accepted.new_failure
    assert decide_exit_code([accepted], Severity.HIGH, only_new=True) is ExitCode.OK

    error = finding("rel.backups", Status.ERROR, DB + "-e")
    assert decide_exit_code([unchanged, error], Severity.HIGH, only_new=True) is ExitCode.INCOMPLETE


def test_compare_reports_for_diff():
    old = sample_report(with_baseline=False)
    later_findings = (
        finding("sec.root-mfa", Status.PASS),  # was FAIL: changed and resolved
        *old.findings[1:4],
        finding("rel.backups", Status.FAIL, DB),  # was PASS: a new failure
        finding("rel.backups", Status.FAIL, DB + "-new"),
    )
    new = sample_report(with_baseline=False, findings=later_findings)
    comparison = compare_reports(Baseline(old, "old.json"), Baseline(new, "new.json"))
    assert [f.resource for f in comparison.new_findings] == [DB + "-new"]
    assert [(f.check_id, f.change.previous_status, f.status) for f in comparison.changed] == [
        ("sec.root-mfa", Status.FAIL, Status.PASS),
        ("rel.backups", Status.PASS, Status.FAIL),
    ]
    assert [f.check_id for f in comparison.resolved] == ["sec.root-mfa"]
    assert comparison.unchanged == 3
    assert comparison.old.source == "old.json"


ROOT_RUN = ("--region", "us-east-1", *ROOT_CHECKS)


@pytest.fixture
def root_keys(sandbox):
    """The root user's keys: AWS has no API to create them, so the sandbox state holds them."""

    def set_root_access_keys(present: bool) -> None:
        sandbox.seed_section("root", RootSection(access_keys=int(present)))

    return set_root_access_keys


def _findings(path):
    report = json.loads(path.read_text())
    return report, {f["check_id"]: f for f in report["findings"]}


def test_baseline_flow_over_two_runs_with_a_change(sandbox, run_cli, tmp_path, root_keys):
    first = tmp_path / "first"
    assert run_cli("run", *ROOT_RUN, "--output-dir", str(first)).exit_code == ExitCode.FAILED

    root_keys(True)
    second = tmp_path / "second"
    result = run_cli(
        "run",
        *ROOT_RUN,
        "--baseline",
        str(first / "results.json"),
        "--fail-on-new",
        "--output-dir",
        str(second),
    )
    assert result.exit_code == ExitCode.FAILED, result.output
    report, by_check = _findings(second / "results.json")
    assert by_check["sec.root-access-keys"]["status"] == "FAIL"
    assert by_check["sec.root-access-keys"]["change"] == {
        "kind": "changed",
        "previous_status": "PASS",
        "previous_severity": "critical",
    }
    assert by_check["sec.root-mfa"]["change"]["kind"] == "unchanged"
    assert report["baseline"]["source"] == str(first / "results.json")
    assert report["baseline"]["resolved"] == []
    assert report["fail_on_new"] is True
    lead = result.output.split("\n\n")[1]
    assert lead.startswith("Since ")
    assert (
        ": 1 new FAIL, 0 resolved\n"
        "  CRITICAL sec.root-access-keys  Root user has access keys — FAIL\n"
        "           global: The root user has access keys" in lead
    )

    root_keys(False)
    third = tmp_path / "third"
    result = run_cli(
        "run",
        *ROOT_RUN,
        "--quiet",
        "--baseline",
        str(second / "results.json"),
        "--fail-on-new",
        "--output-dir",
        str(third),
    )
    # sec.root-mfa still fails, but it is not new: the build stays green.
    assert result.exit_code == ExitCode.OK, result.output
    assert result.output == "wa-audit: 0 new FAIL (0 critical), 1 FAIL, 0 ERROR; score 50; exit 0\n"
    report, by_check = _findings(third / "results.json")
    [resolved] = report["baseline"]["resolved"]
    assert (resolved["check_id"], resolved["status"]) == ("sec.root-access-keys", "FAIL")
    assert by_check["sec.root-access-keys"]["change"]["kind"] == "changed"

    diff = run_cli("diff", str(first / "results.json"), str(second / "results.json"))
    assert diff.exit_code == 0
    assert (
        "2 findings now: 0 new, 1 changed, 1 unchanged, 0 not compared; "
        "1 FAIL before: 0 resolved, 1 still failing, 0 not compared; 1 new FAIL"
    ) in diff.output
    assert f"  [critical] PASS → FAIL sec.root-access-keys global {ROOT}" in diff.output

    as_json = json.loads(
        run_cli(
            "diff", str(second / "results.json"), str(third / "results.json"), "--format", "json"
        ).output
    )
    assert [f["check_id"] for f in as_json["resolved"]] == ["sec.root-access-keys"]
    assert as_json["new_findings"] == []


def test_fail_on_new_without_baseline_exits_2(sandbox, run_cli, tmp_path):
    result = run_cli("run", "--fail-on-new", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "--fail-on-new needs --baseline" in result.output
    assert not (tmp_path / "results.json").exists()


def test_baseline_of_another_account_exits_2(sandbox, run_cli, tmp_path):
    other = sample_report().model_copy(update={"account_id": "999999999999"})
    path = tmp_path / "other.json"
    path.write_text(other.model_dump_json())
    result = run_cli("run", "--baseline", str(path), "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "is of account 999999999999, not 123456789012" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("{not json", "not JSON"),
        ('{"findings": []}', "not a wa-audit results file"),
    ],
)
def test_unreadable_baseline_exits_2(sandbox, run_cli, tmp_path, content, message):
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content)
    result = run_cli("run", "--baseline", str(path), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_other_major_schema_version_is_refused(run_cli, tmp_path):
    path = tmp_path / "future.json"
    path.write_text(sample_report(schema_version="2.0").model_dump_json())
    result = run_cli("report", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "schema version 2.0 cannot be read" in result.output


def _scoped(report, checks, regions):
    return report.model_copy(
        update={
            "checks": tuple(s for s in report.checks if s.id in checks),
            "findings": tuple(f for f in report.findings if f.check_id in checks),
            "regions": regions,
        }
    )


def test_diff_leaves_what_one_run_did_not_audit_as_not_compared():
    """A check or region only one run audited is neither resolved nor new."""
    full = sample_report(with_baseline=False)
    ids = {spec.id for spec in full.checks}
    narrow_ids = {"sec.root-mfa"}
    assert narrow_ids < ids
    old = Baseline(full, "full.json")
    new = Baseline(_scoped(full, narrow_ids, ("us-east-1",)), "narrow.json")
    comparison = compare_reports(old, new)
    assert comparison.resolved == ()
    assert comparison.not_compared.checks_only_before == tuple(sorted(ids - narrow_ids))
    fails_left_out = [f for f in full.findings if f.status is Status.FAIL]
    fails_left_out = [f for f in fails_left_out if f.check_id not in narrow_ids]
    assert comparison.not_compared.findings_before == len(fails_left_out)
    # The other way round, the wide run's extra checks are not "new".
    back = compare_reports(new, old)
    assert back.new_findings == ()
    assert back.not_compared.checks_only_after == tuple(sorted(ids - narrow_ids))
    assert back.not_compared.findings_after == len(
        [f for f in full.findings if f.check_id not in narrow_ids]
    )
    assert {
        f.change.kind
        for f in mark_changes(full.findings, new.report.findings, scope_of(new.report))
        if f.check_id not in narrow_ids
    } == {Change.NOT_COMPARED}


def test_a_baseline_fail_that_is_now_error_is_not_resolved_and_counted_once():
    before = finding("rel.backups", Status.FAIL, DB)
    after = before.model_copy(update={"status": Status.ERROR})
    old = sample_report(with_baseline=False).model_copy(update={"findings": (before,)})
    new = old.model_copy(update={"findings": (after,)})
    comparison = compare_reports(Baseline(old, "a"), Baseline(new, "b"))
    assert comparison.resolved == ()
    assert comparison.not_compared.findings_before == 1
    # One finding now (changed: FAIL → ERROR), one FAIL before (not compared): once each.
    assert [f.status for f in comparison.changed] == [Status.ERROR]
    assert comparison.not_compared.findings_after == 0
    assert (comparison.findings_now, comparison.failures_before) == (1, 1)
    assert (
        "1 finding now: 0 new, 1 changed, 0 unchanged, 0 not compared; "
        "1 FAIL before: 0 resolved, 0 still failing, 1 not compared"
    ) in RENDERERS["table"](comparison)


TABLE_A = "arn:aws:dynamodb:us-east-1:123456789012:table/a"
REGION_ERROR = "123456789012/us-east-1"


def _in_us_east_1(check_id: str, status: Status, resource: str) -> object:
    return finding(check_id, status, resource, region="us-east-1")


def test_an_error_for_the_whole_region_resolves_none_of_its_earlier_failures():
    """The later run could not read the tables at all: table/a's FAIL is not compared, and the
    region's ERROR (resource <account>/<region>) is not "new" either."""
    old = sample_report(with_baseline=False).model_copy(
        update={
            "findings": (
                _in_us_east_1("rel.backups", Status.FAIL, TABLE_A),
                _in_us_east_1("rel.backups", Status.PASS, TABLE_A + "-ok"),
                # Another check, judged in both runs: resolved as usual.
                _in_us_east_1("sec.bucket-policy", Status.FAIL, BUCKET_A),
            ),
            "regions": ("us-east-1",),
        }
    )
    new = old.model_copy(
        update={
            "findings": (
                _in_us_east_1("rel.backups", Status.ERROR, REGION_ERROR),
                _in_us_east_1("sec.bucket-policy", Status.PASS, BUCKET_A),
            )
        }
    )
    comparison = compare_reports(Baseline(old, "a"), Baseline(new, "b"))
    assert [f.resource for f in comparison.resolved] == [BUCKET_A]
    assert comparison.not_compared.findings_before == 1
    assert comparison.new_findings == ()
    assert comparison.not_compared.findings_after == 1
    assert [f.resource for f in comparison.changed] == [BUCKET_A]
    # What ``run --baseline`` stores goes by the same rule.
    marked, info = compare_with_baseline(
        new.findings,
        Baseline(old, "a"),
        checks_run={"rel.backups", "sec.bucket-policy"},
        regions=("us-east-1",),
    )
    assert [f.resource for f in info.resolved] == [BUCKET_A]
    assert [f.change.kind for f in marked] == [Change.NOT_COMPARED, Change.CHANGED]


def test_an_account_wide_error_leaves_every_earlier_failure_of_the_check_not_compared():
    old_findings = (finding("sec.root-mfa", Status.FAIL), finding("sec.root-mfa", Status.FAIL, "x"))
    error = finding("sec.root-mfa", Status.ERROR, "arn:aws:iam::123456789012:root-scope")
    old = sample_report(with_baseline=False).model_copy(update={"findings": old_findings})
    new = old.model_copy(update={"findings": (error,)})
    comparison = compare_reports(Baseline(old, "a"), Baseline(new, "b"))
    assert comparison.resolved == ()
    assert comparison.not_compared.findings_before == 2


def test_a_resource_judged_again_beside_an_error_is_still_resolved():
    """One unreadable resource does not hide what the check did judge in that region."""
    old = sample_report(with_baseline=False).model_copy(
        update={
            "findings": (_in_us_east_1("rel.backups", Status.FAIL, TABLE_A),),
            "regions": ("us-east-1",),
        }
    )
    new = old.model_copy(
        update={
            "findings": (
                _in_us_east_1("rel.backups", Status.PASS, TABLE_A),
                _in_us_east_1("rel.backups", Status.ERROR, TABLE_A + "-unreadable"),
            )
        }
    )
    comparison = compare_reports(Baseline(old, "a"), Baseline(new, "b"))
    assert [f.resource for f in comparison.resolved] == [TABLE_A]
    assert comparison.not_compared.findings_before == 0


def test_diff_counts_add_up_to_both_runs():
    """Every later finding is counted once (new, changed, unchanged, not compared), and every
    earlier FAIL once (resolved, still failing, not compared): the headline adds up."""
    old = realistic_report()  # six pillars, every status, two regions
    fails = [f for f in old.findings if f.status is Status.FAIL]
    errored = fails[0].model_copy(update={"status": Status.ERROR})  # FAIL → ERROR, same key
    passing = fails[1].model_copy(update={"status": Status.PASS})  # FAIL → PASS
    later = (
        errored,
        passing,
        *(f for f in old.findings if f.key not in {errored.key, passing.key}),
        fails[2].model_copy(update={"resource": "arn:aws:new"}),  # new
    )
    new = old.model_copy(update={"findings": later})
    comparison = compare_reports(Baseline(old, "a"), Baseline(new, "b"))
    assert comparison.findings_now == len(new.findings)
    assert comparison.failures_before == len(fails)
    assert len(comparison.new_findings) == 1
    assert len(comparison.changed) == 2
    assert [f.key for f in comparison.resolved] == [passing.key]
    assert comparison.not_compared.findings_before == 1
    numbers = [int(n) for n in re.findall(r"\d+", RENDERERS["table"](comparison).splitlines()[1])]
    now, new_, changed, unchanged, left_now, before, resolved, still, left_before, _ = numbers
    assert now == new_ + changed + unchanged + left_now == len(new.findings)
    assert before == resolved + still + left_before == len(fails)


def test_changed_findings_show_their_severity():
    before = finding("rel.backups", Status.PASS, DB)
    after = before.model_copy(update={"status": Status.FAIL})
    old = sample_report(with_baseline=False).model_copy(update={"findings": (before,)})
    new = old.model_copy(update={"findings": (after,)})
    text = RENDERERS["table"](compare_reports(Baseline(old, "a"), Baseline(new, "b")))
    assert f"  [high] PASS → FAIL rel.backups eu-west-1 {DB}" in text
    assert (
        "1 finding now: 0 new, 1 changed, 0 unchanged, 0 not compared; "
        "0 FAILs before: 0 resolved, 0 still failing, 0 not compared; 1 new FAIL"
    ) in text


PITR_RUN = ("--region", "us-east-1", "--check", "rel.dynamodb-pitr")


def test_run_baseline_and_diff_never_resolve_what_an_error_hid(sandbox, run_cli, tmp_path):
    """Through the CLI: table/a fails PITR; the next run may not list tables (AccessDenied), so
    its one ERROR for us-east-1 neither resolves table/a nor counts as new."""
    sandbox.client("dynamodb").create_table(
        TableName="a",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    first = tmp_path / "first"
    run_cli("run", *PITR_RUN, "--fail-on", "never", "--output-dir", str(first))
    _, by_check = _findings(first / "results.json")
    assert (by_check["rel.dynamodb-pitr"]["status"], by_check["rel.dynamodb-pitr"]["resource"]) == (
        "FAIL",
        TABLE_A,
    )

    second = tmp_path / "second"
    with pytest.MonkeyPatch.context() as patch:
        sandbox.enforce_iam(patch, deny=["dynamodb:ListTables"])
        result = run_cli(
            "run",
            *PITR_RUN,
            "--baseline",
            str(first / "results.json"),
            "--output-dir",
            str(second),
        )
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    report, by_check = _findings(second / "results.json")
    error = by_check["rel.dynamodb-pitr"]
    assert (error["status"], error["resource"]) == ("ERROR", REGION_ERROR)
    assert error["change"]["kind"] == "not_compared"
    assert report["baseline"]["resolved"] == []

    diff = json.loads(
        run_cli(
            "diff", str(first / "results.json"), str(second / "results.json"), "--format", "json"
        ).output
    )
    assert (diff["resolved"], diff["new_findings"]) == ([], [])
    assert diff["not_compared"]["findings_before"] == 1
    assert diff["not_compared"]["findings_after"] == 1


def test_an_account_wide_finding_on_a_resource_in_an_unaudited_region_is_not_resolved():
    """cost.required-tags is account-wide (region 'global') but judges regional resources: a run
    of us-east-1 alone did not look at an eu-west-1 volume, so its FAIL is not compared."""
    volume = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a"
    here = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0b"
    iam_user = "arn:aws:iam::123456789012:user/alice"  # no region: global, always in scope
    previous = [
        finding("sec.root-mfa", Status.FAIL, volume, region="global"),
        finding("sec.root-mfa", Status.FAIL, here, region="global"),
        finding("sec.root-mfa", Status.FAIL, iam_user, region="global"),
    ]
    resolved = resolved_since(previous, [], checks_run={"sec.root-mfa"}, regions=["us-east-1"])
    assert [f.resource for f in resolved] == [here, iam_user]

    full = sample_report(with_baseline=False)
    old = full.model_copy(
        update={"findings": tuple(previous), "regions": ("us-east-1", "eu-west-1")}
    )
    new = full.model_copy(update={"findings": (), "regions": ("us-east-1",)})
    comparison = compare_reports(Baseline(old, "both.json"), Baseline(new, "one.json"))
    assert [f.resource for f in comparison.resolved] == [here, iam_user]
    assert comparison.not_compared.findings_before == 1
