from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from documents.demo import seed_documents
        from documents.exchange import menus as exchange_menus
        from documents.exchange import status as exchange_status
        from documents.incoming import registry
        from documents.outgoing import registry as outgoing_registry
        from documents.outgoing.authorizations import menus as authorization_menus
        from documents.outgoing.demo import seed_outgoing
        from documents.outgoing.format import demo as format_demo
        from documents.records import menus as records_menus
        from documents.records import records_incoming, records_outgoing
        from documents.records.archive import demo as archive_demo
        from documents.records.archive import menus as archive_menus
        from documents.records.levels import menus as levels_menus
        from documents.records.metadata import menus as records_metadata_menus
        from documents.records.plan import menus as plan_menus
        from documents.search import registry as search_registry
        from documents.stats import registry as stats_registry
        from eoffice import demo, routes

        routes.register("documents/", "documents.urls")
        # the exchange node other installations call (HMAC-authenticated API, no session, no CSRF)
        routes.register("exchange/node/", "documents.exchange.node.urls")
        registry.register_all()
        outgoing_registry.register_all()
        search_registry.register_all()
        stats_registry.register_all()
        exchange_menus.register_all()
        exchange_status.register()  # its block on eoffice's "Tình trạng hệ thống" page
        authorization_menus.register_all()
        plan_menus.register_all()
        records_menus.register_all()
        records_metadata_menus.register_all()
        levels_menus.register_all()
        records_incoming.register(), records_outgoing.register()
        demo.register_seeder(seed_documents)
        demo.register_seeder(seed_outgoing)
        # Văn phòng's format reviewers are named after every other seeder: once named, the outgoing drafts
        # the other demos approve (meetings' invitations, complaints' decisions …) would wait for the check.
        demo.register_seeder(format_demo.seed_format_check, last=True)
        archive_menus.register_all()
        demo.register_seeder(archive_demo.seed_archive)
