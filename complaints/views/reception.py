"""The reception pages (being written)."""

from django.http import Http404


def visit_detail(request, pk: int):
    raise Http404
