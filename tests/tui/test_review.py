"""The review screen: agreed spans go to gold, disagreements are walked, versions taken, every change attributed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import GOLD, Document, Span
from annotator.store import Store
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"


def _at(word: str, skip: int = 0) -> tuple[int, int]:
    start = TEXT.index(word) + skip
    return start, TEXT.index(word) + len(word)


@pytest.fixture
def review_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "review.db")
    a = [
        Span("r1", "ali", *_at("السوداني"), "actor"),
        Span("r1", "ali", *_at("داعش"), "actor"),
        Span("r1", "ali", *_at("الأنبار"), "place"),
        Span("r1", "ali", *_at("15 عنصراً"), "figure"),
    ]
    b = [
        Span("r1", "mona", *_at("السوداني"), "actor"),
        Span("r1", "mona", *_at("داعش"), "actor"),
        Span("r1", "mona", *_at("الأنبار"), "actor"),
        Span("r1", "mona", *_at("15 عنصراً", 3), "figure"),
    ]
    store.import_batch([Document("r1", "t", TEXT)], a + b, user="lead")
    yield store
    store.close()


def gold(store: Store) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans("r1", GOLD)]


async def test_agreed_spans_go_to_gold_then_versions_and_x(review_store: Store) -> None:
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert gold(review_store) == [(*_at("السوداني"), "actor"), (*_at("داعش"), "actor")]
        assert len(screen.regions) == 2
        await pilot.press("tab")
        assert screen.session.cursor == _at("الأنبار")[0]
        panel = str(screen.query_one("#review-panel").render())
        assert "1 ali" in panel and "2 mona" in panel and "place" in panel
        await pilot.press("2")
        assert (*_at("الأنبار"), "actor") in gold(review_store)
        await pilot.press("1")  # the other version replaces it
        assert (*_at("الأنبار"), "place") in gold(review_store)
        assert (*_at("الأنبار"), "actor") not in gold(review_store)
        await pilot.press("tab")
        assert screen.session.cursor == _at("15 عنصراً")[0]
        await pilot.press("2")
        assert (*_at("15 عنصراً", 3), "figure") in gold(review_store)
        await pilot.press("x")
        assert all(label != "figure" for _, _, label in gold(review_store))
        await pilot.press("u")
        assert (*_at("15 عنصراً", 3), "figure") in gold(review_store)
        await pilot.press("shift+tab")
        assert screen.session.cursor == _at("الأنبار")[0]
        await pilot.press("ctrl+d")
        assert review_store.status("r1", GOLD) == "adjudicated"
    origins = [
        (e["user"], e["origin"]) for e in review_store.events("r1") if e["annotator"] == GOLD and e["action"] == "edit"
    ]
    assert origins == [("lead", "agreed"), ("lead", "mona"), ("lead", "ali"), ("lead", "mona"), ("lead", "nothing")]
    assert review_store.check() == []


async def test_gold_edited_by_hand_with_annotation_keys(review_store: Store) -> None:
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        screen.view.move_to(TEXT.index("هاجم"))
        await pilot.press("q")
        assert (*_at("هاجم"), "quote") in gold(review_store)
        await pilot.press("ctrl+y")  # nothing to redo: a message, no change
        assert (*_at("هاجم"), "quote") in gold(review_store)
    assert review_store.spans("r1", "ali")[0].label == "actor"  # annotators' layers untouched


# -- three annotators on the first bundled article: a quote holding entities ------------------------

ARTICLE = Path(__file__).resolve().parents[2] / "corpus" / "01-anbar-raid-nyt.txt"
QUOTE = (1775, 1918)  # Lister's words: «لذلك، فإن هذه الملاذات الآمنة القديمة لداعش، ... نهاية المطاف»
NAMES = ["ali", "mona", "sara"]


def _layers(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Each annotator's spans: agreed ones, and five disagreements of which four lie inside the quote."""

    def word(w: str, near: int) -> tuple[int, int]:
        start = text.index(w, near)
        return start, start + len(w)

    lister, anbar, iraq_in = word("ليستر", 1760), word("الأنبار", 1820), word("العراق", 1890)
    daesh_first, iraq_first = word("داعش", 0), word("العراق", 0)
    li_daesh, daesh_in, syria_in = word("لداعش", 1800), word("داعش", 1870), word("سوريا", 1880)
    agreed = [(*lister, "actor"), (*anbar, "place"), (*iraq_in, "place"), (*daesh_first, "actor")]
    return {
        "ali": agreed
        + [
            (*iraq_first, "place"),
            (*QUOTE, "quote"),
            (li_daesh[0] + 1, li_daesh[1], "actor"),
            (*daesh_in, "actor"),
            (*syria_in, "place"),
        ],
        "mona": agreed + [(*iraq_first, "actor"), (*QUOTE, "quote"), (*li_daesh, "actor"), (*daesh_in, "actor")],
        "sara": agreed
        + [(*iraq_first, "place"), (QUOTE[0], QUOTE[1] - 1, "quote"), (*daesh_in, "figure"), (*syria_in, "place")],
    }


