"""Lambda facts: the account's concurrency and code-storage limits and usage in a region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class AccountSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    concurrent_executions: int
    unreserved_concurrent_executions: int
    total_code_size_limit: int
    total_code_size: int
    """Bytes of deployment packages and layers stored in the region."""
    function_count: int

    @property
    def reserved_concurrency(self) -> int:
        """Concurrency set aside by functions' reserved concurrency settings."""
        return self.concurrent_executions - self.unreserved_concurrent_executions


@fact("lambda.account_settings", regional=True, permissions=["lambda:GetAccountSettings"])
def account_settings(ctx: FetchContext) -> AccountSettings:
    response = ctx.client("lambda").get_account_settings()
    limit, usage = response["AccountLimit"], response["AccountUsage"]
    return AccountSettings(
        concurrent_executions=limit["ConcurrentExecutions"],
        unreserved_concurrent_executions=limit.get(
            "UnreservedConcurrentExecutions", limit["ConcurrentExecutions"]
        ),
        total_code_size_limit=limit["TotalCodeSize"],
        total_code_size=usage["TotalCodeSize"],
        function_count=usage["FunctionCount"],
    )
