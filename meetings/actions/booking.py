"""The detail page's actions: booking."""

ACTIONS: list = []
