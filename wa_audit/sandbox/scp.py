"""A service control policy that denies regions, answered as AWS answers a member account.

Modelled on AWS Organizations' example SCP "Deny access to AWS based on the requested AWS Region":
every request to a denied region fails with AWS's access denied error, "User: <arn> is not
authorized to perform: <action> … with an explicit deny in a service control policy: <policy ARN>"
(IAM User Guide, Access denied error messages), except for the global and exempted services of the
example's ``NotAction`` list (IAM, STS, Organizations, Support, Budgets, Cost Explorer, AWS Config,
Health, CloudFront, Route 53, …).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.protocol import (
    DEFAULT_ACCOUNT_ID,
    AwsRequest,
    credential_scope,
    error_response,
    resolve_operation,
    service_model,
)

EXEMPT_SIGNING_NAMES = frozenset(
    {
        "iam",
        "sts",
        "organizations",
        "support",
        "budgets",
        "ce",
        "config",
        "health",
        "cloudfront",
        "route53",
        "kms",
        "waf",
        "globalaccelerator",
        "s3",  # the example exempts S3's account-level reads; the sandbox, all of S3
    }
)
# botocore services whose name is not their signing name.
_SERVICE_OF = {"monitoring": "cloudwatch", "access-analyzer": "accessanalyzer"}
_CODE_BY_PROTOCOL = {"ec2": "UnauthorizedOperation", "query": "AccessDenied"}


@dataclass(frozen=True)
class RegionDenyPolicy:
    policy_arn: str
    regions: frozenset[str]

    def deny(self, request: Request, body: bytes) -> Response | None:
        """AWS's error for a request to a denied region; None for any other request."""
        scope = credential_scope(request)
        if scope is None:
            return None
        _, region, signing_name = scope
        if region not in self.regions or signing_name in EXEMPT_SIGNING_NAMES:
            return None
        service = _SERVICE_OF.get(signing_name, signing_name)
        try:
            protocol = service_model(service).protocol
        except Exception:  # a service botocore does not know: not ours to deny
            return None
        operation = resolve_operation(service, request, body) or "*"
        prefix = "cloudwatch" if signing_name == "monitoring" else signing_name
        account = request.headers.get("x-moto-account-id", DEFAULT_ACCOUNT_ID)
        message = (
            f"User: arn:aws:iam::{account}:user/auditor is not authorized to perform: "
            f"{prefix}:{operation} with an explicit deny in a service control policy: "
            f"{self.policy_arn}"
        )
        code = _CODE_BY_PROTOCOL.get(protocol, "AccessDeniedException")
        fake = AwsRequest(
            raw=request, body=body, signing_name=signing_name, region=region, access_key=""
        )
        fake.service = service
        return error_response(fake, code, message, status=403)
