"""Building the knowledge graph: reading articles, extracting, storing, validating, reasoning."""
