"""``signature_completed(sender=SignatureRequest, request=...)``: sent after commit once signed."""

from django.dispatch import Signal

signature_completed = Signal()
