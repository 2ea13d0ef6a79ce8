"""A third-party check package, built and installed as a user would, runs like a built-in check.

The package (tests/data/example_check_plugin) is written with ``wa_audit.api`` alone and found only
through its ``wa_audit.checks`` entry point: pip builds it offline into a folder of its own, and
each wa-audit process sees it through PYTHONPATH, as it would see a package installed beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import _wa_audit
from wa_audit.exitcodes import ExitCode

PLUGIN_SOURCE = Path(__file__).parent / "data" / "example_check_plugin"
CHECK_ID = "ops.example-queue-owner"
TITLE = "Queue names say which team owns them (example plugin)"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built (by this environment's setuptools, no index) and installed into a folder."""
    source = tmp_path_factory.mktemp("source") / "example_check_plugin"
    shutil.copytree(PLUGIN_SOURCE, source)  # the build writes beside its sources
    target = tmp_path_factory.mktemp("site")
    pip = (sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps")
    subprocess.run(
        [*pip, "--no-build-isolation", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def wa_audit(plugin_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A wa-audit process that sees the plugin beside itself (and the sandbox, when it is up)."""
    return _wa_audit(dict(os.environ, PYTHONPATH=str(plugin_path)), *args)


def test_checks_lists_the_plugin_check(plugin_path):
    result = wa_audit(plugin_path, "checks", "--pillar", "ops")
    assert result.returncode == ExitCode.OK, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith(CHECK_ID)]
    assert line.split()[1:4] == ["ops", "low", "OPS02-BP01"]
    assert line.endswith(TITLE)


def test_policy_includes_the_plugin_fact_action(plugin_path):
    everything = json.loads(wa_audit(plugin_path, "policy").stdout)
    assert "sqs:ListQueues" in everything["Statement"][0]["Action"]
    alone = json.loads(wa_audit(plugin_path, "policy", "--check", CHECK_ID).stdout)
    assert "sqs:ListQueues" in alone["Statement"][0]["Action"]
    without = json.loads(wa_audit(plugin_path, "policy", "--check", "sec.root-mfa").stdout)
    assert "sqs:ListQueues" not in without["Statement"][0]["Action"]


def test_plugin_check_runs_into_the_report_and_the_scorecard(plugin_path, sandbox, tmp_path):
    sqs = sandbox.client("sqs")
    sqs.create_queue(QueueName="team-billing-invoices")
    sqs.create_queue(QueueName="scratch")
    output = tmp_path / "out"

    result = wa_audit(
        plugin_path,
        *("run", "--region", "us-east-1", "--check", CHECK_ID),
        *("--format", "json,html", "--output-dir", str(output)),
    )

    assert result.returncode == ExitCode.OK, result.stderr  # a low FAIL is under --fail-on high
    report: dict[str, Any] = json.loads((output / "results.json").read_text())
    assert [c["id"] for c in report["checks"]] == [CHECK_ID]
    assert sorted((f["status"], f["resource"]) for f in report["findings"]) == [
        ("FAIL", "arn:aws:sqs:us-east-1:123456789012:scratch"),
        ("PASS", "arn:aws:sqs:us-east-1:123456789012:team-billing-invoices"),
    ]
    assert report["api_calls"]["sqs:ListQueues"] == 1
    html = (output / "results.html").read_text()
    assert CHECK_ID in html
    assert TITLE in html


def test_the_public_api_is_exactly_what_the_readme_documents():
    """Removing or renaming one of these breaks check packages: change it on purpose only."""
    import wa_audit.api

    checks = {"check", "CheckContext", "Finding", "Status", "Severity", "Pillar", "GLOBAL_REGION"}
    facts = {"fact", "Fact", "FetchContext", "response_unless"}
    assert set(wa_audit.api.__all__) == checks | facts
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    writing_checks = readme.split("## Writing checks", 1)[1].split("\n## ", 1)[0]
    for name in wa_audit.api.__all__:
        assert getattr(wa_audit.api, name) is not None
        assert f"`{name}`" in writing_checks, name
