"""Reviewing (issue #10): filled in by the next commits."""
