"""The documents app's routes, one namespace (``documents``): each sub-package's routes in its own module."""

from django.urls import include, path

from documents.copies import urls as copies_urls
from documents.exchange import urls as exchange_urls
from documents.incoming import urls as incoming_urls
from documents.outgoing import urls as outgoing_urls
from documents.outgoing.format import urls as outgoing_format_urls
from documents.records import urls as records_urls
from documents.records.archive import urls as archive_urls
from documents.records.export import urls as records_export_urls
from documents.records.metadata import urls as records_metadata_urls
from documents.registers import urls as registers_urls

app_name = "documents"

urlpatterns = [
    *incoming_urls.urlpatterns,
    *registers_urls.urlpatterns,
    *copies_urls.urlpatterns,  # copies: sao y, sao lục, trích sao
    *records_urls.urlpatterns,
    *archive_urls.urlpatterns,
    *records_export_urls.urlpatterns,
    *records_metadata_urls.urlpatterns,
    # Outgoing documents: routes in their own module, same namespace.
    *outgoing_urls.urlpatterns,
    *outgoing_format_urls.urlpatterns,  # the format check before signing and its assignments
    # Exchange with outside agencies: log, delivery counters, raw packages, the answer (same namespace).
    *exchange_urls.urlpatterns,
    # Search and statistics: each in its own package, same namespace.
    path("", include("documents.search.urls")),
    path("", include("documents.stats.urls")),
    path("", include("documents.records.plan.urls")),  # the annual file plan (danh mục hồ sơ)
    path("", include("documents.records.levels.urls")),  # information levels of case files (IV.1.a)
]
