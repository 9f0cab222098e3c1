"""Admin of the one-stop module: the procedures catalogue (with Excel export and import) and the agency's
counter settings are edited here; dossiers are only read (every change of a dossier goes through
``onestop.services``). An agency admin sees and edits only their own agency's rows.

By model family: ``catalogue`` (fields, procedures, their papers and steps, the Excel export and import, with
their forms in ``forms``), ``config`` (counter settings), ``dossiers`` (read only). Django's autodiscovery
imports this package; importing the submodules here registers their admins.
"""

from onestop.admin.catalogue import ProcedureAdmin, ProcedureFieldAdmin
from onestop.admin.config import OnestopConfigAdmin
from onestop.admin.dossiers import DossierAdmin

__all__ = ["DossierAdmin", "OnestopConfigAdmin", "ProcedureAdmin", "ProcedureFieldAdmin"]
