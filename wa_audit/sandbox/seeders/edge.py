"""The edge section: certificates, load balancer changes and additions, web ACLs, CloudFront.

Load balancers named here either exist already (made by the workload section, then changed as
an engineer would change them: an HTTPS listener, attributes, a web ACL) or are created here
(``create``). Certificates are imported, self-signed, valid for ``valid_days`` from now.
"""

from __future__ import annotations

from wa_audit.sandbox.scenario import SeedEnv, Seeder
from wa_audit.sandbox.seeders.edge_resources import EdgeBuilder
from wa_audit.sandbox.seeders.edge_section import EdgeSection


def seed_edge(section: EdgeSection, env: SeedEnv) -> None:
    for region, edge in section.regions.items():
        made = EdgeBuilder(env, region)
        made.certificates(edge.certificates)
        made.web_acls(edge.web_acls, scope="REGIONAL")
        made.load_balancers(edge.load_balancers)
    if section.distributions or section.cloudfront_web_acls:
        made = EdgeBuilder(env, "us-east-1")
        made.web_acls(section.cloudfront_web_acls, scope="CLOUDFRONT")
        made.distributions(section.distributions)


SEEDER = Seeder("edge", EdgeSection, seed_edge)
