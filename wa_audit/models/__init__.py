"""The data that crosses wa-audit's boundaries, one module per theme; import from here."""

from wa_audit.models.check import (
    BEST_PRACTICE_PATTERN as BEST_PRACTICE_PATTERN,
)
from wa_audit.models.check import (
    CHECK_ID_PATTERN as CHECK_ID_PATTERN,
)
from wa_audit.models.check import (
    GLOBAL_REGION as GLOBAL_REGION,
)
from wa_audit.models.check import (
    CheckSpec as CheckSpec,
)
from wa_audit.models.check import (
    Frozen as Frozen,
)
from wa_audit.models.check import (
    Pillar as Pillar,
)
from wa_audit.models.check import (
    Severity as Severity,
)
from wa_audit.models.check import (
    Status as Status,
)
from wa_audit.models.finding import (
    AppliedSuppression as AppliedSuppression,
)
from wa_audit.models.finding import (
    Change as Change,
)
from wa_audit.models.finding import (
    Finding as Finding,
)
from wa_audit.models.finding import (
    FindingChange as FindingChange,
)
from wa_audit.models.finding import (
    FindingKey as FindingKey,
)
from wa_audit.models.finding import (
    SuppressionOutcome as SuppressionOutcome,
)
from wa_audit.models.finding import (
    SuppressionRule as SuppressionRule,
)
from wa_audit.models.finding import (
    SuppressionState as SuppressionState,
)
from wa_audit.models.finding import (
    by_severity as by_severity,
)
from wa_audit.models.grouping import (
    FindingGroup as FindingGroup,
)
from wa_audit.models.grouping import (
    group_findings as group_findings,
)
from wa_audit.models.report import (
    SCHEMA_VERSION as SCHEMA_VERSION,
)
from wa_audit.models.report import (
    AuditError as AuditError,
)
from wa_audit.models.report import (
    BaselineInfo as BaselineInfo,
)
from wa_audit.models.report import (
    OrganizationPlace as OrganizationPlace,
)
from wa_audit.models.report import (
    RegionNote as RegionNote,
)
from wa_audit.models.report import (
    Report as Report,
)
from wa_audit.models.scores import (
    SCORE_RULE as SCORE_RULE,
)
from wa_audit.models.scores import (
    AnswerRecord as AnswerRecord,
)
from wa_audit.models.scores import (
    AssessedBy as AssessedBy,
)
from wa_audit.models.scores import (
    BestPracticeResult as BestPracticeResult,
)
from wa_audit.models.scores import (
    BestPracticeStatus as BestPracticeStatus,
)
from wa_audit.models.scores import (
    Coverage as Coverage,
)
from wa_audit.models.scores import (
    PillarScore as PillarScore,
)
from wa_audit.models.scores import (
    QuestionResult as QuestionResult,
)
from wa_audit.models.scores import (
    QuestionRisk as QuestionRisk,
)
from wa_audit.models.scores import (
    Scores as Scores,
)
from wa_audit.models.sections import (
    QUOTA_CHECK_ID as QUOTA_CHECK_ID,
)
from wa_audit.models.sections import (
    MonthlyCost as MonthlyCost,
)
from wa_audit.models.sections import (
    QuotaRequest as QuotaRequest,
)
from wa_audit.models.sections import (
    QuotaUsage as QuotaUsage,
)
from wa_audit.models.sections import (
    ServiceCost as ServiceCost,
)
from wa_audit.models.sections import (
    SpendSummary as SpendSummary,
)
