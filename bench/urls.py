"""The product's URLs plus a bare view, the floor of the throughput comparison (``bench/throughput.py``)."""

from django.http import HttpResponse
from django.urls import path

from eoffice.urls import urlpatterns as product_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *product_urlpatterns]
