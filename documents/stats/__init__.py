"""Statistics of document processing for an agency, a unit and a person: pages, charts, exports."""
