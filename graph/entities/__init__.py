"""What the text names: the reference graph, the gazetteer over it, and the finder for the rest."""
