"""paperless."""

__all__: list[str] = []
