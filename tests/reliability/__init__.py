"""Reliability tests: many annotators on one database, crashes, lock waits (issue 7)."""
