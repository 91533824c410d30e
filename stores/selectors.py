"""Reads of this app, scoped to one org."""
