"""How the edge section's resources are made: boto3 calls, as an engineer would make them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.edge_section import (
    Balancer,
    Certificate,
    Distribution,
    NewBalancer,
    Origin,
)

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
"""AWS's managed cache policy "CachingOptimized" (Gzip and Brotli allowed)."""


def self_signed(domain: str, env: SeedEnv, valid_days: int) -> tuple[bytes, bytes]:
    """A certificate and its key in PEM, valid from yesterday for ``valid_days`` from now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(env.now - timedelta(days=1))
        .not_valid_after(env.now + timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


class EdgeBuilder:
    def __init__(self, env: SeedEnv, region: str) -> None:
        self.env = env
        self.region = region
        self.elbv2 = env.client("elbv2", region)

    def _known(self, key: str, name: str) -> str:
        return str(self.env.outputs[key][self.region][name])

    def _output(self, key: str, name: str, value: str) -> None:
        self.env.outputs.setdefault(key, {}).setdefault(self.region, {})[name] = value

    def _bucket(self, name: str) -> str:
        return name.format(account_id=self.env.account_id, region=self.region)

    def certificates(self, certificates: Iterable[Certificate]) -> None:
        acm = self.env.client("acm", self.region)
        for spec in certificates:
            body, key = self_signed(spec.domain, self.env, spec.valid_days)
            arn = acm.import_certificate(Certificate=body, PrivateKey=key)["CertificateArn"]
            self._output("certificate_arns", spec.name, arn)

    def web_acls(self, names: Iterable[str], scope: str) -> None:
        wafv2 = self.env.client("wafv2", self.region)
        for name in names:
            arn = wafv2.create_web_acl(
                Name=name,
                Scope=scope,
                DefaultAction={"Allow": {}},
                Rules=[],
                VisibilityConfig={
                    "SampledRequestsEnabled": True,
                    "CloudWatchMetricsEnabled": True,
                    "MetricName": name,
                },
            )["Summary"]["ARN"]
            self._output("web_acl_arns", name, arn)

    def _create(self, name: str, spec: NewBalancer) -> str:
        network = spec.type == "network"
        arn: str = self.elbv2.create_load_balancer(
            Name=name,
            Type=spec.type,
            Scheme="internet-facing",
            Subnets=[self._known("subnet_ids", s) for s in spec.subnets],
            **(
                {}
                if network
                else {
                    "SecurityGroups": [
                        self._known("security_group_ids", g) for g in spec.security_groups
                    ]
                }
            ),
        )["LoadBalancers"][0]["LoadBalancerArn"]
        group = self.elbv2.create_target_group(
            Name=spec.target_group,
            Protocol="TCP" if network else "HTTP",
            Port=spec.target_port,
            VpcId=self.env.outputs["vpc_ids"][self.region],
            TargetType="instance",
        )["TargetGroups"][0]["TargetGroupArn"]
        if spec.targets:
            self.elbv2.register_targets(
                TargetGroupArn=group,
                Targets=[{"Id": self._known("instance_ids", t)} for t in spec.targets],
            )
        self.elbv2.create_listener(
            LoadBalancerArn=arn,
            Protocol="TCP" if network else "HTTP",
            Port=spec.listener_port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
        )
        self._output("load_balancer_arns", name, arn)
        self._output("target_group_arns", spec.target_group, group)
        return arn

    def _target_group(self, balancer_arn: str) -> str:
        groups = self.elbv2.describe_target_groups(LoadBalancerArn=balancer_arn)["TargetGroups"]
        return str(groups[0]["TargetGroupArn"])

    def load_balancers(self, balancers: Iterable[Balancer]) -> None:
        wafv2 = self.env.client("wafv2", self.region)
        for spec in balancers:
            arn = (
                self._create(spec.name, spec.create)
                if spec.create
                else self._known("load_balancer_arns", spec.name)
            )
            network = spec.create is not None and spec.create.type == "network"
            group = self._target_group(arn)
            if spec.https:
                self.elbv2.create_listener(
                    LoadBalancerArn=arn,
                    Protocol="TLS" if network else "HTTPS",
                    Port=spec.https.port,
                    SslPolicy=spec.https.ssl_policy,
                    Certificates=[
                        {"CertificateArn": self._known("certificate_arns", spec.https.certificate)}
                    ],
                    DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
                )
            if spec.http_redirect:
                self._redirect_http(arn)
            self.elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=arn, Attributes=self._attributes(spec)
            )
            if spec.web_acl:
                wafv2.associate_web_acl(
                    WebACLArn=self._known("web_acl_arns", spec.web_acl), ResourceArn=arn
                )

    def _redirect_http(self, balancer_arn: str) -> None:
        redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
        for listener in self.elbv2.describe_listeners(LoadBalancerArn=balancer_arn)["Listeners"]:
            if listener["Protocol"] == "HTTP":
                self.elbv2.modify_listener(
                    ListenerArn=listener["ListenerArn"],
                    DefaultActions=[{"Type": "redirect", "RedirectConfig": redirect}],
                )

    def _attributes(self, spec: Balancer) -> list[dict[str, str]]:
        attributes = {"deletion_protection.enabled": str(spec.deletion_protection).lower()}
        if spec.access_logs_bucket:
            attributes["access_logs.s3.enabled"] = "true"
            attributes["access_logs.s3.bucket"] = self._bucket(spec.access_logs_bucket)
            attributes["access_logs.s3.prefix"] = spec.name
        if spec.cross_zone is not None:
            attributes["load_balancing.cross_zone.enabled"] = str(spec.cross_zone).lower()
        return [{"Key": k, "Value": v} for k, v in attributes.items()]

    # -- CloudFront (global; certificates and web ACLs from us-east-1) -------------------------

    def _origin(self, spec: Origin) -> dict[str, Any]:
        cloudfront = self.env.client("cloudfront", self.region)
        if spec.bucket:
            origin: dict[str, Any] = {
                "Id": spec.id,
                "DomainName": f"{self._bucket(spec.bucket)}.s3.{self.region}.amazonaws.com",
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
            if spec.origin_access_control:
                origin["OriginAccessControlId"] = cloudfront.create_origin_access_control(
                    OriginAccessControlConfig={
                        "Name": f"{spec.id}-oac",
                        "SigningProtocol": "sigv4",
                        "SigningBehavior": "always",
                        "OriginAccessControlOriginType": "s3",
                    }
                )["OriginAccessControl"]["Id"]
            return origin
        [balancer] = self.elbv2.describe_load_balancers(
            LoadBalancerArns=[self._known("load_balancer_arns", str(spec.load_balancer))]
        )["LoadBalancers"]
        return {
            "Id": spec.id,
            "DomainName": balancer["DNSName"],
            "CustomOriginConfig": {
                "HTTPPort": 80,
                "HTTPSPort": 443,
                "OriginProtocolPolicy": spec.protocol_policy,
            },
        }

    def distributions(self, distributions: Iterable[Distribution]) -> None:
        cloudfront = self.env.client("cloudfront", self.region)
        for number, spec in enumerate(distributions):
            origins = [self._origin(o) for o in spec.origins]
            config: dict[str, Any] = {
                "CallerReference": f"wa-audit-sandbox-{number}",
                "Comment": spec.comment,
                "Enabled": True,
                "Origins": {"Quantity": len(origins), "Items": origins},
                "DefaultCacheBehavior": {
                    "TargetOriginId": origins[0]["Id"],
                    "ViewerProtocolPolicy": spec.viewer_protocol_policy,
                    "Compress": spec.compress,
                    "CachePolicyId": CACHING_OPTIMIZED,
                },
                "HttpVersion": spec.http_version,
                "WebACLId": self._known("web_acl_arns", spec.web_acl) if spec.web_acl else "",
            }
            if spec.aliases:
                config["Aliases"] = {"Quantity": len(spec.aliases), "Items": list(spec.aliases)}
            if spec.certificate:
                config["ViewerCertificate"] = {
                    "CloudFrontDefaultCertificate": False,
                    "ACMCertificateArn": self._known("certificate_arns", spec.certificate),
                    "SSLSupportMethod": "sni-only",
                    "MinimumProtocolVersion": spec.minimum_protocol_version,
                }
            if spec.log_bucket:
                config["Logging"] = {
                    "Enabled": True,
                    "IncludeCookies": False,
                    "Bucket": f"{self._bucket(spec.log_bucket)}.s3.amazonaws.com",
                    "Prefix": "cloudfront/",
                }
            cloudfront.create_distribution(DistributionConfig=config)
