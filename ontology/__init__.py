"""The cakg ontology, SHACL shapes and JSON-LD context (package data)."""
