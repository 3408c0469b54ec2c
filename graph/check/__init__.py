"""Checks of a built graph: SHACL validation, OWL reasoning, and evaluation against gold."""
