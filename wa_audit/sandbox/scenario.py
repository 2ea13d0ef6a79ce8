"""Scenarios: a sample account as data, and the seeders that build it in the sandbox.

A scenario is a folder of TOML files, one per section (``iam.toml``, ``cost.toml`` …). Each section
has a pydantic model and a seeder that creates it through boto3 over HTTP, exactly as a user would,
or in the sandbox's own state where AWS offers no write API (the root user, Health events).
Tests vary a scenario with :meth:`Scenario.with_section`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, TypeVar

import boto3
from botocore.config import Config
from pydantic import BaseModel, ConfigDict, ValidationError

from wa_audit.aws import keep_host_labels_off_local_endpoint
from wa_audit.config import read_toml
from wa_audit.errors import UsageError
from wa_audit.sandbox.ids import rebuild_ec2_backend, seed_ids
from wa_audit.sandbox.protocol import DEFAULT_ACCOUNT_ID
from wa_audit.sandbox.state import SandboxState

S = TypeVar("S", bound=BaseModel)
SANDBOX_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class SectionModel(BaseModel):
    """Base of every section: strict, so a typo in a scenario file is an error, not a no-op."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass
class SeedEnv:
    """What a seeder may use: clients against the sandbox, its state, the scenario's clock."""

    url: str
    state: SandboxState
    regions: tuple[str, ...]
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    account_id: str = DEFAULT_ACCOUNT_ID
    outputs: dict[str, Any] = field(default_factory=dict)
    """Values one seeder leaves for later ones (the alerts topic's ARN, say)."""

    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def client(self, service: str, region: str | None = None) -> Any:
        """One client per service and region: creating a boto3 client costs tens of ms."""
        key = (service, region or self.regions[0])
        if key not in self._clients:
            if self.account_id == DEFAULT_ACCOUNT_ID:
                self._clients[key] = _default_account_client(self.url, *key)
            else:
                self._clients[key] = _new_client(self.url, *key)
                self._clients[key].meta.events.register("before-sign", self._as_account)
        return self._clients[key]

    def _as_account(self, request: Any, **_: Any) -> None:
        """Seed another account of the sandbox (an organization's member): moto and the
        extensions attribute a request carrying this header to that account."""
        request.headers["x-moto-account-id"] = self.account_id

    def for_account(self, account_id: str) -> SeedEnv:
        """The same sandbox and clock, seeding ``account_id``."""
        return SeedEnv(
            url=self.url,
            state=self.state,
            regions=self.regions,
            now=self.now,
            account_id=account_id,
        )


@dataclass(frozen=True)
class Seeder(Generic[S]):
    section: str
    model: type[S]
    seed: Callable[[S, SeedEnv], None]


@dataclass(frozen=True)
class Scenario:
    name: str
    regions: tuple[str, ...]
    sections: dict[str, BaseModel]

    def section(self, name: str, model: type[S]) -> S | None:
        value = self.sections.get(name)
        return value if isinstance(value, model) else None

    def with_section(self, name: str, value: BaseModel) -> Scenario:
        return Scenario(self.name, self.regions, {**self.sections, name: value})

    def only(self, *names: str) -> Scenario:
        """The scenario cut down to ``names``: a test seeds what its checks read, nothing more."""
        return Scenario(
            self.name, self.regions, {k: v for k, v in self.sections.items() if k in names}
        )

    def without_section(self, name: str) -> Scenario:
        return Scenario(
            self.name, self.regions, {k: v for k, v in self.sections.items() if k != name}
        )


class ScenarioFile(SectionModel):
    """``scenario.toml``: what the scenario is and which regions it spans."""

    description: str
    regions: tuple[str, ...]


def builtin_scenarios() -> list[str]:
    root = files("wa_audit.sandbox").joinpath("scenarios")
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir())


def load_scenario(name_or_path: str, seeders: list[Seeder[Any]]) -> Scenario:
    """A built-in scenario by name, or a folder of section files by path.

    A built-in name always means the built-in scenario, whatever folders the current directory
    holds; a folder of the same name is given as a path (``./org``)."""
    folder = Path(name_or_path)
    if name_or_path in builtin_scenarios():
        folder = Path(str(files("wa_audit.sandbox").joinpath("scenarios", name_or_path)))
    elif folder.exists() and not folder.is_dir():
        raise UsageError(f"scenario {name_or_path!r} is a file; give a folder of *.toml files")
    elif not folder.is_dir():
        known = ", ".join(builtin_scenarios())
        raise UsageError(f"unknown scenario {name_or_path!r}; built-in: {known}, or a folder")
    raw = {path.stem: _read(path) for path in sorted(folder.glob("*.toml"))}
    if not raw:
        raise UsageError(f"scenario folder {name_or_path!r} has no *.toml files to seed from")
    header = ScenarioFile.model_validate(raw.pop("scenario", {}))
    by_name = {seeder.section: seeder for seeder in seeders}
    sections: dict[str, BaseModel] = {}
    for section, data in raw.items():
        if section not in by_name:
            raise UsageError(f"{folder / section}.toml: no such scenario section")
        try:
            sections[section] = by_name[section].model.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise UsageError(f"{folder / section}.toml: {where}: {first['msg']}") from error
    return Scenario(folder.name, header.regions, sections)


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, "scenario file")


def _new_client(url: str, service: str, region: str) -> Any:
    client = boto3.client(
        service,  # type: ignore[call-overload]
        region_name=region,
        endpoint_url=url,
        config=Config(retries={"mode": "standard", "max_attempts": 2}),
        **SANDBOX_CREDENTIALS,
    )
    keep_host_labels_off_local_endpoint(client)
    return client


@functools.cache
def _default_account_client(url: str, service: str, region: str) -> Any:
    """Shared by every seeding of the default account in this process (the test suite seeds
    hundreds of accounts into one sandbox); boto3 clients are thread-safe and hold no state."""
    return _new_client(url, service, region)


def seed(scenario: Scenario, env: SeedEnv, seeders: list[Seeder[Any]]) -> None:
    """Apply the sections in the seeders' order (network before instances before alarms)."""
    # moto builds a region's EC2 backend (default VPC, subnets: random ids) on first use, or at
    # reset if the process used it before. Building it here, before the seeded sections, keeps
    # each section's draws the same in a fresh process and in a reused one.
    seed_ids(env.url, f"{env.account_id}/backends")
    for region in env.regions:
        rebuild_ec2_backend(env.account_id, region)
        env.client("ec2", region).describe_vpcs()
    for seeder in seeders:
        section = scenario.sections.get(seeder.section)
        if section is not None:
            # The same ids every time the scenario is built; the account keeps a member account's
            # sections (seeded inside the organization section) from replaying another's ids.
            seed_ids(env.url, f"{env.account_id}/{seeder.section}")
            seeder.seed(section, env)
