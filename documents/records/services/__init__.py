"""Writes of the records module, by sub-domain: ``files`` (case files and their items)."""
