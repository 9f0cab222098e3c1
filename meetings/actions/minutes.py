"""The detail page's actions: minutes."""

ACTIONS: list = []
