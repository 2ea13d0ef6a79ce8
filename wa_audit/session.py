"""The one way a command builds its AWS session from the profile and the config.

``run``, ``demo`` and every ``quotas`` command come through here, so a config key that tunes the
session (``max_attempts``, ``workers``) reaches all of them. The region and the endpoint come from
the standard AWS chain (``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``), which is how the demo points
the same session at its sandbox.
"""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.config import Config

SPARE_CONNECTIONS = 2
"""Beyond one connection per worker: the identity call and a fetch's nested call never wait."""


def pool_size(workers: int) -> int:
    """Connections per client for ``workers`` concurrent fetches."""
    return workers + SPARE_CONNECTIONS


def open_session(profile: str | None, config: Config, workers: int | None = None) -> AwsSession:
    """The session for ``profile`` with the config's retries; ``workers`` overrides the config's."""
    pool = pool_size(workers or config.workers)
    return AwsSession(
        profile,
        max_pool_connections=pool,
        max_attempts=config.max_attempts,
        read_timeout=config.read_timeout,
        call_timeout=config.call_timeout,
    )
