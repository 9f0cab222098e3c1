"""changes."""

__all__: list[str] = []
