"""The format reviewer's queue (its badge and query count) and the agency admin's assignment page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.outgoing import selectors
from documents.outgoing.models import FormatReviewRule
from eoffice.models import Role
from tests.documents.outgoing.format.helpers import to_format_check
from tests.documents.outgoing.helpers import _type
from tests.factories import make_user


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_queue_lists_what_waits_for_the_reviewer(
    office, agency_b, checker, client, django_assert_max_num_queries
):
    docs = [to_format_check(office, agency_b) for _ in range(3)]
    assert selectors.queue_counts(checker, fresh=True)["format"] == 3
    assert selectors.queue_counts(office["officer"], fresh=True)["format"] == 0
    _login(client, checker)
    url = reverse("documents:outgoing_queue", kwargs={"queue": "format"})
    client.get(url)  # warm the menu caches
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Chờ kiểm tra thể thức" in html
    assert all(doc.get_absolute_url() in html for doc in docs)
    # the same number of queries with more rows
    to_format_check(office, agency_b)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200
    # the queue's tab and menu entry only for reviewers
    home = _login(client, office["officer"]).get(reverse("documents:outgoing_list")).content.decode()
    assert url not in home


def test_admin_assigns_reviewers_per_type(office, agency_a, agency_b, client):
    admin = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Hồ Quang Minh")
    reviewer = make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Lê Thị Văn Phòng")
    stranger = make_user(agency=agency_b, roles=[Role.OFFICER], full_name="Người Cơ Quan Khác")
    qd = _type("Quyết định", "QĐ")
    url = reverse("documents:outgoing_format_rules")
    assert _login(client, office["officer"]).get(url).status_code == 403
    page = _login(client, admin).get(url)
    assert page.status_code == 200 and "Thêm phân công" in page.content.decode()
    response = client.post(url, {"doc_type": qd.pk, "reviewer": reviewer.pk})
    assert response.status_code == 302
    rule = FormatReviewRule.objects.get()
    assert (rule.agency, rule.doc_type, rule.reviewer) == (agency_a, qd, reviewer)
    # twice: refused with a message, nothing added
    response = client.post(url, {"doc_type": qd.pk, "reviewer": reviewer.pk})
    assert response.status_code == 200 and "đã được phân công" in response.content.decode()
    # a person of another agency is not offered
    response = client.post(url, {"doc_type": "", "reviewer": stranger.pk})
    assert response.status_code == 200 and FormatReviewRule.objects.count() == 1
    # the rule now routes a QĐ to the reviewer
    doc = to_format_check(office, agency_b, doc_type=qd)
    assert doc.format_reviewer == reviewer
    # removed; another agency's admin cannot remove it
    other_admin = make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN])
    delete = reverse("documents:outgoing_format_rule_delete", args=[rule.pk])
    assert _login(client, other_admin).post(delete).status_code == 404
    assert _login(client, admin).post(delete).status_code == 302
    assert not FormatReviewRule.objects.exists()


def test_a_rule_reviewer_sees_the_queue_and_the_rule_is_read_once_a_page(office, agency_a, client):
    """Named by a rule, without the role: the menu entry and the list page's tab both show the queue, and
    the rule's query runs once for the page (kept on the user for the request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewer = make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Lê Thị Văn Phòng")
    FormatReviewRule.objects.create(agency=agency_a, doc_type=None, reviewer=reviewer)
    table = FormatReviewRule._meta.db_table
    queue = reverse("documents:outgoing_queue", kwargs={"queue": "format"})
    _login(client, reviewer)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("documents:outgoing_list")).content.decode()
    assert html.count(f'href="{queue}"') >= 2  # the menu entry and the tab
    assert sum(f'"{table}"' in q["sql"] for q in ctx.captured_queries) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_menu_cache_the_rule_is_read_once_until_the_admin_changes_it(
    office, agency_a, client, settings
):
    """In production the menu's entries are kept with the badges: the reviewer's pages stop asking for the
    rule, and the admin's removing it shows at the reviewer's next page."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.outgoing.format import services as format_services

    settings.EOFFICE_BADGE_SECONDS = 300
    admin = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN])
    reviewer = make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Lê Thị Văn Phòng")
    cache.delete_many([f"menu-open:{reviewer.pk}", f"menu-badges:{reviewer.pk}"])
    rule = format_services.rule_add(by=admin, reviewer=reviewer, doc_type=None)
    table = FormatReviewRule._meta.db_table
    queue = reverse("documents:outgoing_queue", kwargs={"queue": "format"})
    _login(client, reviewer)
    assert f'href="{queue}"' in client.get(reverse("directory")).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert f'href="{queue}"' in client.get(reverse("directory")).content.decode()
    assert not any(f'"{table}"' in q["sql"] for q in ctx.captured_queries)
    format_services.rule_remove(by=admin, rule=rule)
    assert f'href="{queue}"' not in client.get(reverse("directory")).content.decode()
    cache.delete_many([f"menu-open:{reviewer.pk}", f"menu-badges:{reviewer.pk}"])
