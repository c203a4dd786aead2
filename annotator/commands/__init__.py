"""Commands that live in modules of their own, added to the `annotator` group by cli.py."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
