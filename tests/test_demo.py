"""`wa-audit demo` as a user runs it: loopback only, nothing left behind, the normal exit codes."""

from __future__ import annotations

import json
import os
import queue
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib.resources import files

import boto3
import pytest

from wa_audit.exitcodes import ExitCode

SAMPLE_REGIONS = ["us-east-1", "eu-west-1"]

# Loaded by the demo's interpreter before anything else: every connection, datagram and name lookup
# is written to a log, and any that would leave the machine is refused.
NETWORK_GUARD = """
import ipaddress, os, socket

_log = os.environ["WA_AUDIT_NETWORK_LOG"]


def _loopback(host):
    if host is None or host == "localhost":
        return True
    if isinstance(host, bytes):
        host = host.decode()
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _seen(kind, host):
    with open(_log, "a") as log:
        log.write(f"{kind} {host}\\n")
    if not _loopback(host):
        raise ConnectionRefusedError(f"off-machine {kind}: {host}")


def _guard(method):
    def guarded(sock, address, *rest):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            _seen(method.__name__, address[0])
        return method(sock, address, *rest)
    return guarded


def _guard_sendto(sock, data, *rest):
    address = rest[-1]
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        _seen("sendto", address[0])
    return _real_sendto(sock, data, *rest)


_real_sendto = socket.socket.sendto
socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
socket.socket.sendto = _guard_sendto
_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    _seen("resolve", host)
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo
"""


def _clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {**env, **extra}


def _demo(tmp_path, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "wa_audit", "demo", "--output-dir", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env or _clean_environment(),
        cwd=tmp_path,
        check=False,
    )


def test_sample_account_from_a_users_shell(tmp_path):
    """The README's command: default output folder, the main problems named, exit 1; and the
    guarantees: loopback only, no process left, under 30 s of CPU on this 2-core machine."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD)
    network_log = tmp_path / "network.log"
    env = _clean_environment(
        PYTHONPATH=str(guard),
        WA_AUDIT_NETWORK_LOG=str(network_log),
        # A user's own AWS settings must not reach the demo (nor the demo reach their account).
        AWS_PROFILE="someone-elses-production",
        AWS_ACCESS_KEY_ID="AKIAREALKEYREALKEY12",
        AWS_SECRET_ACCESS_KEY="real-secret",
        AWS_SESSION_TOKEN="real-token",
    )
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    demo = subprocess.Popen(
        [sys.executable, "-m", "wa_audit", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    stdout, stderr = demo.communicate(timeout=120)
    elapsed = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)

    assert demo.returncode == ExitCode.FAILED, stderr
    report = json.loads((tmp_path / "wa-audit-demo" / "results.json").read_text())
    assert report["regions"] == SAMPLE_REGIONS
    assert report["account_id"] == "123456789012"
    assert "Top failures (" in stdout
    assert "sec.root-mfa" in stdout
    assert "Wrote " in stdout

    lookups = network_log.read_text().split("\n")[:-1]
    assert any(line.startswith("connect 127.0.0.1") for line in lookups), lookups
    assert all(line.split(" ", 1)[1] in ("127.0.0.1", "localhost") for line in lookups), lookups
    with pytest.raises(ProcessLookupError):
        os.killpg(demo.pid, 0)  # nothing of the demo's process group is left
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    # Wall time depends on what else the machine runs; CPU time is what the demo itself costs.
    assert cpu < 30, f"{cpu:.1f}s of CPU ({elapsed:.1f}s wall)"


def test_clean_scenario_passes_with_exit_0(run_cli, tmp_path):
    # Every check must pass (or not apply) on the clean account. In-process: the subprocess path
    # is proven by the sample account's test above, and an interpreter start costs seconds.
    result = run_cli("demo", "--scenario", "clean", "--quiet", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["findings"]
    assert {f["status"] for f in report["findings"]} <= {"PASS", "NOT_APPLICABLE"}


@pytest.mark.parametrize("scenario", ["nonesuch"])
def test_unknown_scenario_is_usage_error(tmp_path, scenario):
    result = _demo(tmp_path, "--scenario", scenario)
    assert result.returncode == 2
    assert "unknown scenario 'nonesuch'" in result.stderr


# -- in-process: the same command under the test session's no-network guard --------------------


def test_demo_writes_every_available_format_by_default_and_leaves_no_thread(
    run_cli, tmp_path, monkeypatch
):
    from wa_audit.formats import available_formats

    monkeypatch.chdir(tmp_path)
    before = set(threading.enumerate())
    result = run_cli("demo", "--quiet")
    assert result.exit_code == ExitCode.FAILED, result.output
    written = sorted(p.name for p in (tmp_path / "wa-audit-demo").iterdir())
    assert written == sorted(f"results.{f.suffix}" for f in available_formats().values())
    assert set(threading.enumerate()) - before == set()


def test_scenario_from_a_folder(run_cli, tmp_path):
    folder = tmp_path / "my-account"
    folder.mkdir()
    (folder / "scenario.toml").write_text(
        'description = "A one-region account"\nregions = ["eu-west-1"]\n'
    )
    (folder / "root.toml").write_text('mfa = "virtual"\naccess_keys = 0\n')
    result = run_cli(
        "demo",
        "--scenario",
        str(folder),
        "--check",
        "sec.root-mfa",
        "--output-dir",
        str(tmp_path / "out"),
    )
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    assert report["regions"] == ["eu-west-1"]
    by_check = {f["check_id"]: f["status"] for f in report["findings"]}
    assert by_check["sec.root-mfa"] == "PASS"


def test_bad_scenario_folder_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "scenario.toml").write_text('description = "x"\nregions = ["us-east-1"]\n')
    (tmp_path / "root.toml").write_text('mfa = "sometimes"\n')
    result = run_cli("demo", "--scenario", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert "root.toml: mfa:" in result.output


# -- --serve: a long-running process another shell points at -------------------------------------


def _read_until(stream, marker: str, timeout: float) -> list[str]:
    """Lines from ``stream`` up to the one containing ``marker`` (read on a thread: no blocking)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while not any(marker in line for line in seen):
        try:
            seen.append(lines.get(timeout=max(0.0, deadline - time.monotonic())).rstrip("\n"))
        except queue.Empty:
            pytest.fail(f"no {marker!r} after {timeout}s in {seen}")
    return seen


