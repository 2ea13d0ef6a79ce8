"""One source for each default, and one session factory that every command's AWS calls go through.

Attempts are counted by the sandbox: it throttles an operation a given number of times, so the
throttles left over say how many attempts botocore made before giving up.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wa_audit.config import Config
from wa_audit.defaults import (
    DEFAULT_ACCOUNT_WORKERS,
    DEFAULT_FAIL_ON,
    DEFAULT_FORMATS,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_WORKERS,
)
from wa_audit.models import Severity
from wa_audit.org.assume import assumed_session
from wa_audit.org.run import OrgRequest
from wa_audit.session import open_session, pool_size

THROTTLED = ("service-quotas", "ListRequestedServiceQuotaChangeHistory")
"""Read once per region by every quota command and by rel.service-quotas."""


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """Retry at once: the number of attempts is under test here, not botocore's wait between them
    (its backoff, and the adaptive mode's slower sending after a throttle)."""
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda _self, _context: 0
    )
    monkeypatch.setattr(
        "botocore.retries.adaptive.ClientRateLimiter.on_sending_request", lambda *_a, **_k: None
    )


COMMANDS = {
    "quotas list": ("quotas", "list", "--region", "us-east-1"),
    "quotas history": ("quotas", "history", "--region", "us-east-1"),
    "quotas request": ("quotas", "request", "--above", "0", "--dry-run", "--region", "us-east-1"),
    "run": ("run", "--region", "us-east-1", "--check", "rel.service-quotas", "--format", "json"),
}


CASES = [
    ("quotas list", 1),
    ("quotas list", 3),
    ("quotas history", 2),
    ("quotas request", 2),
    ("run", 2),
]


@pytest.mark.parametrize(("name", "max_attempts"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_every_command_makes_max_attempts_from_the_config(
    sandbox, run_cli, tmp_path, monkeypatch, name, max_attempts
):
    command = COMMANDS[name]
    monkeypatch.chdir(tmp_path)  # run writes its results here
    config = tmp_path / "wa-audit.toml"
    config.write_text(f"max_attempts = {max_attempts}\n", encoding="utf-8")
    sandbox.state.faults.throttle(*THROTTLED, times=100)

    result = run_cli(*command, "--config", str(config))

    attempts = 100 - sandbox.state.faults.throttles[THROTTLED]
    assert attempts == max_attempts, result.output
    assert "internal error" not in result.output


def _auditor_role(sandbox) -> str:
    """A role in the caller's own account that the account trusts; its ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = sandbox.client("iam").create_role(
        RoleName="Auditor", AssumeRolePolicyDocument=json.dumps(trust)
    )
    return role["Role"]["Arn"]


def test_an_assumed_role_is_tuned_by_the_config_too(sandbox, run_cli, tmp_path, monkeypatch):
    """``run --role-arn``: the role's session comes from the same factory as the caller's."""
    arn = _auditor_role(sandbox)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "wa-audit.toml"
    config.write_text("max_attempts = 3\n", encoding="utf-8")
    sandbox.state.faults.throttle(*THROTTLED, times=100)

    result = run_cli(*COMMANDS["run"], "--role-arn", arn, "--config", str(config))

    assert 100 - sandbox.state.faults.throttles[THROTTLED] == 3, result.output
    assert "internal error" not in result.output


def test_assumed_sessions_take_every_setting_from_the_config(sandbox):
    """Retries, timeouts and the connection pool, as ``open_session`` sets them for the caller."""
    config = Config(max_attempts=5, read_timeout=7.0, call_timeout=11.0, workers=3)
    arn = _auditor_role(sandbox)
    mine = open_session(None, config)
    member = assumed_session(mine, arn, external_id=None, region="us-east-1", config=config)
    for session in (mine, member):
        client_config = session.client("ec2", "us-east-1").meta.config
        assert client_config.retries == {"mode": "adaptive", "total_max_attempts": 5}
        assert (client_config.read_timeout, session.guard.call_timeout) == (7.0, 11.0)
        assert client_config.max_pool_connections == pool_size(3)
    assert member.identity().arn == "arn:aws:sts::123456789012:assumed-role/Auditor/wa-audit"


def test_without_a_config_the_default_attempts_apply(sandbox, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no wa-audit.toml here
    sandbox.state.faults.throttle(*THROTTLED, times=100)
    run_cli(*COMMANDS["quotas list"])
    assert 100 - sandbox.state.faults.throttles[THROTTLED] == DEFAULT_MAX_ATTEMPTS


def test_help_states_the_defaults_from_their_one_source(run_cli):
    help_text = " ".join(run_cli("run", "--help").output.split())
    assert f"Concurrent fetches (default {DEFAULT_WORKERS})" in help_text
    assert f"at or above this severity (default {DEFAULT_FAIL_ON.value})" in help_text
    assert f"(default: the config's formats, else {','.join(DEFAULT_FORMATS)};" in help_text
    assert (
        "--account-workers INTEGER RANGE With --org: accounts audited at once (--workers bounds "
        f"requests in flight). [default: {DEFAULT_ACCOUNT_WORKERS};" in help_text
    )
    assert OrgRequest().account_workers == DEFAULT_ACCOUNT_WORKERS


@pytest.mark.parametrize("command", [(), ("run",), ("demo",), ("merge",), ("accounts",)])
def test_the_exit_code_epilog_states_the_fail_on_default_from_its_one_source(run_cli, command):
    help_text = " ".join(run_cli(*command, "--help").output.split())
    assert "Exit codes:" in help_text
    assert (
        f"0 Audit complete; no FAIL at or above --fail-on (default {DEFAULT_FAIL_ON.value})."
        in (help_text)
    )
    others = {s.value for s in Severity} - {DEFAULT_FAIL_ON.value}
    assert not any(f"--fail-on (default {other})" in help_text for other in others)


def test_the_exit_code_epilog_follows_the_default_when_it_changes():
    """Built from the default, not a copy of it: with another default the epilog says so."""
    program = (
        "import wa_audit.defaults as d\n"
        "from wa_audit.models import Severity\n"
        "d.DEFAULT_FAIL_ON = Severity.CRITICAL\n"
        "from wa_audit.exitcodes import EXIT_CODE_HELP\n"
        "print(EXIT_CODE_HELP)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "no FAIL at or above --fail-on (default critical)." in shown
