"""Ctrl-C and closed pipes, for real: the CLI as a subprocess, signals and pipes from the kernel.

The sandbox (in this process) adds latency to every request, so an uninterrupted audit would run
for minutes; each test waits on a condition (requests seen), never on a clock, and the generous
``wait(timeout=…)`` only keeps a broken build from hanging.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT_CHECKS
from wa_audit.exitcodes import ExitCode
from wa_audit.progress import IDENTIFYING

LATENCY = 1.0  # seconds per request: ~60 facts on 2 workers would take half a minute or more
ENOUGH = 60  # seconds: only a hung process takes this long


class RequestLog:
    """Counts the requests the sandbox receives, and wakes a test once it has seen enough."""

    def __init__(self, faults: Any) -> None:
        self._apply = faults.apply
        self._seen = 0
        self._changed = threading.Condition()

    def apply(self, *args: Any) -> Any:
        with self._changed:
            self._seen += 1
            self._changed.notify_all()
        return self._apply(*args)

    @property
    def seen(self) -> int:
        with self._changed:
            return self._seen

    def wait_for(self, count: int) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self._seen >= count, timeout=ENOUGH)


@pytest.fixture
def slow_sandbox(sandbox, monkeypatch):
    log = RequestLog(sandbox.state.faults)
    monkeypatch.setattr(sandbox.state.faults, "apply", log.apply)
    sandbox.state.faults.latency_seconds = LATENCY
    yield log
    sandbox.state.faults.latency_seconds = 0.0


def _start(*args: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wa_audit", *args],
        stdout=popen.pop("stdout", subprocess.PIPE),
        stderr=popen.pop("stderr", subprocess.PIPE),
        text=True,
        **popen,
    )


def _earlier_results(folder: Path) -> bytes:
    folder.mkdir()
    earlier = b'{"an": "earlier run"}\n'
    (folder / "results.json").write_bytes(earlier)
    return earlier


@pytest.mark.parametrize("signals", [1, 2], ids=["one-ctrl-c", "two-ctrl-c"])
def test_ctrl_c_while_fetching_exits_130_and_leaves_earlier_results(
    slow_sandbox, tmp_path, signals
):
    out = tmp_path / "out"
    earlier = _earlier_results(out)
    process = _start("run", "--output-dir", str(out), "--format", "json,csv", "--workers", "2")
    slow_sandbox.wait_for(5)  # identity and regions done; the fact store is fetching
    for _ in range(signals):
        process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=ENOUGH)
    seen_at_exit = slow_sandbox.seen

    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["results.json"]  # no temp, no lock file
    assert (out / "results.json").read_bytes() == earlier
    # Queued fetches were cancelled: at most the two in flight reached the sandbox meanwhile.
    assert seen_at_exit <= 5 + 2


def test_ctrl_c_with_timestamped_leaves_no_empty_folder(slow_sandbox, tmp_path):
    process = _start("run", "--output-dir", str(tmp_path), "--timestamped", "--workers", "2")
    slow_sandbox.wait_for(5)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=ENOUGH)
    assert process.returncode == ExitCode.INTERRUPTED
    assert list(tmp_path.iterdir()) == []


HELD = """
import os, signal
from wa_audit import interrupts

interrupts.install()
try:
    with interrupts.held():
        os.kill(os.getpid(), signal.SIGINT)
        print("files written", flush=True)
except KeyboardInterrupt:
    print("interrupted after writing", flush=True)
"""


def _script(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=ENOUGH, check=False
    )


def test_ctrl_c_while_writing_waits_for_the_files_then_stops(tmp_path):
    result = _script(HELD, tmp_path)
    assert result.stdout == "files written\ninterrupted after writing\n"


SECOND = """
import os, signal
from wa_audit import interrupts

