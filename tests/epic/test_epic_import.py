"""Narration import rules on small CSV snippets written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo2code.benchmarks.epic.cli import app
from demo2code.benchmarks.epic.importer import ImportOptions, import_video, kind_name
from demo2code.demos import Change
from demo2code.errors import InputError, UnknownName

HEADER = (
    "narration_id,participant_id,video_id,narration_timestamp,start_timestamp,stop_timestamp,"
    "start_frame,stop_frame,narration,verb,verb_class,noun,noun_class,all_nouns,all_noun_classes\n"
)
ROWS = {
    "take": ("take {n}", "take", 0),
    "put": ("put {n}", "put", 1),
    "wash": ("wash {n}", "wash", 2),
    "rinse": ("rinse {n}", "rinse", 2),
    "dry": ("dry {n}", "dry", 14),
    "open": ("open tap", "turn-on", 6),
    "close": ("close tap", "turn-off", 8),
}


def write_csv(tmp_path: Path, lines: list[tuple[str, str]], video: str = "P99_01") -> Path:
    out = [HEADER]
    for i, (what, noun) in enumerate(lines):
        text, verb, vclass = ROWS[what]
        noun = "tap" if what in ("open", "close") else noun
        nouns = f"\"['{noun}']\""
        out.append(
            f"{video}_{i},P99,{video},,,,0,0,{text.format(n=noun.replace(':', ' '))},"
            f"{verb},{vclass},{noun},0,{nouns},[0]\n"
        )
    path = tmp_path / "n.csv"
    path.write_text("".join(out))
    return path


def actions(demo) -> list[str]:
    return [s.action for s in demo.scenarios[0].steps]


def test_verbs_map_to_predicates(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, [("take", "plate"), ("wash", "plate"), ("open", ""), ("rinse", "plate"),
                   ("close", ""), ("put", "plate")],
    )  # fmt: skip
    demo = import_video(path, "P99_01")
    changes = [c for s in demo.scenarios[0].steps for c in s.changes]
    for expected in [
        Change("is_in_hand", ("plate_1",)),
        Change("is_soapy", ("plate_1",)),
        Change("is_on", ("tap_1",)),
        Change("is_clean", ("plate_1",)),
        Change("is_off", ("tap_1",)),
        Change("in", ("plate_1", "dishrack_1")),
    ]:
        assert expected in changes
    assert demo.benchmark == "epic"
    assert Change("is_dirty", ("plate_1",)) in demo.scenarios[0].initial_state


def test_rinse_without_narrated_tap_inserts_implied_turn_on(tmp_path: Path) -> None:
    demo = import_video(write_csv(tmp_path, [("wash", "cup"), ("rinse", "cup")]), "P99_01")
    acts = actions(demo)
    assert acts.index("turn_on('tap_1')") < acts.index("rinse('cup_1')")
    sources = demo.scenarios[0].extra["step_sources"]
    assert sources[acts.index("turn_on('tap_1')")] == "P99_01_1"


def test_soap_all_then_rinse_numbers_repeated_mentions(tmp_path: Path) -> None:
    lines = [("wash", "bowl"), ("put", "bowl"), ("wash", "bowl"), ("put", "bowl"),
             ("rinse", "bowl"), ("put", "bowl"), ("take", "bowl"), ("rinse", "bowl")]  # fmt: skip
    demo = import_video(write_csv(tmp_path, lines), "P99_01")
    acts = actions(demo)
    assert "soap('bowl_1')" in acts and "soap('bowl_2')" in acts
    # the first rinse takes the first soaped bowl, the later pick-up the waiting one
    assert acts.index("rinse('bowl_1')") < acts.index("rinse('bowl_2')")
    assert [o[0] for o in demo.scenarios[0].extra["objects_to_clean"]] == ["bowl_1", "bowl_2"]


def test_repeated_narration_is_a_continuation(tmp_path: Path) -> None:
    demo = import_video(write_csv(tmp_path, [("wash", "pan"), ("wash", "pan")]), "P99_01")
    assert actions(demo).count("soap('pan_1')") == 1
    assert any("continues" in s for s in demo.scenarios[0].extra["skipped"])


def test_another_option_forces_a_new_dish(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [("wash", "glass"), ("wash", "glass")])
    demo = import_video(path, "P99_01", opts=ImportOptions(another=("P99_01_1",)))
    assert "soap('glass_2')" in actions(demo)


def test_dry_and_clean_place_options(tmp_path: Path) -> None:
    lines = [("wash", "mug"), ("rinse", "mug"), ("dry", "mug"), ("put", "mug")]
    demo = import_video(write_csv(tmp_path, lines), "P99_01", opts=ImportOptions(rack="counter_1"))
    changes = [c for s in demo.scenarios[0].steps for c in s.changes]
    assert Change("is_dry", ("mug_1",)) in changes
    assert Change("on", ("mug_1", "counter_1")) in changes


def test_noun_names() -> None:
    assert kind_name("board:cutting") == "cutting_board"
    assert kind_name("plate:soap") == "plate"
    assert kind_name("dish") == "plate"


def test_segment_and_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [("wash", "cup"), ("wash", "pan")])
    demo = import_video(path, "P99_01", (1, 1))
    assert "soap('pan_1')" in actions(demo) and "soap('cup_1')" not in actions(demo)
    with pytest.raises(UnknownName):
        import_video(path, "P99_02")
    with pytest.raises(InputError):
        import_video(path, "P99_01", (5, 9))
    with pytest.raises(InputError):
        import_video(tmp_path / "missing.csv", "P99_01")


def test_cli_import_prints_epic_text_and_writes_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [("wash", "cup"), ("rinse", "cup")])
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(path), "--video", "P99_01"])
    assert res.exit_code == 0, res.output
    assert "is_soapy(`cup_1`)" in res.output and "Objects to clean" in res.output
    out = tmp_path / "d.json"
    res = runner.invoke(app, ["import", str(path), "--video", "P99_01", "--out", str(out)])
    assert res.exit_code == 0 and '"benchmark": "epic"' in out.read_text()
    res = runner.invoke(app, ["import", str(path), "--video", "P99_01", "--segment", "3"])
    assert res.exit_code != 0
