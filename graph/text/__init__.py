"""Reading articles: the text as read, and the roundup's structure in it."""