interrupts.install()
with interrupts.held():
    os.kill(os.getpid(), signal.SIGINT)
    print("writing", flush=True)
    with interrupts.removed_if_killed({temporary!r}):
        open({temporary!r}, "w").close()
        os.kill(os.getpid(), signal.SIGINT)
        print("still running", flush=True)
"""


def test_second_ctrl_c_exits_at_once_and_removes_the_temporary_file(tmp_path):
    temporary = tmp_path / ".results.json.tmp"
    result = _script(SECOND.format(temporary=str(temporary)), tmp_path)
    assert result.returncode == ExitCode.INTERRUPTED
    assert result.stdout == "writing\n"
    assert result.stderr.strip() == "wa-audit: interrupted again: exiting now"
    assert not temporary.exists()


def test_exit_code_survives_a_closed_pipe(sandbox, tmp_path):
    """`wa-audit run | true`: the reader is gone before the summary is printed."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as closed_pipe:
        process = _start(
            "run",
            *ROOT_CHECKS,
            "--region",
            "us-east-1",
            "--output-dir",
            str(tmp_path),
            stdout=closed_pipe,
        )
    _stdout, stderr = process.communicate(timeout=ENOUGH)
    assert process.returncode == ExitCode.FAILED, stderr
    assert stderr == "wa-audit: Identifying the account and its regions…\n"  # and nothing else
    assert (tmp_path / "results.json").is_file()


def _closed_pipe_run(*args: str, stderr_too: bool = False) -> subprocess.CompletedProcess[str]:
    """The CLI with its standard output (and error, as with ``2>&1``) on a pipe nobody reads."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as closed_pipe:
        process = _start(
            *args, stdout=closed_pipe, **({"stderr": closed_pipe} if stderr_too else {})
        )
    stdout, stderr = process.communicate(timeout=ENOUGH)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_quota_request_exit_code_survives_a_closed_pipe(sandbox):
    """`quotas request … --yes | true`: a refusal still exits 1 (before: 0, click.echo raised)."""
    result = _closed_pipe_run("quotas", "request", "iam/L-F55AF5E4", "--value", "6000", "--yes")
    assert result.returncode == ExitCode.FAILED, result.stderr
    assert result.stderr == f"wa-audit: {IDENTIFYING}…\n"  # and no traceback


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("run", "--region", "us-east-7"), ExitCode.USAGE),  # our error (before: click's 1)
        (("run", "--no-such-flag"), ExitCode.USAGE),  # click's own usage error
        (("quotas", "request", "ec2/L-0263D0A3", "--value", "nan"), ExitCode.USAGE),
    ],
    ids=["our-usage-error", "click-usage-error", "bad-number"],
)
def test_usage_errors_exit_2_with_standard_error_closed_too(sandbox, args, code):
    """`wa-audit run --region bad 2>&1 | true`: the error cannot be shown, its code still holds."""
    result = _closed_pipe_run(*args, stderr_too=True)
    assert result.returncode == code


def test_ctrl_c_at_the_quota_confirmation_prompt_exits_130_and_files_nothing(
    sandbox, run_cli, monkeypatch
):
    """click turns Ctrl-C at a prompt into Abort, which click itself would report as exit 1."""
    import click.termui

    from wa_audit.quotas import cli as cli_quotas
    from wa_audit.sandbox.extensions.servicequotas import account

    def ctrl_c(_prompt: str) -> str:
        raise KeyboardInterrupt

    ec2 = sandbox.client("ec2")
    for _ in range(4):
        ec2.allocate_address(Domain="vpc")
    monkeypatch.setattr(cli_quotas, "_stdin_is_interactive", lambda: True)
    monkeypatch.setattr(click.termui, "visible_prompt_func", ctrl_c)
    result = run_cli(
        "quotas", "request", "ec2/L-0263D0A3", "--value", "10", "--region", "us-east-1"
    )
    assert result.exit_code == ExitCode.INTERRUPTED, result.output
    assert "wa-audit: interrupted\n" in result.output
    assert account(sandbox.state, "123456789012").requests == []
