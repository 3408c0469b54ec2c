"""Where a built graph lives: the dataset in memory, the store interface and its engines."""
