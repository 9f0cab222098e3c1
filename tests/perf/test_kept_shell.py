"""The kept shell and dashboard (issue 22): the shell (menu, badges, header) is rendered once and kept under a
key made of everything it shows, the dashboard's widgets and previews are kept beside the person's badges;
what differs per request (the CSRF token, the language form's next path, the search words) is fresh on every
page; and nothing kept shows a person a document they may no longer see — after a part is handed away from
them, after a grant is revoked."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from documents.incoming import services
from documents.models import Confidentiality
from documents.records.metadata import services as access_services
from documents.records.models import AccessChange
from eoffice.templatetags import eoffice_shell
from tests.documents.conftest import people, receive  # noqa: F401 - the fixture
from tests.documents.incoming.helpers import direct
from workflow.models import Assignment

TODO = reverse("documents:incoming_queue", kwargs={"queue": "todo"})
INFO = reverse("documents:incoming_queue", kwargs={"queue": "info"})
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _badge(page: str, key: str) -> str | None:
    link = re.search(rf'data-menu="{re.escape(key)}">(.*?)</a>', page, re.S)
    assert link, key
    found = re.search(r'class="nav-badge[^"]*"[^>]*>(\d+)</span>', link.group(1))
    return found.group(1) if found else None


def _without_tokens(page: str) -> str:
    page = TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', page)


def _count_renders(monkeypatch) -> list:
    renders = []
    real = eoffice_shell.shell_template

    def counting():
        loaded, version = real()

        class Counting:
            def render(self, context):
                renders.append(1)
                return loaded.render(context)

        return Counting(), version

    monkeypatch.setattr(eoffice_shell, "shell_template", counting)
    return renders


@pytest.mark.django_db(transaction=True)
def test_shell_is_rendered_once_and_its_request_parts_are_fresh(people, settings, monkeypatch):  # noqa: F811
    settings.EOFFICE_BADGE_SECONDS = 30
    renders = _count_renders(monkeypatch)
    officer = people["officer"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    first = client.get(TODO).content.decode()
    second = client.get(TODO).content.decode()
    assert len(renders) == 1  # the second page took the kept shell
    assert officer.full_name in second and 'data-menu="documents.incoming.todo"' in second
    assert _without_tokens(first) == _without_tokens(second)
    tokens = TOKEN.findall(second)
    assert len(tokens) == 2 and tokens[0] == tokens[1] and tokens[0] not in TOKEN.findall(first)
    assert f'"X-CSRFToken": "{tokens[0]}"' in second  # the page's token, the same in the shell and the body
    # the next path of the language form is this request's, escaped
    response = client.get(TODO + "?page=1&x=<b>'")
    third = response.content.decode()
    assert len(renders) == 1
    full_path = response.wsgi_request.get_full_path()
    assert full_path.startswith(TODO + "?page=1&x=")
    assert f'name="next" type="hidden" value="{escape(full_path)}"' in third
    # the kept shell's token is valid: the account menu's logout form posts
    token = TOKEN.findall(third)[-1]
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    # another entry of the menu active: another key
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("directory")).content.decode()
    assert len(renders) == 2
    assert re.search(r'class="nav-link active" href="/directory/" aria-current="page"', page)


@pytest.mark.django_db(transaction=True)
def test_search_words_are_not_kept(people, settings):  # noqa: F811
    settings.EOFFICE_BADGE_SECONDS = 30
    from eoffice.search import search_page_url

    search = search_page_url()
    if not search:
        pytest.skip("no search page registered")
    client = _client(people["officer"])
    assert 'value="hợp đồng"' in client.get(search, {"q": "hợp đồng"}).content.decode()
    page = client.get(search, {"q": "<kế hoạch>"}).content.decode()
    assert 'value="&lt;kế hoạch&gt;"' in page and 'value="hợp đồng"' not in page
    assert 'name="q" maxlength="300" autocomplete="off"' in client.get(TODO).content.decode()
    assert "kế hoạch" not in client.get(TODO).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_part_handed_away_leaves_the_kept_shell_and_dashboard(people, settings):  # noqa: F811
    settings.EOFFICE_BADGE_SECONDS = 30
    officer, head = people["officer"], people["head"]
    doc = direct(receive(people["clerk"], n=7), people)
    unit_part = Assignment.objects.for_record(doc).get(role="lead")
    services.incoming_forward(document=doc, assignment=unit_part, by=head, to_user=officer)
    client = _client(officer)
    url = doc.get_absolute_url()
    for _ in range(2):  # counted, then kept
        queue = client.get(TODO).content.decode()
        assert f'href="{url}"' in queue and _badge(queue, "documents.incoming.todo") == "1"
        dashboard = client.get(reverse("dashboard")).content.decode()
        assert f'href="{url}"' in dashboard  # the pending-work preview
    # the head hands the unit's part to another officer: the first one's part is cancelled
    services.incoming_forward(document=doc, assignment=unit_part, by=head, to_user=people["officer2"])
    queue = client.get(TODO).content.decode()
    assert f'href="{url}"' not in queue and _badge(queue, "documents.incoming.todo") is None
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="{url}"' not in dashboard and 'data-todo="documents.incoming.todo"' not in dashboard
    # and the new holder has it at once
    queue = _client(people["officer2"]).get(TODO).content.decode()
    assert f'href="{url}"' in queue and _badge(queue, "documents.incoming.todo") == "1"


@pytest.mark.django_db(transaction=True)
def test_a_revoked_grant_leaves_the_kept_shell_and_dashboard(people, settings):  # noqa: F811
    settings.EOFFICE_BADGE_SECONDS = 30
    reader = people["officer2"]
    doc = receive(
        people["clerk"], n=8, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    doc = direct(doc, people, informed=[reader])  # the persons named on a secret document are granted it
    client = _client(reader)
    url = doc.get_absolute_url()
    for _ in range(2):  # counted, then kept
        page = client.get(INFO).content.decode()
        assert f'href="{url}"' in page and _badge(page, "documents.incoming.info") == "1"
        client.get(reverse("dashboard"))
    access_services.access_grant_request(document=doc, by=people["clerk"], users=[reader], revoke=True)
    change = AccessChange.objects.get(action="revoke")
    access_services.access_change_decide(by=people["leader"], pk=change.pk, confirm=True)
    page = client.get(INFO).content.decode()
    assert f'href="{url}"' not in page and _badge(page, "documents.incoming.info") is None
    assert client.get(url).status_code == 404
    # the dashboard read again: the same as with nothing kept (its "my work" widget lists the person's
    # parts as the workflow engine holds them, kept or not)
    kept = client.get(reverse("dashboard")).content.decode()
    settings.EOFFICE_BADGE_SECONDS = 0
    assert _without_tokens(kept) == _without_tokens(client.get(reverse("dashboard")).content.decode())


@pytest.mark.django_db(transaction=True)
def test_dashboard_widgets_are_kept_with_the_badges(people, settings, monkeypatch):  # noqa: F811
    from eoffice import services as core
    from eoffice import views

    settings.EOFFICE_BADGE_SECONDS = 30
    calls = []
    real = views.widgets_for
    monkeypatch.setattr(views, "widgets_for", lambda user: calls.append(user.pk) or real(user))
    client = _client(people["leader"])
    first = client.get(reverse("dashboard")).content.decode()
    second = client.get(reverse("dashboard")).content.decode()
    assert len(calls) == 1  # the second dashboard took the kept widgets
    widgets = re.compile(r'data-widget="([^"]+)"')
    assert widgets.findall(first) == widgets.findall(second)
    assert _without_tokens(first) == _without_tokens(second)
    core.notify(recipients=[people["leader"]], kind="test", title="Văn bản mới", url="/")
    client.get(reverse("dashboard"))
    assert len(calls) == 2  # what reached the person: read again
