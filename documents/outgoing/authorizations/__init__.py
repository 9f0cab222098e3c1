"""Giao ký, ủy quyền ký: the agency's records that allow KT., Q., TL. and TUQ. (Điều 13 Decree 30), their
page for the agency admin and leaders, and the Django admin. The rules that read them: ``signers``."""
