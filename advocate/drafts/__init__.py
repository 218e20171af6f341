"""Drafts: a rendered letter as plain or postal text, a call script, HTML, .eml or mailto; file names; the opener."""
