"""Readers and writers of the user-facing files."""
