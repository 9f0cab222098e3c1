"""documents.outgoing.models: the visibility rule lives with the model (``visible_q``); the workflow engine's
``OutgoingDocument.visible_to`` and the selectors filter with it (models import no selector)."""

from __future__ import annotations

from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument, visible_q
from documents.outgoing.selectors import visible_outgoing
from tests.documents.outgoing.helpers import _fields
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_visible_to_is_the_selectors_rule(office, agency_b):
    draft = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    for who in ("officer", "head", "leader", "clerk", "outsider", "clerk_b"):
        user = office[who]
        assert set(OutgoingDocument.visible_to(user)) == set(visible_outgoing(user)), who
        sql = str(OutgoingDocument.objects.filter(visible_q(user)).query)
        assert str(OutgoingDocument.visible_to(user).query) == sql == str(visible_outgoing(user).query), who
    assert OutgoingDocument.visible_to(office["officer"]).filter(pk=draft.pk).exists()
    assert not OutgoingDocument.visible_to(office["clerk_b"]).exists()


def test_no_injected_visibility():
    """No hook set at app start: the model's own rule, the same one the selectors import."""
    from documents.outgoing import selectors

    assert not hasattr(OutgoingDocument, "visibility")
    assert selectors.visible_q is visible_q


def test_models_import_no_selector():
    import ast
    import inspect
    import pkgutil
    from importlib import import_module

    from documents.outgoing import models

    names = ["documents.outgoing.models"] + [
        f"documents.outgoing.models.{m.name}" for m in pkgutil.iter_modules(models.__path__)
    ]
    assert len(names) > 1
    for name in names:
        tree = ast.parse(inspect.getsource(import_module(name)))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(mod and "selectors" in mod for mod in imported), name