def _shell_environment(lines: list[str]) -> dict[str, str]:
    """What a shell has after running the printed lines (in the test's clean environment)."""
    env = _clean_environment()
    for line in lines:
        if line.startswith("export "):
            name, value = line[len("export ") :].split("=", 1)
            env[name] = value
        elif line.startswith("unset "):
            for name in line.split()[1:]:
                env.pop(name, None)
    return env


def test_serve_prints_the_shell_lines_first_and_serves_until_interrupted(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "wa_audit", "demo", "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_environment(),
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        lines = _read_until(server.stdout, "Ctrl-C", timeout=90)
        assert lines[0].startswith("export AWS_ENDPOINT_URL=http://127.0.0.1:")
        assert "export AWS_ACCESS_KEY_ID=testing" in lines
        assert "export AWS_SECRET_ACCESS_KEY=testing" in lines
        env = _shell_environment(lines)

        # What the AWS CLI would see with those variables: boto3's own resolution of them.
        session = boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_DEFAULT_REGION"],
        )
        ec2 = session.client("ec2", endpoint_url=env["AWS_ENDPOINT_URL"])
        names = {
            tag["Value"]
            for reservation in ec2.describe_instances()["Reservations"]
            for instance in reservation["Instances"]
            for tag in instance.get("Tags", [])
            if tag["Key"] == "Name"
        }
        assert {"mublog-api-1", "mublog-search-1"} <= names

        audit = subprocess.run(
            # One check is enough to show the shell lines reach the sandbox; all of them would
            # audit the whole sample account again.
            [
                *(sys.executable, "-m", "wa_audit", "run", "--region", "us-east-1", "--quiet"),
                *("--check", "sec.root-mfa"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**env, "PATH": os.environ.get("PATH", "")},
            cwd=tmp_path,
            check=False,
        )
        assert audit.returncode == ExitCode.FAILED, audit.stdout + audit.stderr
        report = json.loads((tmp_path / "wa-audit-results" / "results.json").read_text())
        assert report["regions"] == ["us-east-1"]

        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, stderr
    assert "stopped" in stderr
    assert "Traceback" not in stderr


def test_baseline_flow_over_two_demo_runs_with_a_change(run_cli, tmp_path):
    """The nightly-job flow on the sample account: fix the root user between two runs. The first
    run also shows run's options applying to the demo (--fail-on never, --format json)."""
    first = tmp_path / "first"
    result = run_cli(
        "demo", "--quiet", "--fail-on", "never", "--format", "json", "--output-dir", str(first)
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in first.iterdir()) == ["results.json"]
    before = json.loads((first / "results.json").read_text())
    assert before["fail_on"] is None
    assert {f["status"] for f in before["findings"]} >= {"FAIL"}

    fixed = tmp_path / "fixed-root"
    shutil.copytree(files("wa_audit.sandbox").joinpath("scenarios", "sample"), fixed)
    (fixed / "root.toml").write_text(
        (fixed / "root.toml").read_text().replace('mfa = "none"', 'mfa = "hardware"')
    )
    second = tmp_path / "second"
    result = run_cli(
        "demo",
        "--scenario",
        str(fixed),
        "--baseline",
        str(first / "results.json"),
        "--fail-on-new",
        "--format",
        "json",
        "--output-dir",
        str(second),
    )
    report = json.loads((second / "results.json").read_text())
    resolved = {(f["check_id"], f["resource"]) for f in report["baseline"]["resolved"]}
    assert ("sec.root-mfa", "arn:aws:iam::123456789012:root") in resolved
    # The sample account's resource ids are the same every run: nothing else is new or resolved.
    assert [
        (f["check_id"], f["resource"]) for f in report["findings"] if f["change"]["kind"] == "new"
    ] == []
    assert {check for check, _ in resolved} == {"sec.root-mfa"}
    by_key = {(f["check_id"], f["region"], f["resource"]): f for f in report["findings"]}
    root_mfa = by_key[("sec.root-mfa", "global", "arn:aws:iam::123456789012:root")]
    assert (root_mfa["status"], root_mfa["change"]["kind"]) == ("PASS", "changed")
    keys = by_key[("sec.root-access-keys", "global", "arn:aws:iam::123456789012:root")]
    assert keys["change"]["kind"] == "unchanged"  # still failing, but not new
    # Nothing new at or above high: the gate stays green although old failures remain.
    assert result.exit_code == 0, result.output
    assert any(f["status"] == "FAIL" and f["severity"] == "critical" for f in report["findings"])


def test_serve_stops_cleanly_on_sigterm_as_on_ctrl_c():
    """A process manager (systemd, docker stop) sends SIGTERM: the wait ends as on Ctrl-C, so
    the sandbox is shut down and the process exits 0 (the subprocess test above covers SIGINT)."""
    from wa_audit.demo import _wait_for_interrupt

    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    _wait_for_interrupt()  # returns instead of the process being killed
    timer.join()
    assert signal.getsignal(signal.SIGTERM) is before
