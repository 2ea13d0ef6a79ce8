"""The one way a command builds its AWS session from the profile and the config.

``run``, ``demo``, every ``quotas`` command and every assumed role (``run --org``, ``--role-arn``)
come through here, so a config key that tunes the session (``max_attempts``, ``workers``, the
timeouts) reaches all of them. The region and the endpoint come from
the standard AWS chain (``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``), which is how the demo points
the same session at its sandbox.
"""

from __future__ import annotations

import boto3

from wa_audit.aws import AwsSession
from wa_audit.config import Config

SPARE_CONNECTIONS = 2
"""Beyond one connection per worker: the identity call and a fetch's nested call never wait."""


def pool_size(workers: int) -> int:
    """Connections per client for ``workers`` concurrent fetches."""
    return workers + SPARE_CONNECTIONS


def open_session(
    profile: str | None,
    config: Config,
    workers: int | None = None,
    *,
    boto_session: boto3.Session | None = None,
) -> AwsSession:
    """The session for ``profile`` with the config's retries; ``workers`` overrides the config's.

    ``boto_session`` carries credentials made elsewhere (an assumed role's) in place of
    ``profile``'s; the session is tuned exactly as the caller's own.
    """
    pool = pool_size(workers or config.workers)
    return AwsSession(
        profile,
        boto_session=boto_session,
        max_pool_connections=pool,
        max_attempts=config.max_attempts,
        read_timeout=config.read_timeout,
        call_timeout=config.call_timeout,
    )
