"""Open data: the compiled datasets (load, staleness, info) and their update from upstream."""
