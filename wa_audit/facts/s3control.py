"""S3 account-level settings (S3 Control): the account's Block Public Access."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless

SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


class PublicAccessBlock(BaseModel):
    """The four account-wide switches; all False when the account never configured them."""

    model_config = ConfigDict(frozen=True)

    configured: bool
    settings: dict[str, bool]

    def off(self) -> list[str]:
        return [name for name in SETTINGS if not self.settings.get(name, False)]


@fact(
    "s3control.public_access_block",
    regional=False,
    permissions=["s3:GetAccountPublicAccessBlock"],
)
def public_access_block(ctx: FetchContext) -> PublicAccessBlock:
    """AWS answers NoSuchPublicAccessBlockConfiguration when nothing was ever set: all off."""
    response = response_unless(
        {"NoSuchPublicAccessBlockConfiguration"},
        ctx.client("s3control").get_public_access_block,
        AccountId=ctx.account_id,
    )
    if response is None:
        return PublicAccessBlock(configured=False, settings=dict.fromkeys(SETTINGS, False))
    raw = response["PublicAccessBlockConfiguration"]
    return PublicAccessBlock(
        configured=True, settings={name: bool(raw.get(name, False)) for name in SETTINGS}
    )
