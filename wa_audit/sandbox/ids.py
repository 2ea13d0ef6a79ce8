"""Ids the sandbox makes up, drawn from moto's random source so a seeded scenario repeats itself.

moto generates every id from one ``random.Random`` (``/moto-api/seed`` seeds it); drawing ours from
the same source keeps a demo's event ARNs, selection ids and request ids the same run after run.
"""

from __future__ import annotations

import string
import urllib.request
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moto.moto_api._internal.moto_random import MotoRandom

ALPHANUMERIC = string.ascii_letters + string.digits


def source() -> MotoRandom:
    """moto's random source; imported late, as moto is only there with the demo extra."""
    from moto.moto_api._internal import mock_random

    return mock_random


def uuid4() -> str:
    return str(source().uuid4())


def alphanumeric(length: int) -> str:
    chooser = source()
    return "".join(chooser.choice(ALPHANUMERIC) for _ in range(length))


def seed_ids(url: str, name: str) -> None:
    """Seed moto's random source from ``name`` (``/moto-api/seed``), through the running sandbox.

    Seeding per scenario section keeps each section's ids independent of the others: fixing the
    root user in a copy of the sample account leaves every instance and volume id as it was.
    """
    value = zlib.crc32(name.encode("utf-8"))
    request = urllib.request.Request(f"{url}/moto-api/seed?a={value}", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        response.read()


class _SeededUuid:
    """Stands in for the ``uuid`` module where moto draws ids from it rather than its own source."""

    @staticmethod
    def uuid4() -> object:
        return source().uuid4()


def rebuild_ec2_backend(account_id: str, region: str) -> None:
    """Build the region's EC2 backend (default VPC, subnets, security group) anew, from a source
    seeded for the account and region: after a reset moto rebuilds it at once, unseeded, so its
    ids (findings' resources) would change every run.

    Only while the region holds nothing of the account's own (a test may seed sections one after
    another, or create resources before seeding).
    """
    import moto.rds.models
    from moto.ec2.models import ec2_backends

    # RDS names a managed master-user secret ``rds!db-<uuid4>`` from Python's ``uuid``.
    moto.rds.models.uuid = _SeededUuid  # type: ignore[attr-defined,assignment]
    backend = ec2_backends[account_id][region]
    untouched = len(backend.vpcs) <= 1 and not backend.reservations and not backend.addresses
    if untouched:
        source().seed(zlib.crc32(f"{account_id}/ec2/{region}".encode()))
        backend.reset()
