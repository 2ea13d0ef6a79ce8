"""Saying what wa-audit is doing before its first AWS call, so a slow endpoint is never silent.

On a terminal ``run`` draws a progress bar whose first label is :data:`IDENTIFYING`; elsewhere (a
pipe, a CI log, cron) and for the commands without a bar, one plain line on stderr says the same.
stdout stays free for what a pipe reads.
"""

from __future__ import annotations

from wa_audit.pipes import echo

IDENTIFYING = "Identifying the account and its regions"
LISTING_ACCOUNTS = "Listing the organization's accounts"


def announce(what: str, *, quiet: bool = False) -> None:
    """One plain line on stderr, e.g. ``wa-audit: Identifying the account and its regions…``."""
    if not quiet:
        echo(f"wa-audit: {what}…", err=True)
