"""The scorecard from the command line: a default output of run and demo, and demo --open."""

from __future__ import annotations

import os
import subprocess
import sys
import webbrowser

import pytest

from wa_audit.demo import open_report
from wa_audit.exitcodes import ExitCode


def test_run_writes_html_and_json_by_default(sandbox, run_cli, tmp_path):
    result = run_cli("run", "--region", "us-east-1", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.html", "results.json"]
    assert f"Wrote {tmp_path / 'results.html'}, {tmp_path / 'results.json'}" in result.output
    html = (tmp_path / "results.html").read_text()
    assert 'Account <span class="account-id">123456789012</span>' in html
    assert "sec.root-mfa" in html


def test_run_writes_only_the_formats_asked_for(sandbox, run_cli, tmp_path):
    run_cli("run", "--region", "us-east-1", "--format", "json", "--output-dir", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_demo_open_opens_the_html_report(tmp_path):
    """As a user runs it, in its own process; $BROWSER (which webbrowser honours) records the URL."""
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.py"
    recorder.write_text("import pathlib, sys\npathlib.Path(sys.argv[2]).write_text(sys.argv[1])\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["BROWSER"] = f"{sys.executable} {recorder} %s {opened}"
    # A one-section account and one check: what --open does does not depend on the account's size.
    account = tmp_path / "account"
    account.mkdir()
    (account / "scenario.toml").write_text('description = "root only"\nregions = ["us-east-1"]\n')
    (account / "root.toml").write_text('mfa = "none"\naccess_keys = 0\n')
    result = subprocess.run(
        [
            *(sys.executable, "-m", "wa_audit", "demo", "--open", "--quiet", "--output-dir", "out"),
            *("--scenario", str(account), "--check", "sec.root-mfa"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == ExitCode.FAILED, result.stderr
    assert opened.read_text() == (tmp_path / "out" / "results.html").resolve().as_uri()
    assert "No browser found" not in result.stderr


def _no_browser(url: str) -> bool:
    raise webbrowser.Error("could not locate runnable browser")


@pytest.mark.parametrize("browser_open", [lambda url: False, _no_browser])
def test_open_without_a_browser_says_where_the_report_is(
    tmp_path, monkeypatch, capsys, browser_open
):
    monkeypatch.setattr(webbrowser, "open", browser_open)
    page = tmp_path / "results.html"
    open_report([tmp_path / "results.json", page])
    assert capsys.readouterr().err == f"No browser found; open {page} yourself.\n"


def test_open_with_no_html_written_opens_nothing(tmp_path, monkeypatch, capsys):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    open_report([tmp_path / "results.json"])
    assert opened == []
    assert capsys.readouterr().err == "Nothing to open: add html to --format.\n"


def test_report_rerenders_the_scorecard_identically(sandbox, run_cli, tmp_path):
    ran, again = tmp_path / "ran", tmp_path / "again"
    run_cli("run", "--region", "us-east-1", "--output-dir", str(ran))
    result = run_cli(
        "report", str(ran / "results.json"), "--format", "html", "--output-dir", str(again)
    )
    assert result.exit_code == 0, result.output
    assert (again / "results.html").read_text() == (ran / "results.html").read_text()
