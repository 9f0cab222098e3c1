"""Metadata completeness (NĐ 30 Phụ lục VI Phần II): the document identifier, the metadata block of the detail
pages, custom fields (III.7c) and access-right changes confirmed before they take effect (III.3c)."""
