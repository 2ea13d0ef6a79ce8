"""Telling a secret stored in plain text (an environment variable's value) from a reference to one.

Heuristic by design: a variable counts when its name says it holds a secret and its value is not a
reference (ARN, ``{{resolve:…}}``, a parameter path) and not a short setting, or when its value has
the shape of a credential whatever the name (an access key id, a PEM private key). Values never leave
this module: findings name the variables only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY",
    re.IGNORECASE,
)
_REFERENCE_NAME = re.compile(
    r"_(ARN|NAME|ID|PATH|PARAM|PARAMETER|URL|URI|ENDPOINT|HEADER|FILE|TTL|EXPIRY|LENGTH|REGION)$",
    re.IGNORECASE,
)
_REFERENCE_VALUE = re.compile(r"^(arn:|\{\{resolve:|ssm:|secretsmanager:|/)", re.IGNORECASE)
_CREDENTIAL_VALUE = re.compile(r"^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----")
_SETTING_VALUE = re.compile(r"^(true|false|yes|no|on|off|none|null|\d+)$", re.IGNORECASE)
MIN_SECRET_LENGTH = 8


def looks_secret(name: str, value: str) -> bool:
    if _CREDENTIAL_VALUE.search(value):
        return True
    return (
        bool(_SECRET_NAME.search(name))
        and not _REFERENCE_NAME.search(name)
        and len(value) >= MIN_SECRET_LENGTH
        and not _REFERENCE_VALUE.match(value)
        and not _SETTING_VALUE.match(value)
    )


def secret_looking_names(variables: Mapping[str, str]) -> list[str]:
    """The names of the variables whose values look like secrets in plain text, sorted."""
    return sorted(name for name, value in variables.items() if looks_secret(name, value))
