"""The ``workload`` section: the micro-blogging app's infrastructure, region by region, as data.

Each region lists its network, security groups, the company's own AMIs, instances, load balancers,
auto scaling groups, databases, tables, buckets, topics, detached volumes and Elastic IPs. The seeder
creates them through boto3 as the company's engineers did, in dependency order; times in the past
(an instance launched 400 days ago and stopped 45 days ago, a volume left over for months) are set
afterwards with :mod:`wa_audit.sandbox.seeders.moto_model`, since no API creates a resource in the past.

Outputs for later seeders (``env.outputs``), each keyed by region:

======================== ==========================================================================
key                      value per region
======================== ==========================================================================
``alerts_topic_arn``     ARN of the topic named ``alerts`` (for alarms, Health rules, budgets)
``topic_arns``           {topic name: ARN}
``vpc_ids``              the VPC's id
``subnet_ids``           {subnet name: id}
``security_group_ids``   {group name: id}
``image_ids``            {AMI name: id}
``instance_ids``         {instance name: id} (named instances; not those an ASG launched)
``launch_template_ids``  {template name: id}
``auto_scaling_groups``  {group name: ARN}
``load_balancer_arns``   {load balancer name: ARN}
``target_group_arns``    {target group name: ARN}
``db_instance_arns``     {DB identifier: ARN}
``table_arns``           {table name: ARN}
``bucket_names``         {name as written in the scenario: actual bucket name}
``volume_ids``           {volume name: id} (the detached volumes)
``elastic_ips``          {address name: allocation id}
======================== ==========================================================================
"""

from __future__ import annotations

from wa_audit.sandbox.scenario import SeedEnv, Seeder
from wa_audit.sandbox.seeders.workload_resources import Builder
from wa_audit.sandbox.seeders.workload_section import WorkloadSection


def seed_workload(section: WorkloadSection, env: SeedEnv) -> None:
    for region, workload in section.regions.items():
        made = Builder(env, region, section.tags)
        made.network(workload.network)
        made.security_groups(workload.security_groups)
        made.images(workload.images)
        made.instances(workload.instances)
        made.load_balancers(workload.load_balancers)
        made.auto_scaling_groups(workload.auto_scaling_groups)
        made.databases(workload.databases)
        made.tables(workload.tables)
        made.buckets(workload.buckets)
        made.topics(workload.topics)
        made.volumes(workload.volumes)
        made.elastic_ips(workload.elastic_ips)


SEEDER = Seeder("workload", WorkloadSection, seed_workload)
