"""Tests of the model in the loop (issue 16)."""
