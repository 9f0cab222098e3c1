"""One-stop dossiers (hồ sơ một cửa): the procedures catalogue, dossiers, their hand-offs and their clock.

Every day count, hour and form field is data: the procedure's legal time and its internal steps, the
agency's cut-off hour and receiving-unit code (``OnestopConfig``). Models only guard and change fields;
every write goes through ``onestop.services``.

By sub-domain: ``catalogue`` (fields, procedures, required papers, internal steps), ``config`` (the
agency's one-stop settings, the code counter, e-mail codes), ``states`` (a dossier's choices and state
groups), ``dossier`` (the dossier and its transitions), ``handling`` (its papers, hand-offs, supplement
requests, reminders). Every model is imported here, so ``from onestop.models import X`` keeps working.
"""

from onestop.models.catalogue import (
    STEP_ORDER,
    STEP_ROLE,
    CutoffRule,
    OnlineLevel,
    PaperKind,
    Procedure,
    ProcedureField,
    ProcedureQuerySet,
    ProcedureStep,
    RequiredPaper,
    StepKind,
    TimeUnit,
)
from onestop.models.config import CutoffScope, DossierCounter, OnestopConfig
from onestop.models.dossier import Dossier, dossier_upload
from onestop.models.handling import DossierPaper, DossierReminder, DossierStep, SupplementRequest
from onestop.models.letters import DossierLetter
from onestop.models.states import (
    CLOSED_STATES,
    COUNTER_STATES,
    OPEN_STATES,
    PROCESSING_STATES,
    STATE_STEP,
    UNIT_HEAD_STATES,
    UNIT_STATES,
    ApplicantKind,
    Channel,
    DossierState,
    Outcome,
    Timing,
    timing_of,
)

# Migration 0001 names the upload path function by its former place (``onestop.models._dossier_upload``).
_dossier_upload = dossier_upload

__all__ = [
    "DossierLetter",
    "CLOSED_STATES",
    "COUNTER_STATES",
    "OPEN_STATES",
    "PROCESSING_STATES",
    "STATE_STEP",
    "STEP_ORDER",
    "STEP_ROLE",
    "UNIT_HEAD_STATES",
    "UNIT_STATES",
    "ApplicantKind",
    "Channel",
    "CutoffRule",
    "CutoffScope",
    "Dossier",
    "DossierCounter",
    "DossierPaper",
    "DossierReminder",
    "DossierState",
    "DossierStep",
    "OnestopConfig",
    "OnlineLevel",
    "Outcome",
    "PaperKind",
    "Procedure",
    "ProcedureField",
    "ProcedureQuerySet",
    "ProcedureStep",
    "RequiredPaper",
    "StepKind",
    "SupplementRequest",
    "TimeUnit",
    "Timing",
    "dossier_upload",
    "timing_of",
]
