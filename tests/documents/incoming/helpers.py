"""What the incoming tests share: a leader's direction with the usual defaults."""

from datetime import timedelta

from django.utils import timezone

from documents.incoming import services


def direct(doc, people, **extra):
    kwargs = {
        "document": doc,
        "by": people["leader"],
        "instruction": "Giao Phòng ĐKKD chủ trì, báo cáo trước 15/3.",
        "lead_department": people["unit"],
        "informed": [people["other_head"]],
        "due_at": timezone.now() + timedelta(days=7),
    }
    kwargs.update(extra)
    return services.incoming_direct(**kwargs)
