"""The scorecard from the command line: a default output of run and demo, and demo --open."""

from __future__ import annotations

import webbrowser

import pytest

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


def test_demo_open_opens_the_html_report(run_cli, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    result = run_cli("demo", "--open", "--quiet", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED, result.output
    assert opened == [(tmp_path / "results.html").resolve().as_uri()]
    assert "No browser found" not in result.output


def _no_browser(url: str) -> bool:
    raise webbrowser.Error("could not locate runnable browser")


@pytest.mark.parametrize("browser_open", [lambda url: False, _no_browser])
def test_demo_open_without_a_browser_says_where_the_report_is(
    run_cli, tmp_path, monkeypatch, browser_open
):
    monkeypatch.setattr(webbrowser, "open", browser_open)
    result = run_cli("demo", "--open", "--quiet", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED, result.output
    assert f"No browser found; open {tmp_path / 'results.html'} yourself." in result.output


def test_demo_open_with_no_html_format_opens_nothing(run_cli, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    result = run_cli("demo", "--open", "--quiet", "--format", "json", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED, result.output
    assert opened == []
    assert "Nothing to open: add html to --format." in result.output


def test_report_rerenders_the_scorecard_identically(sandbox, run_cli, tmp_path):
    ran, again = tmp_path / "ran", tmp_path / "again"
    run_cli("run", "--region", "us-east-1", "--output-dir", str(ran))
    result = run_cli(
        "report", str(ran / "results.json"), "--format", "html", "--output-dir", str(again)
    )
    assert result.exit_code == 0, result.output
    assert (again / "results.html").read_text() == (ran / "results.html").read_text()
