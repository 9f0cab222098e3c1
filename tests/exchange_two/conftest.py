"""The ``twoinstall`` marker (also listed in pyproject's pytest markers)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "twoinstall: starts two real installations (databases, servers, workers) that exchange documents",
    )
