"""Named SPARQL queries (package data) and the functions that run them."""
