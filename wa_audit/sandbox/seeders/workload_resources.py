"""How the workload section's resources are created: boto3 calls, as an engineer would make them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.common import ensure_topic
from wa_audit.sandbox.seeders.moto_model import (
    backdate_instance,
    backdate_volume,
    drop_default_root_volume,
)
from wa_audit.sandbox.seeders.workload_section import (
    AutoScalingGroup,
    Bucket,
    Database,
    ElasticIp,
    Image,
    Instance,
    LifecycleRule,
    LoadBalancer,
    Network,
    RootVolume,
    SecurityGroup,
    Table,
    Topic,
    Volume,
)

ROOT_DEVICE = "/dev/xvda"


class Builder:
    """Creates one region's resources and records their ids by name for what comes after."""

    def __init__(self, env: SeedEnv, region: str, tags: dict[str, str]) -> None:
        self.env = env
        self.region = region
        self.tags = tags
        self.ec2 = env.client("ec2", region)

    # -- bookkeeping -------------------------------------------------------------------------

    def _output(self, key: str, name: str, value: str) -> None:
        self.env.outputs.setdefault(key, {}).setdefault(self.region, {})[name] = value

    def _ids(self, key: str, names: Iterable[str]) -> list[str]:
        known = self.env.outputs.get(key, {}).get(self.region, {})
        return [known[name] for name in names]

    def _tag_list(self, name: str) -> list[dict[str, str]]:
        return [
            {"Key": "Name", "Value": name},
            *({"Key": k, "Value": v} for k, v in self.tags.items()),
        ]

    def _tag_spec(self, resource_type: str, name: str) -> dict[str, Any]:
        return {"ResourceType": resource_type, "Tags": self._tag_list(name)}

    def _zone(self, letter: str) -> str:
        return f"{self.region}{letter}"

    @staticmethod
    def _block_devices(root: RootVolume) -> list[dict[str, Any]]:
        ebs = {"VolumeSize": root.size_gib, "VolumeType": root.type, "DeleteOnTermination": True}
        return [{"DeviceName": ROOT_DEVICE, "Ebs": ebs}]

    # -- network ----------------------------------------------------------------------------

    def network(self, network: Network) -> None:
        """VPC, subnets, and an internet gateway routed from the public subnets."""
        vpc_id = self.ec2.create_vpc(
            CidrBlock=network.cidr, TagSpecifications=[self._tag_spec("vpc", network.name)]
        )["Vpc"]["VpcId"]
        self.env.outputs.setdefault("vpc_ids", {})[self.region] = vpc_id
        gateway_id = self.ec2.create_internet_gateway(
            TagSpecifications=[self._tag_spec("internet-gateway", network.name)]
        )["InternetGateway"]["InternetGatewayId"]
        self.ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
        public_routes = self.ec2.create_route_table(
            VpcId=vpc_id,
            TagSpecifications=[self._tag_spec("route-table", f"{network.name}-public")],
        )["RouteTable"]["RouteTableId"]
        self.ec2.create_route(
            RouteTableId=public_routes, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id
        )
        for subnet in network.subnets:
            subnet_id = self.ec2.create_subnet(
                VpcId=vpc_id,
                CidrBlock=subnet.cidr,
                AvailabilityZone=self._zone(subnet.zone),
                TagSpecifications=[self._tag_spec("subnet", subnet.name)],
            )["Subnet"]["SubnetId"]
            self._output("subnet_ids", subnet.name, subnet_id)
            if subnet.public:
                self.ec2.modify_subnet_attribute(
                    SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True}
                )
                self.ec2.associate_route_table(RouteTableId=public_routes, SubnetId=subnet_id)

    def security_groups(self, groups: tuple[SecurityGroup, ...]) -> None:
        vpc_id = self.env.outputs["vpc_ids"][self.region]
        for group in groups:
            group_id = self.ec2.create_security_group(
                GroupName=group.name,
                Description=group.description,
                VpcId=vpc_id,
                TagSpecifications=[self._tag_spec("security-group", group.name)],
            )["GroupId"]
            self._output("security_group_ids", group.name, group_id)
        for group in groups:
            if not group.ingress:
                continue
            permissions = []
            for rule in group.ingress:
                permission: dict[str, Any] = {
                    "IpProtocol": "tcp",
                    "FromPort": rule.port,
                    "ToPort": rule.port,
                }
                if rule.cidr:
                    permission["IpRanges"] = [{"CidrIp": rule.cidr}]
                else:
                    [source] = self._ids("security_group_ids", [str(rule.source_group)])
                    permission["UserIdGroupPairs"] = [{"GroupId": source}]
                permissions.append(permission)
            [group_id] = self._ids("security_group_ids", [group.name])
            self.ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)

    # -- compute ----------------------------------------------------------------------------

    def images(self, images: tuple[Image, ...]) -> None:
        for image in images:
            image_id = self.ec2.register_image(
                Name=image.name,
                Architecture=image.architecture,
                RootDeviceName=ROOT_DEVICE,
                VirtualizationType="hvm",
                EnaSupport=True,
                BlockDeviceMappings=self._block_devices(RootVolume()),
                TagSpecifications=[self._tag_spec("image", image.name)],
            )["ImageId"]
            self._output("image_ids", image.name, image_id)

    def instances(self, instances: tuple[Instance, ...]) -> None:
        for spec in instances:
            [instance] = self.ec2.run_instances(
                ImageId=self._ids("image_ids", [spec.image])[0],
                InstanceType=spec.type,
                SubnetId=self._ids("subnet_ids", [spec.subnet])[0],
                SecurityGroupIds=self._ids("security_group_ids", spec.security_groups),
                BlockDeviceMappings=self._block_devices(spec.root_volume),
                MinCount=1,
                MaxCount=1,
                TagSpecifications=[
                    self._tag_spec("instance", spec.name),
                    self._tag_spec("volume", f"{spec.name}-root"),
                ],
            )["Instances"]
            instance_id = instance["InstanceId"]
            self._output("instance_ids", spec.name, instance_id)
            stopped = None
            if spec.stopped_days_ago is not None:
                self.ec2.stop_instances(InstanceIds=[instance_id])
                stopped = self.env.now - timedelta(days=spec.stopped_days_ago)
            if spec.launched_days_ago or stopped:
                launched = self.env.now - timedelta(days=spec.launched_days_ago)
                backdate_instance(self.env, self.region, instance_id, launched, stopped)

    def load_balancers(self, balancers: tuple[LoadBalancer, ...]) -> None:
        elbv2 = self.env.client("elbv2", self.region)
        for spec in balancers:
            balancer_arn = elbv2.create_load_balancer(
                Name=spec.name,
                Type="application",
                Scheme="internet-facing",
                Subnets=self._ids("subnet_ids", spec.subnets),
                SecurityGroups=self._ids("security_group_ids", spec.security_groups),
                Tags=self._tag_list(spec.name),
            )["LoadBalancers"][0]["LoadBalancerArn"]
            self._output("load_balancer_arns", spec.name, balancer_arn)
            group_arn = elbv2.create_target_group(
                Name=spec.target_group,
                Protocol="HTTP",
                Port=spec.target_port,
                VpcId=self.env.outputs["vpc_ids"][self.region],
                TargetType="instance",
                HealthCheckPath=spec.health_check_path,
                Tags=self._tag_list(spec.target_group),
            )["TargetGroups"][0]["TargetGroupArn"]
            self._output("target_group_arns", spec.target_group, group_arn)
            elbv2.create_listener(
                LoadBalancerArn=balancer_arn,
                Protocol="HTTP",
                Port=80,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
            )
            if spec.targets:
                elbv2.register_targets(
                    TargetGroupArn=group_arn,
                    Targets=[{"Id": i} for i in self._ids("instance_ids", spec.targets)],
                )

    def auto_scaling_groups(self, groups: tuple[AutoScalingGroup, ...]) -> None:
        autoscaling = self.env.client("autoscaling", self.region)
        for spec in groups:
            template_id = self.ec2.create_launch_template(
                LaunchTemplateName=spec.launch_template,
                LaunchTemplateData={
                    "ImageId": self._ids("image_ids", [spec.image])[0],
                    "InstanceType": spec.instance_type,
                    "SecurityGroupIds": self._ids("security_group_ids", spec.security_groups),
                    "BlockDeviceMappings": self._block_devices(spec.root_volume),
                    "TagSpecifications": [self._tag_spec("volume", f"{spec.name}-root")],
                },
                TagSpecifications=[self._tag_spec("launch-template", spec.launch_template)],
            )["LaunchTemplate"]["LaunchTemplateId"]
            self._output("launch_template_ids", spec.launch_template, template_id)
            extra: dict[str, Any] = {}
            if spec.target_group:
                extra["TargetGroupARNs"] = self._ids("target_group_arns", [spec.target_group])
                extra["HealthCheckType"] = "ELB"
                extra["HealthCheckGracePeriod"] = 120
            subnets = self._ids("subnet_ids", spec.subnets)
            autoscaling.create_auto_scaling_group(
                AutoScalingGroupName=spec.name,
                LaunchTemplate={"LaunchTemplateId": template_id, "Version": "$Latest"},
                MinSize=min(spec.min_size, 1),
                MaxSize=spec.max_size,
                DesiredCapacity=min(spec.desired_capacity, 1),
                VPCZoneIdentifier=",".join(subnets),
                Tags=[
                    {"Key": tag["Key"], "Value": tag["Value"], "PropagateAtLaunch": True}
                    for tag in self._tag_list(spec.name)
                ],
                **extra,
            )
            self._spread(autoscaling, spec, subnets)
            [group] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[spec.name])[
                "AutoScalingGroups"
            ]
            self._output("auto_scaling_groups", spec.name, group["AutoScalingGroupARN"])
            for instance in group["Instances"]:
                drop_default_root_volume(self.env, self.region, instance["InstanceId"])

    @staticmethod
    def _spread(autoscaling: Any, spec: AutoScalingGroup, subnets: list[str]) -> None:
        """Grow the group to its desired capacity with its instances balanced over its subnets.

        AWS balances a group's instances across its AZs; moto launches every instance in the
        group's first subnet. So the group grows one instance at a time with its subnet list
        rotated (moto then launches in the subnet now first), and ends with the list as written:
        API calls only, ending in the state AWS would show.
        """
        for capacity in range(2, spec.desired_capacity + 1):
            first = (capacity - 1) % len(subnets)
            autoscaling.update_auto_scaling_group(
                AutoScalingGroupName=spec.name,
                VPCZoneIdentifier=",".join(subnets[first:] + subnets[:first]),
                DesiredCapacity=capacity,
            )
        autoscaling.update_auto_scaling_group(
            AutoScalingGroupName=spec.name,
            VPCZoneIdentifier=",".join(subnets),
            MinSize=spec.min_size,
            DesiredCapacity=spec.desired_capacity,
        )

    # -- data -------------------------------------------------------------------------------

    def databases(self, databases: tuple[Database, ...]) -> None:
        rds = self.env.client("rds", self.region)
        for spec in databases:
            subnet_group = f"{spec.identifier}-subnets"
            rds.create_db_subnet_group(
                DBSubnetGroupName=subnet_group,
                DBSubnetGroupDescription=f"Subnets of {spec.identifier}",
                SubnetIds=self._ids("subnet_ids", spec.subnets),
            )
            instance = rds.create_db_instance(
                DBInstanceIdentifier=spec.identifier,
                Engine=spec.engine,
                EngineVersion=spec.engine_version,
                DBInstanceClass=spec.instance_class,
                AllocatedStorage=spec.allocated_storage_gib,
                StorageType=spec.storage_type,
                StorageEncrypted=spec.storage_encrypted,
                MultiAZ=spec.multi_az,
                BackupRetentionPeriod=spec.backup_retention_days,
                DBSubnetGroupName=subnet_group,
                VpcSecurityGroupIds=self._ids("security_group_ids", spec.security_groups),
                MasterUsername="mublog",
                ManageMasterUserPassword=True,
                PubliclyAccessible=spec.publicly_accessible,
                EnablePerformanceInsights=spec.performance_insights,
                **(
                    {"MaxAllocatedStorage": spec.max_allocated_storage_gib}
                    if spec.max_allocated_storage_gib
                    else {}
                ),
                Tags=self._tag_list(spec.identifier),
            )["DBInstance"]
            self._output("db_instance_arns", spec.identifier, instance["DBInstanceArn"])

    def tables(self, tables: tuple[Table, ...]) -> None:
        dynamodb = self.env.client("dynamodb", self.region)
        for spec in tables:
            keys = [(spec.partition_key, "HASH")]
            if spec.sort_key:
                keys.append((spec.sort_key, "RANGE"))
            table_arn = dynamodb.create_table(
                TableName=spec.name,
                BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": name, "KeyType": kind} for name, kind in keys],
                AttributeDefinitions=[
                    {"AttributeName": name, "AttributeType": "S"} for name, _ in keys
                ],
                Tags=self._tag_list(spec.name),
            )["TableDescription"]["TableArn"]
            self._output("table_arns", spec.name, table_arn)
            if spec.point_in_time_recovery:
                dynamodb.update_continuous_backups(
                    TableName=spec.name,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
                )

    def buckets(self, buckets: tuple[Bucket, ...]) -> None:
        s3 = self.env.client("s3", self.region)
        for spec in buckets:
            name = spec.name.format(account_id=self.env.account_id, region=self.region)
            location = (
                {}
                if self.region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
            )
            s3.create_bucket(Bucket=name, **location)
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": self._tag_list(name)})
            if spec.lifecycle_rules:
                s3.put_bucket_lifecycle_configuration(
                    Bucket=name,
                    LifecycleConfiguration={
                        "Rules": [_lifecycle_rule(r) for r in spec.lifecycle_rules]
                    },
                )
            self._output("bucket_names", spec.name, name)

    def topics(self, topics: tuple[Topic, ...]) -> None:
        for spec in topics:
            topic_arn = ensure_topic(self.env, self.region, spec.name, spec.subscribers)
            self._output("topic_arns", spec.name, topic_arn)
            if spec.name == "alerts":
                self.env.outputs.setdefault("alerts_topic_arn", {})[self.region] = topic_arn

    # -- leftovers --------------------------------------------------------------------------

    def volumes(self, volumes: tuple[Volume, ...]) -> None:
        for spec in volumes:
            volume_id = self.ec2.create_volume(
                AvailabilityZone=self._zone(spec.zone),
                Size=spec.size_gib,
                VolumeType=spec.type,
                TagSpecifications=[self._tag_spec("volume", spec.name)],
            )["VolumeId"]
            self._output("volume_ids", spec.name, volume_id)
            if spec.created_days_ago:
                backdate_volume(
                    self.env,
                    self.region,
                    volume_id,
                    self.env.now - timedelta(days=spec.created_days_ago),
                )

    def elastic_ips(self, addresses: tuple[ElasticIp, ...]) -> None:
        for spec in addresses:
            allocation_id = self.ec2.allocate_address(
                Domain="vpc", TagSpecifications=[self._tag_spec("elastic-ip", spec.name)]
            )["AllocationId"]
            self._output("elastic_ips", spec.name, allocation_id)
            if spec.instance:
                [instance_id] = self._ids("instance_ids", [spec.instance])
                self.ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)


def _lifecycle_rule(rule: LifecycleRule) -> dict[str, Any]:
    body: dict[str, Any] = {"ID": rule.id, "Status": "Enabled", "Filter": {"Prefix": rule.prefix}}
    if rule.transition_days is not None:
        body["Transitions"] = [
            {"Days": rule.transition_days, "StorageClass": rule.transition_storage_class}
        ]
    if rule.expiration_days is not None:
        body["Expiration"] = {"Days": rule.expiration_days}
    return body
