"""The Lambda runtime deprecation dates of ``lambda_runtimes.toml``, loaded once."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib.resources import files


@cache
def deprecation_dates() -> dict[str, date]:
    text = files("wa_audit.checks").joinpath("lambda_runtimes.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)["deprecation"])
