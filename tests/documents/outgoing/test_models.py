"""documents.outgoing.models: the workflow engine's visibility hook asks the selector (models import none)."""

from __future__ import annotations

from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.selectors import visible_outgoing
from tests.documents.outgoing.helpers import _fields
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_visible_to_is_the_selectors_rule(office, agency_b):
    draft = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    for who in ("officer", "head", "leader", "clerk", "outsider", "clerk_b"):
        user = office[who]
        assert set(OutgoingDocument.visible_to(user)) == set(visible_outgoing(user)), who
    assert OutgoingDocument.visible_to(office["officer"]).filter(pk=draft.pk).exists()
    assert not OutgoingDocument.visible_to(office["clerk_b"]).exists()


def test_models_import_no_selector():
    import ast
    import inspect

    from documents.outgoing import models

    tree = ast.parse(inspect.getsource(models))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name and "selectors" in name for name in imported)
