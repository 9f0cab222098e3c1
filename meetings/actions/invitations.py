"""The detail page's actions: invitations."""

ACTIONS: list = []
