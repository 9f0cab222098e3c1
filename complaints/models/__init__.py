"""Citizen reception and letters: complaints, denunciations, petitions (tiếp công dân, xử lý đơn, giải
quyết khiếu nại, tố cáo, kiến nghị, phản ánh).

By sub-domain: ``legal`` (the deadline rules and the forms, versioned by the date they take effect),
``config`` (an agency's settings, register counters), ``reception`` (reception sessions, the sổ tiếp công
dân), ``letters`` (the sổ xử lý đơn and the scans), ``identity`` (the people behind a letter, encrypted,
and the log of reads), ``cases`` (one case per content: intake, resolution, the clock, the case file, the
documents drafted), ``public`` (published answers). Models only guard and change fields; every write goes
through ``complaints.services``.
"""

from complaints.models.cases import (
    INTAKE_EXITS,
    OPEN_CASE_STATES,
    Case,
    CaseDocument,
    CaseMember,
    CaseState,
    CaseStep,
    Complexity,
    Field,
    IntakeOutcome,
    NotProcessable,
    Stage,
)
from complaints.models.config import ComplaintSettings, RegisterCounter
from complaints.models.identity import ENCRYPTED_FIELDS, Identity, IdentityRead
from complaints.models.legal import FormCode, LegalForm, LegalRule, RuleCode, StartEvent, Unit
from complaints.models.letters import Letter, LetterFile, Source
from complaints.models.public import PublishedAnswer
from complaints.models.reception import CaseKind, ReceptionSession, Visit

__all__ = [
    "ENCRYPTED_FIELDS",
    "INTAKE_EXITS",
    "OPEN_CASE_STATES",
    "Case",
    "CaseDocument",
    "CaseKind",
    "CaseMember",
    "CaseState",
    "CaseStep",
    "ComplaintSettings",
    "Complexity",
    "Field",
    "FormCode",
    "Identity",
    "IdentityRead",
    "IntakeOutcome",
    "LegalForm",
    "LegalRule",
    "Letter",
    "LetterFile",
    "NotProcessable",
    "PublishedAnswer",
    "ReceptionSession",
    "RegisterCounter",
    "RuleCode",
    "Source",
    "StartEvent",
    "Stage",
    "Unit",
    "Visit",
]
