"""The detail page's actions: paperless."""

ACTIONS: list = []
