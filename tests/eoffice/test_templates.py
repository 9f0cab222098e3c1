"""One templates location: every app of this repository keeps its templates in the project's
``templates/<app>/``; Django's and the libraries' own (admin, …) still load from their packages."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template

BASE_DIR = Path(settings.BASE_DIR).resolve()


def test_no_app_of_the_project_keeps_its_own_templates_folder():
    ours = [a for a in apps.get_app_configs() if Path(a.path).resolve().parent == BASE_DIR]  # not .venv's
    assert {a.label for a in ours} >= {"eoffice", "documents", "onestop", "signing", "workflow"}
    own = [str(Path(a.path) / "templates") for a in ours if (Path(a.path) / "templates").is_dir()]
    assert own == [], f"move these into {BASE_DIR / 'templates'}/<app>/: {own}"


def test_the_project_folder_and_the_libraries_templates_load():
    (engine,) = settings.TEMPLATES
    assert engine["DIRS"] == [BASE_DIR / "templates"] and engine["APP_DIRS"] is True
    for name in ("base.html", "onestop/detail.html", "documents/incoming/list.html", "signing/verify.html"):
        assert Path(get_template(name).origin.name).is_relative_to(BASE_DIR / "templates"), name
    assert "django/contrib/admin" in get_template("admin/base.html").origin.name


def test_widgets_render_from_the_project_folder():
    from django import forms

    from eoffice.admin import PrivateFileInput

    assert 'name="seal"' in PrivateFileInput().render("seal", None)  # a project widget template
    assert 'type="text"' in forms.TextInput().render("x", "")  # Django's own widget templates
