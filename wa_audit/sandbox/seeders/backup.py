"""AWS Backup plans and their resource selections, created as a user would (plan, then selection)."""

from __future__ import annotations

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

BACKUP_ROLE = "AWSBackupDefaultServiceRole"


class BackupPlan(SectionModel):
    region: str
    name: str
    resources: tuple[str, ...] = Field(default=(), description="ARN patterns, '*' for all.")
    tags: dict[str, str] = Field(default_factory=dict, description="Select by tag (ListOfTags).")
    schedule: str = "cron(0 5 ? * * *)"
    retention_days: int = 35


class BackupSection(SectionModel):
    plans: tuple[BackupPlan, ...] = ()


def seed_backup(section: BackupSection, env: SeedEnv) -> None:
    for plan in section.plans:
        backup = env.client("backup", plan.region)
        created = backup.create_backup_plan(
            BackupPlan={
                "BackupPlanName": plan.name,
                "Rules": [
                    {
                        "RuleName": "daily",
                        "TargetBackupVaultName": "Default",
                        "ScheduleExpression": plan.schedule,
                        "Lifecycle": {"DeleteAfterDays": plan.retention_days},
                    }
                ],
            }
        )
        backup.create_backup_selection(
            BackupPlanId=created["BackupPlanId"],
            BackupSelection={
                "SelectionName": f"{plan.name}-resources",
                "IamRoleArn": f"arn:aws:iam::{env.account_id}:role/service-role/{BACKUP_ROLE}",
                "Resources": list(plan.resources),
                "ListOfTags": [
                    {"ConditionType": "STRINGEQUALS", "ConditionKey": k, "ConditionValue": v}
                    for k, v in plan.tags.items()
                ],
            },
        )


SEEDER = Seeder("backup", BackupSection, seed_backup)