@pytest.fixture
def article_store(tmp_path: Path) -> Store:
    """The first bundled article, done by three annotators whose layers are written through the Store API."""
    from annotator.importer import parse_files

    store = Store(tmp_path / "three.db")
    parsed = parse_files([ARTICLE], store.labels())
    store.import_batch(parsed.documents, [], user="lead")
    doc = parsed.documents[0]
    for name, spans in _layers(doc.text).items():
        store.apply(doc.id, name, add=spans, user=name)
        store.set_status(doc.id, name, "done", user=name)
    yield store
    store.close()


def _panel(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-panel").render())


def _title(screen: ReviewScreen) -> str:
    return str(screen.query_one("#title").render())


async def _wait(pilot, condition, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def test_nested_disagreements_all_reached_and_decided(article_store: Store) -> None:
    doc_id = article_store.document_list()[0][0]
    text = article_store.document(doc_id).text
    layers = _layers(text)
    li_daesh = (text.index("لداعش"), text.index("لداعش") + len("لداعش"))
    app = build_review_app(article_store, user="lead", annotators=NAMES, order=[doc_id], start=doc_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "open 5 of 5" in _title(screen)
        # Tab visits every region in text order, the entity inside the quote included, and wraps.
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            seen.append(_panel(screen).splitlines()[0])
        assert [line.split(")")[0] for line in seen] == [
            f" disagreement 1/5 (entity, {text.index('العراق')}-{text.index('العراق') + 6}",
            f" disagreement 2/5 (quote, {QUOTE[0]}-{QUOTE[1]}",
            f" disagreement 3/5 (entity, {li_daesh[0]}-{li_daesh[1]}",
            f" disagreement 4/5 (entity, {text.index('داعش', 1870)}-{text.index('داعش', 1870) + 4}",
            f" disagreement 5/5 (entity, {text.index('سوريا', 1880)}-{text.index('سوريا', 1880) + 5}",
        ]
        assert all("open" in line and "digits here = annotators" in line for line in seen)
        await pilot.press("tab")
        assert _panel(screen).startswith(" disagreement 1/5")
        await pilot.press("shift+tab", "shift+tab")
        assert _panel(screen).startswith(" disagreement 4/5")

        # The cursor moved by other means: the innermost region under it is the current one.
        screen.view.move_to(li_daesh[0] + 2)
        await _wait(
            pilot, lambda: _panel(screen).startswith(" disagreement 3/5 (entity"), "the entity under the cursor"
        )
        screen.view.move_to(QUOTE[0] + 3)
        await _wait(pilot, lambda: _panel(screen).startswith(" disagreement 2/5 (quote"), "the quote under the cursor")

        # Decide: 1 → mona, 2 → ali's quote, 3 → mona's «لداعش», 4 → sara's figure (with an Arabic-Indic digit).
        screen.view.move_to(0)
        choices = {1: "mona", 2: "ali", 3: "mona", 4: "sara"}
        for index, name in choices.items():
            await pilot.press("tab")
            assert _panel(screen).startswith(f" disagreement {index}/5")
            await pilot.press("٣" if name == "sara" else str(NAMES.index(name) + 1))
            assert f"decided: {name}" in _panel(screen).splitlines()[0]
        assert "open 1 of 5" in _title(screen)

        # ctrl+d with one open asks; n leaves the document as it was.
        await pilot.press("ctrl+d")
        await _wait(pilot, lambda: app.screen is not screen, "the question")
        assert "1 of 5 disagreements is still open — mark adjudicated anyway? y/N" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press("n")
        await _wait(pilot, lambda: app.screen is screen, "the question to close")
        assert article_store.status(doc_id, GOLD) != "adjudicated"

        # x where gold already has nothing is recorded as a decision; u withdraws it.
        await pilot.press("tab")
        assert _panel(screen).startswith(" disagreement 5/5")
        await pilot.press("x")
        assert "decided: nothing" in _panel(screen) and "open 0 of 5" in _title(screen)
        await pilot.press("u")
        assert "open 1 of 5" in _title(screen) and _panel(screen).startswith(" disagreement 5/5")
        assert "  open" in _panel(screen).splitlines()[0]
        await pilot.press("x")
        await pilot.press("u", "ctrl+d")
        await _wait(pilot, lambda: app.screen is not screen, "the question")
        await pilot.press("y")
        await _wait(pilot, lambda: article_store.status(doc_id, GOLD) == "adjudicated", "adjudicated")

    # Gold equals the chosen version in every decided region, and the agreed spans are there.
    gold_now = {(s.start, s.end, s.label) for s in article_store.spans(doc_id, GOLD)}
    regions = screen.regions
    for index, name in choices.items():
        region = regions[index - 1]
        layer = region.layer
        inside = {
            (s.start, s.end, s.label)
            for s in article_store.spans(doc_id, GOLD)
            if s.start < region.end and region.start < s.end and screen.session.layer_of[s.label] == layer
        }
        assert inside == {(s.start, s.end, s.label) for s in region.versions[name]}, (index, name)
    assert (*li_daesh, "actor") in gold_now
    agreed = set(layers["ali"]) & set(layers["mona"]) & set(layers["sara"])
    assert agreed <= gold_now
    # Every decision is in the gold log with its region; the version edits keep the annotator as origin.
    gold_events = [e for e in article_store.events(doc_id) if e["annotator"] == GOLD]
    decided = [
        (e["payload"]["choice"], e["payload"]["region"]["start"])
        for e in gold_events
        if e["action"] == "decide" and "undoes" not in e["payload"]
    ]
    assert decided == [
        ("mona", regions[0].start),
        ("ali", QUOTE[0]),
        ("mona", li_daesh[0]),
        ("sara", regions[3].start),
        ("nothing", regions[4].start),
        ("nothing", regions[4].start),
    ]
    assert [e["origin"] for e in gold_events if e["action"] == "edit"] == ["agreed", "mona", "ali", "mona", "sara"]
    assert article_store.check() == []


async def test_digit_takes_the_entity_inside_the_quote(article_store: Store) -> None:
    doc_id = article_store.document_list()[0][0]
    text = article_store.document(doc_id).text
    li_daesh = (text.index("لداعش"), text.index("لداعش") + len("لداعش"))
    app = build_review_app(article_store, user="lead", annotators=NAMES, order=[doc_id], start=doc_id)
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("tab", "tab", "tab")  # العراق, the quote, then «لداعش» inside it
        assert app.screen.session.cursor == li_daesh[0]
        await pilot.press("2")
    gold_now = {(s.start, s.end, s.label) for s in article_store.spans(doc_id, GOLD)}
    assert (*li_daesh, "actor") in gold_now
    assert not any(label == "quote" for _, _, label in gold_now)


async def test_done_with_open_disagreements_asks_and_x_is_recorded(article_store: Store) -> None:
    doc_id = article_store.document_list()[0][0]
    app = build_review_app(article_store, user="lead", annotators=NAMES, order=[doc_id], start=doc_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        await pilot.press("tab", "x")  # gold has nothing at العراق (not agreed): the decision is the only trace
        await pilot.press("ctrl+d")
        await _wait(pilot, lambda: app.screen is not screen, "the question")
        await pilot.press("escape")
        await _wait(pilot, lambda: app.screen is screen, "the question to close")
        assert article_store.status(doc_id, GOLD) != "adjudicated"
    decisions = [
        (e["user"], e["origin"], e["payload"]["choice"], e["payload"]["region"])
        for e in article_store.events(doc_id)
        if e["annotator"] == GOLD and e["action"] == "decide"
    ]
    start = screen.regions[0].start
    assert decisions == [("lead", "nothing", "nothing", {"layer": "entity", "start": start, "end": start + 6})]
    assert article_store.check() == []


# -- M: every disagreement where two thirds agree, in one step ----------------------------------------


def _inside(store: Store, doc_id: str, region, layer_of) -> set[tuple[int, int, str]]:
    return {
        (s.start, s.end, s.label)
        for s in store.spans(doc_id, GOLD)
        if s.start < region.end and region.start < s.end and layer_of[s.label] == region.layer
    }


async def test_majority_takes_two_thirds_in_one_undoable_step(article_store: Store) -> None:
    doc_id = article_store.document_list()[0][0]
    app = build_review_app(article_store, user="lead", annotators=NAMES, order=[doc_id], start=doc_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        gold_before = gold_set = {(s.start, s.end, s.label) for s in article_store.spans(doc_id, GOLD)}
        regions = screen.regions
        layer_of = screen.session.layer_of
        await pilot.press("M")
        await _wait(pilot, lambda: "open 1 of 5" in _title(screen), "the majority to be taken")
        assert "M took 4, left 1 open (under ⅔)" in str(screen.query_one("#status").render())
        # Regions 1, 2, 4, 5: ali and sara (or ali and mona) agree, 2 of 3; region 3 (لداعش) has three versions.
        for index, name in [(0, "ali"), (1, "ali"), (3, "ali"), (4, "ali")]:
            assert _inside(article_store, doc_id, regions[index], layer_of) == {
                (s.start, s.end, s.label) for s in regions[index].versions[name]
            }, index
            assert screen.adjudication.decision(regions[index]) is not None
        assert screen.adjudication.decision(regions[2]) is None
        assert _inside(article_store, doc_id, regions[2], layer_of) == set()
        gold_events = [e for e in article_store.events(doc_id) if e["annotator"] == GOLD]
        assert [e["origin"] for e in gold_events if e["action"] == "edit"] == ["agreed", "majority"]
        decides = [e for e in gold_events if e["action"] == "decide"]
        assert len(decides) == 1 and decides[0]["user"] == "lead"
        assert [(r["start"], r["choice"]) for r in decides[0]["payload"]["regions"]] == [
            (regions[0].start, "ali"),
            (regions[1].start, "ali"),
            (regions[3].start, "ali"),
            (regions[4].start, "ali"),
        ]

        await pilot.press("u")  # one step takes all of it back
        await _wait(pilot, lambda: "open 5 of 5" in _title(screen), "the majority to be undone")
        assert {(s.start, s.end, s.label) for s in article_store.spans(doc_id, GOLD)} == gold_before
        assert all(screen.adjudication.decision(r) is None for r in regions)

        # A second M after deciding one region by hand leaves that decision alone.
        screen.view.move_to(0)
        await pilot.press("tab")
        assert _panel(screen).startswith(" disagreement 1/5")
        await pilot.press("2")  # region 1: mona's version, against the majority
        await _wait(pilot, lambda: "open 4 of 5" in _title(screen), "mona's version")
        await pilot.press("M")
        await _wait(pilot, lambda: "open 1 of 5" in _title(screen), "the majority again")
        assert screen.adjudication.decision(regions[0]).choice == "mona"
        assert _inside(article_store, doc_id, regions[0], layer_of) == {
            (s.start, s.end, s.label) for s in regions[0].versions["mona"]
        }
    assert gold_set == gold_before
    assert article_store.check() == []


async def test_majority_leaves_a_case_under_two_thirds_open(review_store: Store) -> None:
    """Two annotators who disagree: neither version has two thirds, nothing is taken or recorded."""
    review_store.set_status("r1", "ali", "done", user="ali")
    review_store.set_status("r1", "mona", "done", user="mona")
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        before = gold(review_store)
        await pilot.press("M")
        await _wait(pilot, lambda: "M took 0, left 2 open" in str(screen.query_one("#status").render()), "the refusal")
        assert gold(review_store) == before
        assert "open 2 of 2" in _title(screen)
    assert not [e for e in review_store.events("r1") if e["annotator"] == GOLD and e["action"] == "decide"]


async def test_review_at_80x24_gives_the_text_room_and_names_everyone(article_store: Store) -> None:
    doc_id = article_store.document_list()[0][0]
    names = [*NAMES, "khadijatou", "youssefino", "fatimazahra"]  # three who did not finish: still listed
    app = build_review_app(article_store, user="lead", annotators=names, order=[doc_id], start=doc_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("tab")  # a disagreement: the panel lists every annotator's version
        await pilot.pause()
        assert screen.view.size.height >= 12
        title = _title(screen)
        listed = title.split(" adj. · ", 1)[1]
        for number, name in enumerate(names, start=1):
            shown = listed.split(f"{number} ", 1)[1].split(" ", 1)[0]
            assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]) and len(shown) >= 2), title
        panel = _panel(screen)
        for number, name in enumerate(names, start=1):
            assert f" {number} {name}" in panel
        assert "digits here = annotators" in panel
        bar = "".join(segment.text for segment in screen.query_one("KeyBar").render_line(0))
        assert "1-9  Annotator N" in bar and " M  Majority ⅔" in bar and "^d  Adjudicated" in bar


async def test_review_on_a_short_terminal_pairs_the_versions(article_store: Store) -> None:
    """At 80x20 six versions do not fit one a line: they go two to a line, every annotator still shown."""
    doc_id = article_store.document_list()[0][0]
    names = [*NAMES, "khadija", "youssef", "fatima"]
    app = build_review_app(article_store, user="lead", annotators=names, order=[doc_id], start=doc_id)
    async with app.run_test(size=(80, 20)) as pilot:
        screen = app.screen
        await pilot.press("tab")
        await pilot.pause()
        assert screen.view.size.height >= 12
        panel = _panel(screen).splitlines()
        assert len(panel) == 5 and " │  2 mona" in panel[1]  # head, three pairs, gold now
        assert all(f" {number} " in "\n".join(panel) for number in range(1, 7))
