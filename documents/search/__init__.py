"""Full-text search over every document kind the user may see: sources, query, pages, saved searches."""
