"""botocore's endpoint data (partitions, their regions, global endpoints), read without a session.

A botocore session reads the user's AWS config to find its data path, so a missing profile in
``AWS_PROFILE`` would fail a lookup that needs no credentials at all (the demo refuses an unknown
``--region`` before it isolates itself from the user's AWS settings).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from botocore.loaders import create_loader
from botocore.regions import EndpointResolver


@functools.cache
def endpoint_data() -> dict[str, Any]:
    """Parsed once per process; ``AWS_DATA_PATH`` is honoured as botocore itself does."""
    data: dict[str, Any] = create_loader(os.environ.get("AWS_DATA_PATH")).load_data("endpoints")
    return data


@functools.cache
def partition_regions(partition: str) -> frozenset[str]:
    """The regions botocore knows in ``partition`` (any service's endpoints, EC2's the widest)."""
    resolver = EndpointResolver(endpoint_data())
    return frozenset(resolver.get_available_endpoints("ec2", partition))


@functools.cache
def foreign_regions(partition: str) -> frozenset[str]:
    """Regions botocore places in other partitions (a region list should never mix them; a
    double's may). Regions botocore does not know yet are kept."""
    partitions = EndpointResolver(endpoint_data()).get_available_partitions()
    return frozenset(r for p in partitions if p != partition for r in partition_regions(p))
