"""The complaints module's menu entries and dashboard widget (being written)."""


def register() -> None:
    pass
