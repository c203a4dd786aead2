"""Commands that live in modules of their own, added to the `annotator` group by cli.py."""

from __future__ import annotations

import click

from annotator.commands.agreement import agreement_command
from annotator.commands.dashboard import dashboard_command
from annotator.commands.export import export_command
from annotator.commands.report import report_command
from annotator.commands.review import review_command
from annotator.commands.stats import stats_command
from annotator.commands.suggest import suggest_command
from annotator.commands.train import train_command

COMMANDS: list[click.Command] = [
    agreement_command,
    review_command,
    export_command,
    stats_command,
    report_command,
    suggest_command,
    dashboard_command,
    train_command,
]
