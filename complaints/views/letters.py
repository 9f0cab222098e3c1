"""The sổ xử lý đơn pages (being written)."""

from django.http import Http404


def letter_detail(request, pk: int):
    raise Http404
