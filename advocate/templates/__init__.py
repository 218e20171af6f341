"""Letters: front matter, the sandboxed render, checks, the fast path, your own letters, the greeting."""
