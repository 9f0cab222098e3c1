"""The models package: every model reachable from ``onestop.models``, no migration drift, layers kept."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

import onestop.models

PACKAGE = Path(onestop.models.__file__).parent


def test_every_model_is_importable_from_the_package():
    for model in apps.get_app_config("onestop").get_models():
        assert getattr(onestop.models, model.__name__) is model
        assert model.__name__ in onestop.models.__all__


def test_migration_0001_still_finds_the_upload_path():
    assert onestop.models._dossier_upload is onestop.models.dossier_upload


@pytest.mark.django_db
def test_the_split_changes_no_migration():
    out = io.StringIO()
    call_command("makemigrations", "onestop", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_models_import_no_selectors_or_services(path):
    """Not at module level, not inside a function either."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            assert not any(part in ("selectors", "services") for part in name.split(".")), name
