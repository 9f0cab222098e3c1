"""The URL prefixes of the business apps, registered by each app in its ``AppConfig.ready`` so that the
project's URLconf (``eoffice.urls``) imports no business app:

    from eoffice import routes
    routes.register("documents/", "documents.urls")

``urlconf`` is a module path (a string: nothing is imported until Django loads the URLconf, after every
app is ready). The includes are mounted in the order they were registered, that is, in the order of
``INSTALLED_APPS``; a prefix is registered once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLResolver, include, path


@dataclass(frozen=True)
class Route:
    prefix: str
    urlconf: str


_ROUTES: dict[str, Route] = {}


def register(prefix: str, urlconf: str) -> Route:
    """Mount the URLconf module ``urlconf`` at ``prefix`` (``"documents/"``); registering the same pair
    again is a no-op, another module at a taken prefix an error."""
    route = Route(prefix=prefix, urlconf=urlconf)
    known = _ROUTES.get(prefix)
    if known is not None and known != route:
        raise ValueError(f"URL prefix {prefix!r} is already taken by {known.urlconf}")
    _ROUTES[prefix] = route
    return route


def registered() -> list[Route]:
    return list(_ROUTES.values())


def patterns() -> list[URLResolver]:
    """The ``path(prefix, include(urlconf))`` of every registered route, for ``eoffice.urls``."""
    return [path(route.prefix, include(route.urlconf)) for route in _ROUTES.values()]
