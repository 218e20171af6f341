"""Letters for everyone at an event: the CSV, its rows, the workers and the output folder."""
