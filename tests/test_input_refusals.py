"""Bad input is refused with exit 2 and one line naming the file (or flag), the key and what is
allowed; nothing is coerced into something the user did not write."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.helpers import ROOT_CHECKS
from wa_audit.answers import load_answers
from wa_audit.config import load_config
from wa_audit.errors import ConfigError
from wa_audit.exitcodes import ExitCode
from wa_audit.framework import load_framework
from wa_audit.models import Severity
from wa_audit.progress import IDENTIFYING
from wa_audit.registry import discover
from wa_audit.runner import resolve_params
from wa_audit.sandbox.extensions.servicequotas import account

# -- quotas request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("nan", "'nan' is not a finite number (allowed: x>0)"),
        ("inf", "'inf' is not a finite number (allowed: x>0)"),
        ("-1", "-1.0 is not in the range x>0"),
    ],
)
def test_quota_value_must_be_a_finite_positive_number(sandbox, run_cli, value, reason):
    result = run_cli(
        "quotas", "request", "ec2/L-0263D0A3", "--value", value, "--region", "us-east-1", "--yes"
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output == f"wa-audit: error: --value: {reason}\n"
    assert account(sandbox.state, "123456789012").requests == []  # nothing filed


WEEK = "0<x<=604800"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("nan", f"'nan' is not a finite number (allowed: {WEEK})"),  # before: 127 ERROR, exit 3
        ("inf", f"'inf' is not a finite number (allowed: {WEEK})"),  # before: OverflowError
        ("1e309", f"'1e309' is not a finite number (allowed: {WEEK})"),
        ("1e12", f"1000000000000.0 is not in the range {WEEK}"),
        ("0", f"0.0 is not in the range {WEEK}"),
        ("soon", f"'soon' is not a number (allowed: {WEEK})"),
    ],
)
def test_run_timeout_is_a_finite_number_of_seconds_up_to_a_week(run_cli, tmp_path, value, reason):
    result = run_cli("run", "--timeout", value, "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE
    assert result.output == f"wa-audit: error: --timeout: {reason}\n"
    assert not (tmp_path / "out").exists()


# -- config types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "shown"),
    [('workers = "8"', "'8'"), ("workers = true", "True"), ("workers = 8.0", "8.0")],
)
def test_config_numbers_are_never_coerced(tmp_path, line, shown):
    path = tmp_path / "wa-audit.toml"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}: bad value for 'workers': Input should be a valid integer, not {shown}"
    )


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        ("timeout = true", "Input should be a valid number, not True"),  # before: 1 s
        ('timeout = "30"', "Input should be a valid number, not '30'"),
        ("read_timeout = true", "Input should be a valid number, not True"),
        ('call_timeout = "10"', "Input should be a valid number, not '10'"),
        ("timeout = inf", "Input should be a finite number, not inf"),  # before: OverflowError
        ("timeout = nan", "Input should be a finite number, not nan"),
        ("read_timeout = -inf", "Input should be a finite number, not -inf"),
        ("call_timeout = 0", "Input should be greater than 0"),
        ("timeout = 700000", "Input should be less than or equal to 604800"),
    ],
)
def test_config_seconds_are_finite_positive_numbers_never_coerced(tmp_path, line, detail):
    path = tmp_path / "wa-audit.toml"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    key = line.split(" = ")[0]
    assert str(error.value) == f"{path}: bad value for {key!r}: {detail}"


def test_config_seconds_take_toml_integers_and_floats(tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text("timeout = 30\nread_timeout = 2.5\ncall_timeout = 10\n")
    config = load_config(path)
    assert (config.timeout, config.read_timeout, config.call_timeout) == (30.0, 2.5, 10.0)


def test_config_type_error_through_the_cli_is_one_line(run_cli, tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text('workers = "8"\n')
    result = run_cli("run", "--config", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert result.output == (
        f"wa-audit: error: {path}: bad value for 'workers': "
        "Input should be a valid integer, not '8'\n"
    )


@pytest.mark.parametrize("value", [True, "7", 7.0])
def test_check_parameters_are_never_coerced(value):
    checks = [c for c in discover() if c.id == "rel.rds-backups"]
    with pytest.raises(ConfigError, match=r"bad value for 'min_retention_days'"):
        resolve_params(
            checks, ["rel.rds-backups"], {"rel.rds-backups": {"min_retention_days": value}}
        )


def test_check_parameter_of_the_right_type_still_loads():
    checks = [c for c in discover() if c.id == "rel.rds-backups"]
    params = resolve_params(
        checks, ["rel.rds-backups"], {"rel.rds-backups": {"min_retention_days": 14}}
    )
    assert params["rel.rds-backups"].min_retention_days == 14


@pytest.mark.parametrize("written", ['"HIGH"', '"High"', '"high"'])
def test_fail_on_in_config_takes_any_case_like_the_flag(tmp_path, written):
    path = tmp_path / "wa-audit.toml"
    path.write_text(f"fail_on = {written}\n")
    assert load_config(path).fail_on is Severity.HIGH


def test_fail_on_never_in_config(tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text('fail_on = "Never"\n')
    assert load_config(path).fail_on == "never"


def test_bad_fail_on_lists_every_choice_the_flag_takes(tmp_path, run_cli):
    path = tmp_path / "wa-audit.toml"
    path.write_text('fail_on = "severe"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}: bad value for 'fail_on': 'severe' is not one of "
        "info, low, medium, high, critical, never"
    )
    flag = run_cli("run", "--fail-on", "severe")
    assert flag.exit_code == ExitCode.USAGE
    assert "'info', 'low', 'medium', 'high', 'critical', 'never'" in flag.output


# -- answers -------------------------------------------------------------------------------------


def test_answers_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_bytes('[answers."SEC01-BP01"]\nnote = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as error:
        load_answers(path, load_framework())
    assert str(error.value) == f"{path}: not UTF-8 text (byte 0xe9 at offset 34); save it as UTF-8"


def test_answer_dated_in_the_future(tmp_path):
    tomorrow_everywhere = (datetime.now(UTC) + timedelta(days=2)).date()
    path = tmp_path / "answers.toml"
    path.write_text(
        f'[answers."SEC01-BP01"]\nstatus = "met"\ndate = {tomorrow_everywhere.isoformat()}\n'
    )
    with pytest.raises(ConfigError) as error:
        load_answers(path, load_framework())
    assert f"date {tomorrow_everywhere.isoformat()} is in the future" in str(error.value)
    assert "'answers.SEC01-BP01'" in str(error.value)


def test_answer_dated_today_anywhere_on_earth_is_accepted(tmp_path):
    today_in_kiribati = (datetime.now(UTC) + timedelta(hours=14)).date()
    path = tmp_path / "answers.toml"
    path.write_text(f'[answers."SEC01-BP01"]\nstatus = "met"\ndate = {today_in_kiribati}\n')
    assert load_answers(path, load_framework()).answers["SEC01-BP01"].date == today_in_kiribati


def test_answer_date_as_a_quoted_string_is_refused(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('[answers."SEC01-BP01"]\nstatus = "met"\ndate = "2026-01-01"\n')
    with pytest.raises(ConfigError) as error:
        load_answers(path, load_framework())
    assert str(error.value).startswith(f"{path}: bad value for 'answers.SEC01-BP01.date'")
    assert date(2026, 1, 1).isoformat() in str(error.value)


# -- regions -------------------------------------------------------------------------------------


def test_unknown_region_is_refused_even_when_regions_cannot_be_listed(
    sandbox, run_cli, monkeypatch, tmp_path
):
    """Without ec2:DescribeRegions botocore's list decides; the sandbox would answer any name."""
    sandbox.enforce_iam(monkeypatch, deny=["ec2:DescribeRegions"])
    result = run_cli(
        "run", *ROOT_CHECKS, "--region", "us-east-7", "--output-dir", str(tmp_path / "out")
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stderr.startswith(
        "wa-audit: Identifying the account and its regions…\n"
        "wa-audit: error: unknown region 'us-east-7' (did you mean"
    )
    known = run_cli(
        "run", *ROOT_CHECKS, "--region", "eu-west-1", "--output-dir", str(tmp_path / "out")
    )
    assert known.exit_code == ExitCode.FAILED, known.output  # the sandbox's regions still work


def test_unknown_region_in_the_config_names_the_file_and_key(sandbox, run_cli, tmp_path):
    config = tmp_path / "wa-audit.toml"
    config.write_text('regions = ["us-east-7"]\n')
    result = run_cli(
        "run", *ROOT_CHECKS, "--config", str(config), "--output-dir", str(tmp_path / "out")
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    # The regions are checked against the account's list, so after "Identifying…" on stderr.
    said, error = result.output.splitlines()
    assert said == f"wa-audit: {IDENTIFYING}…"
    assert error.startswith(
        f"wa-audit: error: {config}: bad value for 'regions': unknown region 'us-east-7' "
        "(did you mean "
    )


# -- where an error comes from -------------------------------------------------------------------


def test_check_parameter_error_names_the_config_file(run_cli, tmp_path):
    """Before: 'params."rel.rds-backups": bad value…' left the user to guess which file."""
    config = tmp_path / "wa-audit.toml"
    config.write_text('[params."rel.rds-backups"]\nmin_retention_days = true\n')
    result = run_cli("run", "--config", str(config), "--check", "rel.rds-backups")
    assert result.exit_code == ExitCode.USAGE
    assert result.output == (  # before anything else is said: no AWS call is needed to know
        f'wa-audit: error: {config}: params."rel.rds-backups": bad value for '
        "'min_retention_days': Input should be a valid integer, not True\n"
    )


# -- demo ----------------------------------------------------------------------------------------


def test_demo_refuses_an_unknown_region_before_seeding(run_cli, monkeypatch, tmp_path):
    from wa_audit import demo

    def no_seeding(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("seeded before the region was checked")

    monkeypatch.setattr(demo, "seeded_sandbox", no_seeding)
    result = run_cli("demo", "--region", "us-east-7", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.startswith("wa-audit: error: unknown region 'us-east-7' (did you mean")
    assert len(result.output.splitlines()) == 1


def test_demo_scenario_folder_without_files(run_cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("demo", "--scenario", str(empty), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output == (
        f"wa-audit: error: scenario folder {str(empty)!r} has no *.toml files to seed from\n"
    )


def test_demo_scenario_that_is_a_file(run_cli, tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text("")
    result = run_cli("demo", "--scenario", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "is a file; give a folder of *.toml files" in result.output


def test_demo_serve_on_a_port_in_use_is_a_usage_error(run_cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("demo", "--serve", "--port", str(port))
    assert result.exit_code == ExitCode.USAGE, result.output  # 1 would mean "FAIL found"
    assert result.output.startswith(f"wa-audit: error: --port {port}: cannot listen on ")
    assert len(result.output.splitlines()) == 1


# -- output folders ------------------------------------------------------------------------------

REMOTE_REASON = (
    "wa-audit writes local files only; write to a folder and copy it (the container task in "
    "deploy/aws uploads its results to S3)"
)


@pytest.mark.parametrize(
    "command",
    [
        ("run", "--role-arn", "arn:aws:iam::210987654321:role/Auditor"),
        ("run", "--org"),
        ("demo",),
        ("merge", "results.json"),
    ],
)
@pytest.mark.parametrize("url", ["s3://bucket/audits", "https://example.com/x", "file:///tmp/x"])
def test_an_output_url_is_refused_not_made_a_local_folder(
    run_cli, tmp_path, monkeypatch, command, url
):
    monkeypatch.chdir(tmp_path)
    result = run_cli(*command, "--output-dir", url)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output == (
        f"wa-audit: error: Invalid value for '--output-dir': {url}: {REMOTE_REASON} "
        f"(see 'wa-audit {command[0]} --help')\n"
    )
    assert list(tmp_path.iterdir()) == []  # no ./s3: folder


def test_an_output_url_in_the_config_is_refused(run_cli, tmp_path):
    config = tmp_path / "wa-audit.toml"
    config.write_text('output_dir = "s3://bucket/audits"\n')
    result = run_cli("run", "--config", str(config))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.strip().endswith(
        f"bad value for 'output_dir': s3://bucket/audits: {REMOTE_REASON}"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wa-audit.toml"]


def test_a_folder_named_like_a_builtin_scenario_does_not_shadow_it(tmp_path, monkeypatch):
    from wa_audit.sandbox.scenario import builtin_scenarios, load_scenario
    from wa_audit.sandbox.seeders import all_seeders

    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "scenario.toml").write_text(
        'description = "mine"\nregions = ["eu-west-1"]\n'
    )
    assert "org" in builtin_scenarios()
    builtin = load_scenario("org", all_seeders())
    assert builtin.regions == ("us-east-1", "eu-west-1")
    assert "organization" in builtin.sections
    mine = load_scenario("./org", all_seeders())
    assert (mine.regions, mine.sections) == (("eu-west-1",), {})


def test_demo_help_lists_every_builtin_scenario(run_cli):
    from wa_audit.sandbox.scenario import builtin_scenarios

    text = " ".join(run_cli("demo", "--help").output.split())
    listed = text.split("Built-in scenario (", 1)[1].split(")", 1)[0]
    assert [name for name in builtin_scenarios() if name not in listed] == []
    assert builtin_scenarios() == ["clean", "org", "sample"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("run", "--workers", "abc"),
            "Invalid value for '--workers': 'abc' is not a valid integer range. "
            "(see 'wa-audit run --help')",
        ),
        (
            ("run", "--regionx", "eu-west-1"),
            "No such option '--regionx'. Did you mean '--region'? (see 'wa-audit run --help')",
        ),
        (("nosuch",), "No such command 'nosuch'. (see 'wa-audit --help')"),
        (
            ("quotas", "list", "--format", "yaml"),
            "Invalid value for '--format': 'yaml' is not one of 'table', 'json', 'csv'. "
            "(see 'wa-audit quotas list --help')",
        ),
    ],
)
def test_a_bad_flag_is_one_line_naming_the_help_to_read(run_cli, args, line):
    """Bad flags are refused as every other input is: one line, exit 2 (not click's three-line
    usage block)."""
    result = run_cli(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.output == f"wa-audit: error: {line}\n"
