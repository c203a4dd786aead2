"""`annotator assign`: give each document to a few annotators, loads balanced, every pair sharing documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from annotator.commands.common import check_name, db_option, default_user, existing_db_path, fail
from annotator.store import Store

if TYPE_CHECKING:
    from annotator.assignments import Plan


def _names(value: str | None) -> list[str]:
    """The --annotators list, each name checked; one line for an empty list."""
    names = [name for name in (value or "").split(",") if name.strip()]
    if not names:
        fail("--annotators: give the team's names separated by commas, e.g. --annotators ali,mona,sara")
    return [check_name(name, "--annotators") for name in names]


def _doc_ids(value: str | None) -> list[str] | None:
    """The --docs list (None without the option); one line for an empty list."""
    if value is None:
        return None
    ids = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not ids:
        fail("--docs: give document ids separated by commas, e.g. --docs d1,d2")
    return ids


def plan_lines(plan: Plan) -> list[str]:
    """What `assign` prints about a plan: per annotator load (and kept work), then pair coverage."""
    loads = plan.loads()
    kept: dict[str, int] = {}
    for _, name in plan.kept:
        kept[name] = kept.get(name, 0) + 1
    width = max(len(name) for name in loads)
    lines = [
        f"{len(plan.groups)} documents × {plan.per_document} annotators: {plan.rows()} assignments"
        + (" (more where more had started)." if plan.rows() > len(plan.groups) * plan.per_document else ".")
    ]
    for name, count in loads.items():
        note = f"  ({kept[name]} already started, kept)" if kept.get(name) else ""
        outside = "" if name in plan.annotators else "  (not in --annotators: keeps only the work started)"
        lines.append(f"  {name:<{width}}  {count:>5} documents{note}{outside}")
    pairs = plan.pairs()
    if pairs:
        uncovered = [f"{a}–{b}" for (a, b), count in pairs.items() if count == 0]
        shared = ", ".join(f"{a}–{b} {count}" for (a, b), count in pairs.items())
        lines.append(f"Documents each pair shares: {shared}.")
        lines.append(
            f"Pairs sharing no document: {', '.join(uncovered)} (agreement cannot compare them)."
            if uncovered
            else f"Every pair of the {len(plan.annotators)} shares at least one document."
        )
    return lines


@click.command("assign")
@db_option
@click.option("--annotators", "names", default=None, metavar="A,B,...", help="The team to share the documents among.")
@click.option(
    "--overlap",
    "--per-document",
    "per_document",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="How many annotators each document goes to (--per-document is the same option).",
)
@click.option(
    "--docs",
    "docs",
    default=None,
    metavar="ID,ID,...",
    help="Assign only these documents; the other documents keep their assignments.",
)
@click.option("--seed", type=int, default=None, help="Shuffle the order documents and annotators are taken in.")
@click.option("--dry-run", "dry_run", is_flag=True, help="Print the plan, write nothing.")
@click.option("--force", is_flag=True, help="Replace existing assignments (started documents keep their annotators).")
@click.option("--show", is_flag=True, help="Print the current assignments and nothing else.")
@click.pass_context
def assign_command(
    ctx: click.Context,
    db: str | None,
    names: str | None,
    per_document: int,
    docs: str | None,
    seed: int | None,
    dry_run: bool,
    force: bool,
    show: bool,
) -> None:
    """Assign each document to --overlap annotators: loads within one, every pair sharing documents.

    Annotators then see their assigned articles first (`annotator`, `annotator docs`). A document an
    annotator has started or finished is never taken from them, even with --force.
    """
    path = existing_db_path(ctx, db)
    from annotator.assignments import AssignmentError, make_plan, write_plan

    with Store(path) as store:
        if show:
            if names is not None or dry_run or force or seed is not None or docs is not None:
                fail("--show prints the current assignments; it takes no other option")
            show_assignments(store.assignment_rows(), [doc_id for doc_id, _, _ in store.document_list()])
            return
        team = _names(names)
        try:
            plan = make_plan(store, team, per_document, seed=seed, force=force, only=_doc_ids(docs))
        except AssignmentError as exc:
            fail(str(exc))
        for line in plan_lines(plan):
            click.echo(line)
        if dry_run:
            click.echo("Dry run: nothing written.")
            return
        extra = write_plan(store, plan, default_user())
    for doc, name in sorted(extra):
        click.echo(f"kept {doc} for {name}: started since the plan was made")
    click.echo(f"Written to {path}.")


def show_assignments(rows: list[tuple[str, str, str, str]], documents: list[str]) -> None:
    """Print the assignments: one line per document, then the load per annotator."""
    if not rows:
        click.echo("No assignments: every annotator sees every document (`annotator assign --annotators ...`).")
        return
    per_doc: dict[str, list[str]] = {}
    loads: dict[str, int] = {}
    for doc, name, _, _ in rows:
        per_doc.setdefault(doc, []).append(name)
        loads[name] = loads.get(name, 0) + 1
    width = max(len(doc) for doc in documents)
    for doc in documents:
        click.echo(f"{doc:<{width}}  {', '.join(per_doc.get(doc, [])) or '(nobody)'}")
    stamps = sorted({(at, by) for _, _, at, by in rows})
    click.echo(
        f"{len(rows)} assignments by {', '.join(dict.fromkeys(by for _, by in stamps))}, "
        f"last {stamps[-1][0]}: " + ", ".join(f"{name} {count}" for name, count in sorted(loads.items()))
    )
