"""Forms of the one-stop staff pages, by page: the counter screen (``reception``: applicant, papers
checklist, decision), the list filters (``lists``), and one small form per action of the dossier page
(``dossier``); ``fields`` holds the fields and widgets they share. Callers use the package:
``forms.ReceiveForm``."""

from onestop.forms.dossier import (
    RATING_CHOICES,
    ActionForm,
    ApproveForm,
    AssignForm,
    CancelSigningForm,
    CheckForm,
    ExtendForm,
    ForwardForm,
    HandOverForm,
    HandToUnitForm,
    RefuseForm,
    SendBackForm,
    StopForm,
    SubmitForm,
    SupplementForm,
    SupplementReceivedForm,
)
from onestop.forms.fields import (
    SCAN_ACCEPT,
    PersonChoiceField,
    ProcedureChoiceField,
    procedures_of,
    text_field,
)
from onestop.forms.lists import STATE_CHOICES, FilterForm
from onestop.forms.reception import (
    MAX_EXTRA_PAPERS,
    MAX_QUANTITY,
    OUTCOME_CHOICES,
    DecisionMixin,
    PaperChecklist,
    PaperRow,
    ReceiveForm,
)

__all__ = [
    "MAX_EXTRA_PAPERS",
    "MAX_QUANTITY",
    "OUTCOME_CHOICES",
    "RATING_CHOICES",
    "SCAN_ACCEPT",
    "STATE_CHOICES",
    "ActionForm",
    "ApproveForm",
    "AssignForm",
    "CancelSigningForm",
    "CheckForm",
    "DecisionMixin",
    "ExtendForm",
    "FilterForm",
    "ForwardForm",
    "HandOverForm",
    "HandToUnitForm",
    "PaperChecklist",
    "PaperRow",
    "PersonChoiceField",
    "ProcedureChoiceField",
    "ReceiveForm",
    "RefuseForm",
    "SendBackForm",
    "StopForm",
    "SubmitForm",
    "SupplementForm",
    "SupplementReceivedForm",
    "procedures_of",
    "text_field",
]
