"""The published reception sessions fed to the weekly schedule (being written)."""


def register() -> None:
    pass
