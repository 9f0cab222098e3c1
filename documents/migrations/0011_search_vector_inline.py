"""Keep the documents' search vectors in the row (issue 22).

A vector (~1.2 KB, ~90 words of metadata and PDF text) is barely compressible, so with the default
``EXTENDED`` storage PostgreSQL moved it out of line into the TOAST table: every ``search_vector @@ …``
outside the GIN index (an officer's own documents, the ranking window, the list filter) then read it back
through the TOAST index, ~8 µs a row. With ``MAIN`` the vector stays in the row and the longer text
columns (``text_content``, ``text_folded``, which no list reads) go out of line first: ~2 µs a row,
measured on the 24,606 incoming documents of the busiest agency at 1M.

Only the storage strategy changes (catalogue only, instant). Rows already written keep their layout until
they are rewritten, so on a database that already holds documents run, in a quiet hour (it locks the table
and rebuilds its indexes): ``VACUUM FULL documents_incomingdocument`` and ``VACUUM FULL
documents_outgoingdocument`` — 120 s and 44 s at 1,000,000 documents on the benchmark machine (2 cores,
shared). Rows written after the migration get it at once, so ``bench/province.py`` (which loads after
migrating) needs nothing more.
"""

from django.db import migrations

TABLES = ("documents_incomingdocument", "documents_outgoingdocument")


def _storage(strategy: str) -> list[str]:
    return [f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE {strategy}" for table in TABLES]


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0010_outgoing_format_copies_levels"),
    ]

    operations = [
        migrations.RunSQL(sql=_storage("MAIN"), reverse_sql=_storage("EXTENDED")),
    ]
