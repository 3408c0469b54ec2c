"""Network views of the graph: networkx projections, pyvis HTML, figures."""
