"""Which plain-text settings (environment variables) look like secrets: a helper, not a check module.

A name that says it holds a secret (``DB_PASSWORD``, ``API_TOKEN`` …) with a literal value, or a value
shaped like an AWS access key id, wherever it is. Names that point at a secret (``…_ARN``,
``…_SECRET_NAME``, a value that is an ARN) are references, the recommended shape, and are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY",
    re.IGNORECASE,
)
_REFERENCE_NAME = re.compile(r"_(ARN|NAME|ID|PATH|FILE|URL|URI|ENDPOINT|REGION)$", re.IGNORECASE)
_ACCESS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")


def looks_secret(name: str, value: str) -> bool:
    """True for a literal secret in plain text (the value itself is never reported)."""
    if _ACCESS_KEY_ID.search(value):
        return True
    literal = value.strip()
    if not literal or literal.startswith("arn:") or literal.isdigit():
        return False
    if literal.lower() in {"true", "false", "yes", "no", "on", "off"}:
        return False
    return bool(_SECRET_NAME.search(name)) and not _REFERENCE_NAME.search(name)


def secret_names(variables: Iterable[tuple[str, str]]) -> list[str]:
    """The names (never the values) of the variables that look like plain-text secrets."""
    return sorted({name for name, value in variables if looks_secret(name, value)})
