"""What the file plan does when the outgoing flow moves its decision: issued → the plan is approved;
draft cancelled or issued decision recalled → the plan is a draft again. Both run inside the outgoing
transaction (a receiver that raises rolls it back).

The issue comes by ``documents.outgoing.signals.document_issued``; the cancel and the recall by the history
row ``workflow.services.record_transition`` writes for them (it carries the actor and the reason; the
outgoing services send no signal of their own for these). Connected by ``DocumentsConfig.ready``."""

from __future__ import annotations

from django.db.models.signals import post_save

WITHDRAWING = frozenset({"cancel", "recall"})


def on_document_issued(sender, *, document, by, **kwargs) -> None:
    from documents.records.plan import approval

    approval.decision_issued(document=document, by=by)


def on_history_saved(sender, *, instance, created, **kwargs) -> None:
    if not created or instance.action not in WITHDRAWING:
        return
    from django.contrib.contenttypes.models import ContentType

    from documents.outgoing.models import OutgoingDocument
    from documents.records.plan import approval

    if instance.content_type_id != ContentType.objects.get_for_model(OutgoingDocument).pk:
        return
    approval.decision_withdrawn(
        document_id=instance.object_id, by=instance.actor, action=instance.action, comment=instance.comment
    )


def connect() -> None:
    from documents.outgoing.signals import document_issued
    from workflow.models import HistoryEntry

    document_issued.connect(on_document_issued, dispatch_uid="records.plan.on_document_issued")
    post_save.connect(on_history_saved, sender=HistoryEntry, dispatch_uid="records.plan.on_history_saved")
