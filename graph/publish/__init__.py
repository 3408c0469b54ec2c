"""Linked-data exports and the dataset's VoID/DCAT description."""
