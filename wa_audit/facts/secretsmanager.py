"""Secrets Manager secrets of a region, with their rotation settings (``ListSecrets`` carries them,
so there is no per-secret call). Secrets scheduled for deletion are left out, as AWS lists them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Secret(BaseModel):
    model_config = ConfigDict(frozen=True)

    arn: str
    name: str
    rotation_enabled: bool
    """AWS omits ``RotationEnabled`` for a secret never configured to rotate: not rotating."""
    last_rotated: datetime | None = None
    created: datetime | None = None
    owning_service: str | None = None


@fact("secretsmanager.secrets", regional=True, permissions=["secretsmanager:ListSecrets"])
def secrets(ctx: FetchContext) -> tuple[Secret, ...]:
    return tuple(
        Secret(
            arn=raw["ARN"],
            name=raw.get("Name", raw["ARN"]),
            rotation_enabled=bool(raw.get("RotationEnabled", False)),
            last_rotated=raw.get("LastRotatedDate"),
            created=raw.get("CreatedDate"),
            owning_service=raw.get("OwningService"),
        )
        for raw in ctx.paginate("secretsmanager", "list_secrets", "SecretList")
    )
