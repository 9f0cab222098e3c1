"""The case queue and the case page (being written)."""

from django.http import Http404


def queue(request):
    raise Http404


def detail(request, pk: int):
    raise Http404
