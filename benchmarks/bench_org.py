"""Benchmark ``wa-audit run --org`` against a sandbox organization with injected latency.

    python benchmarks/bench_org.py [--accounts 10 25 50] [--account-workers 2 4 8] [--regions 2]
                                   [--latency-ms 80] [--workers 8]

For each size: an organization of that many member accounts (each seeded with a small scenario:
root user, an IAM user with a key, a budget-less account) is served by the sandbox in this process,
and audited once per --account-workers value (the audit only reads, so one seeding serves them
all). Each audit runs in a child process (``wa-audit run --org``, boto3 over HTTP), so its peak RSS
is its own. Prints one Markdown table row per run as it finishes: wall time, API operations (summed
over the accounts' reports), the child's peak RSS, and wall time per account x account-workers,
which stays flat if wall time grows no faster than accounts / account-workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wa_audit.demo import pointed_at, sandbox_variables
from wa_audit.sandbox.scenario import Scenario, SeedEnv, seed
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.seeders.organization import MemberSpec, OrganizationSection
from wa_audit.sandbox.server import running_sandbox

REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2")
MEMBER_FILES = {
    "root.toml": 'mfa = "virtual"\naccess_keys = 0\n',
    "iam.toml": '[[users]]\nname = "ci"\n[[users.access_keys]]\nage_days = 200\n',
}


def member_scenario(folder: Path, regions: list[str]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    quoted = ", ".join(f'"{r}"' for r in regions)
    (folder / "scenario.toml").write_text(f'description = "member"\nregions = [{quoted}]\n')
    for name, text in MEMBER_FILES.items():
        (folder / name).write_text(text)
    return str(folder)


@dataclass(frozen=True)
class Measured:
    accounts: int
    account_workers: int
    wall_seconds: float
    requests: int
    peak_mb: float
    exit_code: int

    def row(self) -> str:
        per_account = self.wall_seconds * self.account_workers / self.accounts
        return (
            f"| {self.accounts} | {self.account_workers} | {self.wall_seconds:.0f} s | "
            f"{self.requests:,} | {self.peak_mb:.0f} MB | {per_account:.1f} s | {self.exit_code} |"
        )


HEADER = (
    "| accounts (with management) | account-workers | wall time | API operations | "
    "peak RSS of the audit | wall x account-workers / accounts | exit |\n|---|---|---|---|---|---|---|"
)


def audit_once(
    server_url: str, regions: list[str], workers: int, account_workers: int, out: Path
) -> tuple[float, int, float, int]:
    """One ``run --org`` in a child process: wall seconds, API operations, peak MB, exit code."""
    command = [
        sys.executable,
        "-m",
        "wa_audit",
        "run",
        "--org",
        "--quiet",
        "--format",
        "json",
        "--workers",
        str(workers),
        "--account-workers",
        str(account_workers),
        "--output-dir",
        str(out),
        *(f"--region={r}" for r in regions),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 (our own CLI)
        command,
        env={**os.environ, **sandbox_variables(server_url, regions[0])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    requests = sum(
        sum(json.loads(path.read_text())["api_calls"].values())
        for path in out.glob("accounts/*/results.json")
    )
    return elapsed, requests, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def measure(accounts: int, args: argparse.Namespace, scratch: Path) -> Iterator[Measured]:
    """Seed an organization of ``accounts`` members, then audit it with each account-workers."""
    regions = list(REGIONS[: args.regions])
    member = member_scenario(scratch / "member", regions)
    section = OrganizationSection(
        members=tuple(MemberSpec(name=f"member-{n:03d}", scenario=member) for n in range(accounts))
    )
    with running_sandbox() as server, pointed_at(server.url, regions[0]):
        server.reset()
        env = SeedEnv(url=server.url, state=server.state, regions=tuple(regions))
        seed(Scenario("bench", tuple(regions), {"organization": section}), env, all_seeders())
        server.state.faults.latency_seconds = args.latency_ms / 1000
        for account_workers in args.account_workers:
            out = scratch / f"out-{accounts}-{account_workers}"
            elapsed, requests, peak_mb, code = audit_once(
                server.url, regions, args.workers, account_workers, out
            )
            yield Measured(accounts + 1, account_workers, elapsed, requests, peak_mb, code)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--regions", type=int, default=2, choices=[1, 2, 3, 4])
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--account-workers", type=int, nargs="+", default=[4])
    args = parser.parse_args()
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    print(
        f"{args.regions} regions, latency {args.latency_ms:.0f} ms/request, --workers {args.workers}; load "
        f"average {os.getloadavg()[0]:.1f}; this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB before seeding\n"
    )
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        for accounts in args.accounts:
            for measured in measure(accounts, args, Path(scratch)):
                print(measured.row(), flush=True)


if __name__ == "__main__":
    main()
