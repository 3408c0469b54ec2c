"""From one article to its records and named graph; curation overlays applied on top."""
