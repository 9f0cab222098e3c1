"""What search adds to the shell: the sources (incoming, outgoing), the files whose text is extracted, the
top-bar box's page, a menu entry, and a demo seeder that fills the full text of the demo documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice import demo
from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.search import register_search_page


def seed_texts(stdout) -> None:
    """The demo documents' full text, extracted now (the worker may not run while the demo is loaded)."""
    from documents.search import extract

    done = extract.extract_pending()
    if done:
        stdout.write(f"search: nội dung toàn văn của {done} văn bản\n")


def register_all() -> None:
    from documents.demo import seed_documents
    from documents.outgoing.demo import seed_outgoing
    from documents.search import casefiles, extract, sources

    sources.register_documents()
    casefiles.register_source()
    extract.register_documents()
    register_search_page("documents:search")
    register_menu(
        MenuItem(
            key="documents.search",
            section="documents",
            label=_("Tra cứu văn bản"),
            url_name="documents:search",
            icon="search",
            order=45,
        )
    )
    # The text seeder must run after the seeders that create the documents (registering is idempotent, so
    # documents/apps.py registering them again afterwards keeps this order).
    demo.register_seeder(seed_documents)
    demo.register_seeder(seed_outgoing)
    demo.register_seeder(seed_texts)
