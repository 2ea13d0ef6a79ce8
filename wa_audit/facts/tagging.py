"""Every tagged resource of a region with its tags, from the Resource Groups Tagging API.

``GetResources`` returns the resources of the region that have, or once had, a tag (AWS keeps no
tag record for a resource never tagged), across the services the API supports: one paginated call
instead of a describe call per service. A resource never tagged at all is therefore not seen here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class TaggedResource(BaseModel):
    model_config = ConfigDict(frozen=True)

    arn: str
    tags: dict[str, str]

    @property
    def service(self) -> str:
        return self.arn.split(":")[2]


@fact("tagging.resources", regional=True, permissions=["tag:GetResources"])
def tagged_resources(ctx: FetchContext) -> tuple[TaggedResource, ...]:
    return tuple(
        TaggedResource(
            arn=raw["ResourceARN"],
            tags={tag["Key"]: tag.get("Value", "") for tag in raw.get("Tags", [])},
        )
        for raw in ctx.paginate(
            "resourcegroupstaggingapi", "get_resources", "ResourceTagMappingList"
        )
    )
