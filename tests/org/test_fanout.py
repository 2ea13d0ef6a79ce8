"""The Step Functions fan-out run locally over the sandbox organization: every state of the shipped
definition taken as Step Functions would (its Choice rules, each task's container command and
S3 prefix), each container a fresh folder, the bucket a folder, the CLI the real one.

Only the container's commands are narrowed, to the org tests' checks and region, to stay fast.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.org.asl import DEFINITION, choose, container, resolve, states
from tests.org.conftest import CHECK_FLAGS, REGION, SeededOrg
from wa_audit.exitcodes import ExitCode

MANAGEMENT = "123456789012"
INPUT = {
    "ResultsBucket": "results",
    "Cluster": "audits",
    "TaskDefinition": "wa-audit:1",
    "Subnets": ["subnet-1"],
    "SecurityGroups": ["sg-1"],
    "RoleName": "OrganizationAccountAccessRole",
}
EXECUTION = {"Execution": {"Name": "run-1"}}
SCRATCH = "/tmp/results"


class LocalFanOut:
    """Folders for the bucket and the containers; wa-audit through the test's CLI runner."""

    def __init__(self, root: Path, run_cli: Any) -> None:
        self.bucket = root / "bucket"
        self.root = root
        self.run_cli = run_cli
        self.tasks = 0

    def task(self, state: dict[str, Any], data: dict[str, Any], context: dict[str, Any]) -> int:
        """One container: fetch INPUT_S3_URI, run the command, upload to RESULTS_S3_URI (as
        deploy/aws/entrypoint.py does); wa-audit's exit code."""
        self.tasks += 1
        scratch = self.root / f"container-{self.tasks}"
        override = container(state, data, context)
        environment = {e["Name"]: e["Value"] for e in override.get("Environment", [])}
        if "INPUT_S3_URI" in environment:
            shutil.copytree(self._folder(environment["INPUT_S3_URI"]), scratch)
        scratch.mkdir(exist_ok=True)
        args = [arg.replace(SCRATCH, str(scratch)) for arg in override["Command"]]
        if args[0] == "run":
            args += ["--region", REGION, *CHECK_FLAGS]
        result = self.run_cli(*args)
        shutil.copytree(scratch, self._folder(environment["RESULTS_S3_URI"]), dirs_exist_ok=True)
        return result.exit_code

    def _folder(self, uri: str) -> Path:
        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        assert bucket == INPUT["ResultsBucket"]
        return self.bucket / prefix

    def execute(self) -> dict[str, int]:
        """The whole state machine; each task's exit code by state (per account in the Map)."""
        codes: dict[str, int] = {}
        top = states(DEFINITION)
        codes["ListAccounts"] = self.task(top["ListAccounts"], INPUT, EXECUTION)
        audit = top["AuditAccounts"]
        processor = audit["ItemProcessor"]
        for item in json.loads((self.bucket / "run-1" / "accounts.json").read_text()):
            context = {**EXECUTION, "Map": {"Item": {"Value": item}}}
            data = resolve(audit["ItemSelector"], INPUT, context)
            name = processor["StartAt"]
            while True:
                state = states(processor)[name]
                if state["Type"] == "Choice":
                    name = choose(state, data)
                    continue
                if state["Type"] == "Task":
                    codes[item["account_id"]] = self.task(state, data, context)
                break
        codes["Merge"] = self.task(top["Merge"], INPUT, EXECUTION)
        return codes


def test_fan_out_lists_every_account_even_one_whose_role_cannot_be_assumed(
    sandbox, small_org: SeededOrg, run_cli, tmp_path
):
    ids = small_org.ids
    codes = LocalFanOut(tmp_path, run_cli).execute()
    # The management account's task ran with the task's own credentials (no role there); its
    # findings include the organization's high-severity sec.org-root-scp FAIL.
    assert codes == {
        "ListAccounts": ExitCode.OK,
        MANAGEMENT: ExitCode.FAILED,
        ids["prod"]: ExitCode.OK,
        ids["dev"]: ExitCode.FAILED,
        ids["invited"]: ExitCode.CANNOT_AUDIT,  # the task fails; the Map tolerates it
        "Merge": ExitCode.FAILED,  # 1: dev's critical FAIL outranks the account not audited
    }
    run = tmp_path / "bucket" / "run-1"
    org = json.loads((run / "organization.json").read_text())
    rows = {row["account_id"]: row for row in org["accounts"]}
    assert set(rows) == {MANAGEMENT, ids["prod"], ids["dev"], ids["invited"]}
    invited = rows[ids["invited"]]
    assert (invited["outcome"], invited["exit_code"], invited["report_dir"]) == ("failed", 4, None)
    assert invited["reason"].startswith(
        f"cannot assume arn:aws:iam::{ids['invited']}:role/OrganizationAccountAccessRole "
        "(sts:AssumeRole AccessDenied"
    )
    assert rows[MANAGEMENT]["outcome"] == "audited"
    assert rows[MANAGEMENT]["report_dir"] == f"accounts/{MANAGEMENT}"
    # Named as Organizations names them (accounts.json), with their OU path.
    assert (rows[ids["dev"]]["name"], len(rows[ids["dev"]]["ou_path"])) == ("dev", 2)
    verdicts = {(f["check_id"], f["status"]) for f in org["org_findings"]}
    assert ("sec.org-trail", "PASS") in verdicts
    assert ("sec.org-root-scp", "FAIL") in verdicts
    assert org["management_account_id"] == MANAGEMENT
    assert org["organization_id"].startswith("o-")
    assert (run / "organization.html").is_file()


def test_merge_lists_an_account_without_results_as_failed(
    sandbox, small_org: SeededOrg, run_cli, tmp_path
):
    """A task that died before writing anything (out of memory, stopped): merge --accounts still
    lists its account, and with nothing failing elsewhere the exit code is 3."""
    ids = small_org.ids
    listing = tmp_path / "accounts.json"
    assert run_cli("accounts", "--output", str(listing)).exit_code == ExitCode.OK
    out = tmp_path / "results"
    result = run_cli(
        "run", "--region", REGION, *CHECK_FLAGS, "--quiet", "--format", "json",
        "--role-arn", f"arn:aws:iam::{ids['prod']}:role/OrganizationAccountAccessRole",
        "--output-dir", str(out / "accounts" / ids["prod"]),
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output
    result = run_cli(
        "merge", str(out / "accounts"), "--accounts", str(listing), "--output-dir", str(out)
    )
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    rows = {
        r["account_id"]: r for r in json.loads((out / "organization.json").read_text())["accounts"]
    }
    assert rows[ids["prod"]]["outcome"] == "audited"
    for missing in (MANAGEMENT, ids["dev"], ids["invited"]):
        assert rows[missing]["outcome"] == "failed"
        assert rows[missing]["reason"].startswith("no results")
    assert rows[ids["dev"]]["name"] == "dev"
