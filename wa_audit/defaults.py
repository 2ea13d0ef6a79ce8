"""The defaults every entry point shares, each stated once.

The config model, the command-line help, :class:`~wa_audit.runner.RunOptions` and the AWS session
all read them from here, so ``wa-audit run``, ``demo`` and ``quotas`` cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from wa_audit.models import Severity

DEFAULT_WORKERS = 8
"""Concurrent fetches: past 8 the two cores of a small machine are the limit (README, Benchmarks)."""
MAX_WORKERS = 64

DEFAULT_ACCOUNT_WORKERS = 4
"""``run --org``: accounts audited at once. Their requests share the ``--workers`` bound, so more
accounts at once only overlap one account's slow calls with another's; 4 keeps that overlap."""

DEFAULT_MAX_ATTEMPTS = 8
"""Attempts per AWS call (adaptive retries): rides out throttling on a large account, and ends."""
MAX_ATTEMPTS_LIMIT = 20

DEFAULT_READ_TIMEOUT = 15.0
"""Seconds without a byte from AWS before an attempt is given up (botocore's default is 60)."""
DEFAULT_CALL_TIMEOUT = 30.0
"""Seconds one call may spend over all its attempts: a hanging endpoint costs one call ~30 s."""

DEFAULT_FAIL_ON = Severity.HIGH
"""Exit 1 on an unsuppressed FAIL at or above this severity."""

DEFAULT_ANSWER_MAX_AGE_DAYS = 365
"""Answers older than this are stale: a year, the usual interval between Well-Architected reviews."""

DEFAULT_OUTPUT_DIR = Path("wa-audit-results")
DEFAULT_FORMATS = ("html", "json")
