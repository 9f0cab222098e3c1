"""The shell of a signed-in page (menu with its badges, header, account menu): ``{% shell %}``.

It is the same for a person on every page under the same menu entry, and most of the cost of rendering a
page (a hundred tags and filters, sixty static URLs). It is rendered once from ``eoffice/_shell.html`` and
kept in the cache under a key made of everything it shows: the person (name, position, agency, unit), the
language, the year, the site name, the unread count, the search page and the menu itself as
``eoffice.menu.menu_for`` answers it for this request (sections, entries, URLs, badges, the active entry).
Nothing is invalidated by hand: when anything shown changes, the key changes, so a kept fragment never
shows more than a fresh render would; the menu's own freshness is that of ``menu_for`` (its badges and
entries are kept ``EOFFICE_BADGE_SECONDS`` and forgotten by ``eoffice.menu.forget_badges``). With
``EOFFICE_BADGE_SECONDS = 0`` nothing is kept.

What differs from one request to the next is filled in after: the CSRF token (masked afresh for each
response, as Django does), the path of the language form's ``next`` and the words of the search box."""

from __future__ import annotations

import contextlib
import hashlib

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.functional import empty
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

TEMPLATE = "eoffice/_shell.html"
KEEP_SECONDS = 300  # a kept fragment is exact by its key: this only bounds the cache's memory
CSRF = "\x1eshell-csrf\x1e"
NEXT = "\x1eshell-next\x1e"
QUERY = "\x1eshell-q\x1e"
CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF}">'


def _value(context, name: str):
    value = context.get(name)
    return value() if callable(value) else value


_labels: dict[tuple, str] = {}  # (language, the registered entries) -> digest of every label


def _labels_digest(language: str) -> str:
    """The labels of every section and menu entry in this language, as one digest (computed once per
    process and language: the registry is made at start-up; a changed registry is another digest)."""
    from eoffice.menu import SECTIONS, registered

    items = registered()
    memo = (language, *(id(item) for item in items))
    digest = _labels.get(memo)
    if digest is None:
        labels = [(key, str(label)) for key, label in SECTIONS.items()]
        labels += [(item.key, str(item.label), item.icon, item.counter_tone) for item in items]
        digest = hashlib.blake2b(repr(labels).encode(), digest_size=8).hexdigest()
        if len(_labels) > 64:
            _labels.clear()
        _labels[memo] = digest
    return digest


def menu_fingerprint(sections) -> list:
    """Everything of the menu that the shell shows, as plain values (the labels by their digest)."""
    return [
        (
            s["key"],
            s["primary"],
            s["open"],
            s["pending"],
            s["active"],
            [(e["item"].key, e["url"], e["count"], e["active"]) for e in s["entries"]],
        )
        for s in sections
    ]


_static_urls: dict[tuple, str] = {}


@register.simple_tag
def kept_static(path: str) -> str:
    """``{% static path %}``, kept per process (the layout asks for the same dozen files on every page)."""
    key = (id(staticfiles_storage._wrapped), settings.DEBUG, settings.STATIC_URL, path)
    url = _static_urls.get(key)
    if url is None:
        url = static(path)
        if staticfiles_storage._wrapped is not empty:
            if len(_static_urls) > 512:
                _static_urls.clear()
            _static_urls[(id(staticfiles_storage._wrapped), settings.DEBUG, settings.STATIC_URL, path)] = url
    return url


_version: list = [None, ""]  # the loaded template and the digest of its source


def shell_template():
    """The partial and the digest of its source (part of the key: a changed template is a new key)."""
    loaded = get_template(TEMPLATE)
    if _version[0] is not loaded:
        source = getattr(loaded.template, "source", "")
        _version[:] = [loaded, hashlib.blake2b(source.encode(), digest_size=8).hexdigest()]
    return loaded, _version[1]


def shell_key(user, *, sections, unread, search_url: str, language: str, year: int, version: str) -> str:
    agency, department = user.agency, user.department
    parts = (
        version,
        _labels_digest(language),
        user.pk,
        user.username,
        user.full_name,
        user.position,
        agency.pk if agency else None,
        agency.name if agency else None,
        agency.parent.name if agency and agency.parent_id else None,
        department.name if department else None,
        language,
        year,
        settings.EOFFICE_SITE_NAME,
        unread,
        search_url,
        menu_fingerprint(sections),
    )
    return "shell:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


@register.simple_tag(takes_context=True)
def shell(context) -> str:
    request, user = context.get("request"), context["user"]
    sections = _value(context, "menu_sections") or []
    unread = _value(context, "unread_notifications") or 0
    search_url = _value(context, "search_url") or ""
    language = translation.get_language()
    seconds = KEEP_SECONDS if settings.EOFFICE_BADGE_SECONDS else 0
    html = None
    loaded, version = shell_template()
    if seconds:
        key = shell_key(
            user,
            sections=sections,
            unread=unread,
            search_url=search_url,
            language=language,
            year=timezone.localdate().year,
            version=version,
        )
        html = cache.get(key)
    if html is None:
        html = loaded.render(
            {
                "user": user,
                "site_name": context.get("site_name"),
                "menu_sections": sections,
                "unread_notifications": unread,
                "search_url": search_url,
                "LANGUAGE_CODE": language,
                "csrf_token": CSRF,
                "shell_next": NEXT,
                "shell_q": QUERY,
            }
        )
        if seconds:
            with contextlib.suppress(Exception):  # no cache: the next page renders again
                cache.set(key, html, seconds)
    here = request.get_full_path() if request is not None else ""
    words = ""
    if request is not None and search_url and request.path == search_url:
        words = request.GET.get("q", "")
    token = str(context.get("csrf_token") or "")
    if token in ("", "NOTPROVIDED"):  # as {% csrf_token %}: no field without a token
        html = html.replace(CSRF_FIELD, "")
    return mark_safe(  # noqa: S308 - the kept HTML was escaped when rendered; the values are escaped here
        html.replace(CSRF, escape(token)).replace(NEXT, escape(here)).replace(QUERY, escape(words))
    )
