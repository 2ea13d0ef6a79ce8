"""IAM facts: account-wide, answered in the partition's home region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class AccountSummary(BaseModel):
    """``GetAccountSummary``'s map; the root flags are the only API view of root MFA and keys."""

    model_config = ConfigDict(frozen=True)

    summary: dict[str, int]

    @property
    def root_mfa_enabled(self) -> bool:
        return self.summary.get("AccountMFAEnabled", 0) == 1

    @property
    def root_access_keys_present(self) -> bool:
        return self.summary.get("AccountAccessKeysPresent", 0) > 0


@fact("iam.account_summary", regional=False, permissions=["iam:GetAccountSummary"])
def account_summary(ctx: FetchContext) -> AccountSummary:
    response = ctx.client("iam").get_account_summary()
    return AccountSummary(summary=response["SummaryMap"])
