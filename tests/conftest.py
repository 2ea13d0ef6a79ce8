"""Fixtures: one sandbox server per session, reset between tests, and no way off the machine."""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result
from pydantic import BaseModel

from wa_audit.aws import AwsSession, keep_host_labels_off_local_endpoint
from wa_audit.cli import cli
from wa_audit.models import Report
from wa_audit.registry import discover
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.scenario import Scenario, SeedEnv, load_scenario, seed
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.server import SandboxServer
from wa_audit.sandbox.shared_models import share_parsed_models
from wa_audit.sandbox.state import SandboxState

ACCOUNT_ID = "123456789012"  # moto's default account
REGION = "us-east-1"


def _is_loopback(host: Any) -> bool:
    if not isinstance(host, str) or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """Fail any connection or lookup that would leave the machine (a real AWS endpoint, say)."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"test tried to reach {address}: off-machine traffic")
        return real_connect(sock, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise socket.gaierror(f"test tried to resolve {host!r}: off-machine traffic")
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded_connect)
        patch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
        yield


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One in-process sandbox per worker; like the demo, its process parses each botocore data file
    once (every test's seeding clients, moto and the audit's session would each parse EC2's model)."""
    share_parsed_models()
    server = SandboxServer().start()
    yield server
    server.stop()


def sandbox_env(url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/nonexistent/wa-audit-test-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/wa-audit-test-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@dataclass
class Sandbox:
    """A fresh account on the sandbox server, and clients to seed it."""

    url: str
    state: SandboxState

    def scenario(self, name: str = "sample") -> Scenario:
        return load_scenario(name, all_seeders())

    def seed_section(
        self, name: str, section: BaseModel, regions: tuple[str, ...] = (REGION,)
    ) -> None:
        """Seed one section alone (a scenario of one), e.g. to change the root user mid-test."""
        self.seed(Scenario("test", regions, {name: section}))

    def seed(self, scenario: Scenario | str) -> Scenario:
        """Build a scenario (or a variant from ``Scenario.with_section``) in this account."""
        if isinstance(scenario, str):
            scenario = self.scenario(scenario)
        seed(
            scenario,
            SeedEnv(url=self.url, state=self.state, regions=scenario.regions),
            all_seeders(),
        )
        return scenario

    def client(self, service: str, region: str = REGION) -> Any:
        client = boto3.client(service, region_name=region, endpoint_url=self.url)
        keep_host_labels_off_local_endpoint(client)  # S3 Control would add an account label
        return client

    def post(self, path: str, body: bytes) -> None:
        request = urllib.request.Request(
            self.url + path, data=body, method="POST", headers={"Content-Type": "text/plain"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def enforce_iam(
        self, monkeypatch: pytest.MonkeyPatch, deny: list[str], resources: tuple[str, ...] = ("*",)
    ) -> None:
        """Calls from now on come from a user whose policy denies ``deny`` (on ``resources``): a
        real AccessDenied."""
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": deny, "Resource": list(resources)},
            ],
        }
        self.act_as(monkeypatch, self.user_with_policy("auditor", policy))

    def user_with_policy(self, name: str, policy: dict[str, Any]) -> dict[str, str]:
        """A new IAM user whose only policy is ``policy``: its access key (made unenforced)."""
        self.post("/moto-api/reset-auth", b"inf")
        iam = self.client("iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="audit", PolicyDocument=json.dumps(policy))
        key: dict[str, str] = iam.create_access_key(UserName=name)["AccessKey"]
        return key

    def act_as(self, monkeypatch: pytest.MonkeyPatch, key: dict[str, str]) -> None:
        """Calls from now on use ``key`` (from :meth:`user_with_policy`), IAM enforced."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        self.post("/moto-api/reset-auth", b"0")


@pytest.fixture
def sandbox(sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """An empty account; the process environment points boto3 (and wa-audit) at the sandbox."""
    sandbox_server.reset()
    for name, value in sandbox_env(sandbox_server.url).items():
        monkeypatch.setenv(name, value)
    box = Sandbox(sandbox_server.url, sandbox_server.state)
    yield box
    box.post("/moto-api/reset-auth", b"inf")


def _audit_of(server: SandboxServer, scenario_name: str) -> Report:
    """Every check over a freshly seeded scenario; the account is emptied again afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sandbox_env(server.url).items():
            patch.setenv(name, value)
        server.reset()
        try:
            scenario = Sandbox(server.url, server.state).seed(scenario_name)
            return run_audit(AwsSession(), discover(), RunOptions(regions=scenario.regions))
        finally:
            server.reset()


@pytest.fixture(scope="session")
def sample_report(sandbox_server: SandboxServer) -> Report:
    """The full audit of the sample account, made once per worker: seeding and auditing it costs
    seconds of CPU, and many tests only read its verdicts. Treat it as read-only."""
    return _audit_of(sandbox_server, "sample")


@pytest.fixture(scope="session")
def clean_report(sandbox_server: SandboxServer) -> Report:
    """The full audit of the clean account, made once per worker (read-only, as sample_report)."""
    return _audit_of(sandbox_server, "clean")


@pytest.fixture
def run_cli(tmp_path: Any) -> Any:
    """Invoke the CLI in-process (boto3 still talks HTTP to the sandbox)."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, prog_name="wa-audit")

    return invoke
