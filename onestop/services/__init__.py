"""Every write of the one-stop module, by sub-domain: reception (counter and online check), online
submission, processing (hand-offs, submission, review, refusal, stop), approval (and the signing bridge),
supplements and extensions (the clock's pauses and form 04), results (hand-over and rating); ``core`` holds
what they share (the locked fetch, one transition, the hand-off log, the applicant's email).

Each service is one transaction: it locks the dossier (``core.lock_dossier``, through
``selectors.dossier_access`` when a person acts), checks the actor's right (through the FSM transition's
permission), moves the state, writes the history row and the hand-off log (form 06), and queues the
applicant's email with ``transaction.on_commit``. Callers use the package: ``services.dossier_assign(...)``.

Only writes live here: the predicates and the clock's arithmetic are in ``onestop.rules`` and the agency's
configuration in ``onestop.selectors``; call them from there.
"""

from onestop.services.approval import dossier_approve, dossier_cancel_signing
from onestop.services.core import (
    EMAIL_EVENTS,
    lock_dossier,
    resolve_locked,
    transition_locked,
)
from onestop.services.online import OTP_PURPOSE, online_submit
from onestop.services.processing import (
    dossier_assign,
    dossier_forward,
    dossier_hand_to_unit,
    dossier_refuse,
    dossier_send_back,
    dossier_stop,
    dossier_submit,
)
from onestop.services.reception import (
    OUTCOME_INCOMPLETE,
    OUTCOME_INELIGIBLE,
    OUTCOME_VALID,
    SCAN_KINDS,
    Applicant,
    PaperInput,
    dossier_check,
    dossier_receive,
    next_code,
    validate_scan,
)
from onestop.services.results import dossier_hand_over, dossier_rate
from onestop.services.supplements import (
    dossier_extend,
    dossier_request_supplement,
    dossier_supplement_received,
)

__all__ = [
    "EMAIL_EVENTS",
    "OTP_PURPOSE",
    "OUTCOME_INCOMPLETE",
    "OUTCOME_INELIGIBLE",
    "OUTCOME_VALID",
    "SCAN_KINDS",
    "Applicant",
    "PaperInput",
    "dossier_approve",
    "dossier_assign",
    "dossier_cancel_signing",
    "dossier_check",
    "dossier_extend",
    "dossier_forward",
    "dossier_hand_over",
    "dossier_hand_to_unit",
    "dossier_rate",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_send_back",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement_received",
    "lock_dossier",
    "next_code",
    "online_submit",
    "resolve_locked",
    "transition_locked",
    "validate_scan",
]
