"""Dashboard widgets of the meetings module."""


def register_all() -> None:
    pass
