"""Demo data of the meetings module."""


def seed_meetings(stdout) -> None:
    pass
