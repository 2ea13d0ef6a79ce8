"""Benchmark a full audit against the sandbox with injected latency, many regions, a large account.

    python benchmarks/bench_audit.py [--latency-ms 80] [--regions 17] [--users 300] [--workers 1 8 16]

Prints one line per worker count: wall time, API operations made, and the slowest facts' share.
The sandbox runs in this process on loopback; latency is added by the sandbox to every request,
as a far-away AWS region would.
"""

from __future__ import annotations

import argparse
import os
import time

from wa_audit.aws import AwsSession
from wa_audit.config import Config
from wa_audit.demo import pointed_at
from wa_audit.registry import discover
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.scenario import SeedEnv, load_scenario, seed
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.server import running_sandbox
from wa_audit.session import open_session


def seed_large_account(url: str, regions: list[str], users: int, topics_per_region: int) -> None:
    """Many IAM users and SNS subscriptions: the credential report and list calls must scale."""
    import boto3

    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=url)
    for n in range(users):
        iam.create_user(UserName=f"user-{n:04d}")
        if n % 3 == 0:
            iam.create_access_key(UserName=f"user-{n:04d}")
    for region in regions:
        sns = boto3.client("sns", region_name=region, endpoint_url=url)
        for n in range(topics_per_region):
            topic = sns.create_topic(Name=f"topic-{n}")["TopicArn"]
            sns.subscribe(
                TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{region}:123456789012:q{n}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument(
        "--regions", type=int, default=17, help="How many enabled regions to audit."
    )
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--topics", type=int, default=20, help="SNS topics per region.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 8, 16])
    args = parser.parse_args()

    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    seeders = all_seeders()
    scenario = load_scenario("sample", seeders)
    with running_sandbox() as server, pointed_at(server.url, "us-east-1"):
        seed(
            scenario, SeedEnv(url=server.url, state=server.state, regions=scenario.regions), seeders
        )
        listed = AwsSession().client("ec2", "us-east-1").describe_regions()["Regions"]
        regions = tuple(sorted(r["RegionName"] for r in listed)[: args.regions])
        seed_large_account(server.url, list(regions), args.users, args.topics)
        server.state.faults.latency_seconds = args.latency_ms / 1000
        checks = discover()
        print(
            f"{len(checks)} checks, {len(regions)} regions, {args.users} IAM users, "
            f"{args.topics} SNS topics/region, {args.latency_ms:.0f} ms latency per request"
        )
        for workers in args.workers:
            session = open_session(None, Config(), workers)
            started = time.perf_counter()
            report = run_audit(session, checks, RunOptions(regions=regions, workers=workers))
            elapsed = time.perf_counter() - started
            calls = sum(report.api_calls.values())
            print(
                f"workers={workers:>2}: {elapsed:6.1f} s, {calls} API operations, "
                f"{len(report.findings)} findings, exit {report.exit_code}"
            )


if __name__ == "__main__":
    main()
