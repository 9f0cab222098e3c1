"""booking."""

__all__: list[str] = []
