"""Security checks of key material: KMS keys and Secrets Manager secrets that rotate."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from wa_audit.context import CheckContext
from wa_audit.facts import kms, secretsmanager
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from ._resources import readable, unreadable
from .security_common import Params, days_since, plural_days


@check(
    id="sec.kms-key-rotation",
    pillar=Pillar.SECURITY,
    title="Customer managed KMS keys rotate automatically",
    fail_title="Customer managed KMS keys never rotate",
    severity=Severity.MEDIUM,
    best_practices=["SEC08-BP01"],
    remediation="Turn on automatic rotation for the key (KMS > key > Key rotation; yearly by "
    "default, 90 to 2560 days); earlier ciphertexts stay decryptable.",
    docs_url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    facts=[kms.keys, kms.key_rotation],
    regional=True,
)
def kms_key_rotation(ctx: CheckContext) -> Iterator[Finding]:
    """Only enabled, customer managed, symmetric keys whose material KMS made can rotate
    automatically; AWS managed keys rotate yearly on their own, the others cannot."""
    keys = ctx.fact(kms.keys)
    rotation = ctx.fact(kms.key_rotation)
    yield from unreadable(ctx, keys, str, "key metadata")
    yield from unreadable(ctx, rotation, str, "rotation status")
    described = readable(keys)
    for arn, status in sorted(readable(rotation).items()):
        key = described[arn]
        evidence = {
            "rotation_period_days": status.period_days,
            "multi_region": key.multi_region_type,
        }
        if status.enabled:
            period = f" every {plural_days(status.period_days)}" if status.period_days else ""
            yield ctx.passed(arn, f"KMS key {key.id} rotates{period}.", evidence=evidence)
        else:
            yield ctx.failed(
                arn,
                f"KMS key {key.id} has automatic rotation off: its key material never changes.",
                evidence=evidence,
            )


class SecretRotationParams(Params):
    max_days_since_rotation: int = Field(default=90, ge=1)


@check(
    id="sec.secrets-rotation",
    pillar=Pillar.SECURITY,
    title="Secrets rotate automatically, and recently",
    fail_title="Secrets are not rotated",
    severity=Severity.MEDIUM,
    best_practices=["SEC02-BP03", "SEC02-BP05"],
    remediation="Turn on rotation for the secret (Secrets Manager > secret > Rotation) with a "
    "rotation function or managed rotation; a rotation that stopped succeeding shows in the "
    "function's logs.",
    docs_url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
    facts=[secretsmanager.secrets],
    regional=True,
    params=SecretRotationParams,
)
def secrets_rotation(ctx: CheckContext) -> Iterator[Finding]:
    """Rotation on but no rotation for longer than the limit means rotation is failing; a
    secret never rotated counts from its creation."""
    limit = ctx.params(SecretRotationParams).max_days_since_rotation
    for secret in sorted(ctx.fact(secretsmanager.secrets), key=lambda s: s.arn):
        since = secret.last_rotated or secret.created
        age = days_since(ctx.now, since) if since else None
        evidence = {
            "rotation_enabled": secret.rotation_enabled,
            "last_rotated": secret.last_rotated.isoformat() if secret.last_rotated else None,
            "days_since_rotation": age,
            "max_days_since_rotation": limit,
            "owning_service": secret.owning_service,
        }
        if not secret.rotation_enabled:
            yield ctx.failed(
                secret.arn,
                f"Secret {secret.name} has rotation off: its value never changes.",
                evidence=evidence,
            )
        elif age is not None and age > limit:
            what = "rotated" if secret.last_rotated else "rotated since it was created"
            yield ctx.failed(
                secret.arn,
                f"Secret {secret.name} has rotation on but has not been {what} for "
                f"{plural_days(age)} (limit {limit}): rotation may be failing.",
                evidence=evidence,
            )
        else:
            yield ctx.passed(
                secret.arn, f"Secret {secret.name} rotates automatically.", evidence=evidence
            )
