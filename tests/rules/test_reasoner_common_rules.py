"""The offline reasoners' shared pieces (reasoners/symbolic/common.py, skills.py): line
matching, the spec body after "Specifically:", scenario alignment, the skill library."""

from __future__ import annotations

import re

import pytest

from demo2code.reasoners.base import GenerationFailed, UnsupportedMethod
from demo2code.reasoners.symbolic import common
from demo2code.reasoners.symbolic.skills import define_from_library, load_skills


def test_match_line_returns_the_first_pattern_that_matches_the_stripped_line():
    patterns = [("a", re.compile(r"cook (\w+)$")), ("b", re.compile(r"cook"))]
    name, m = common.match_line(patterns, "  cook patty  ")
    assert name == "a" and m.group(1) == "patty"
    assert common.match_line(patterns, "cook it now")[0] == "b"
    assert common.match_line(patterns, "cut lettuce") is None


def test_spec_body_is_the_lines_after_specifically():
    spec = "Make a burger.\n  Specifically:  \n1. Cook.\n  2. Stack.\n"
    assert common.spec_body(spec) == ["1. Cook.", "  2. Stack."]
    assert common.spec_body("Specifically:") == []


def test_spec_without_specifically_is_free_text():
    with pytest.raises(UnsupportedMethod) as err:
        common.spec_body("Make a burger. Specifically cook it.")
    assert str(err.value) == common.FREE_TEXT


def test_unreadable_line_names_the_line():
    err = common.unreadable("  fly away \n")
    assert isinstance(err, UnsupportedMethod)
    assert str(err) == (
        "the offline reasoner cannot read the spec line 'fly away': free-text specs "
        "need a model (--model)"
    )


@pytest.mark.parametrize(
    ("a", "b", "pairs"),
    [
        ("", "", []),
        ("abc", "", []),
        ("abc", "abc", [(0, 0), (1, 1), (2, 2)]),
        ("abc", "xbx", [(1, 1)]),
        # noise removed "b" from the first and "c" from the second: a, d line up
        ("acd", "abd", [(0, 0), (2, 2)]),
        ("axbyc", "abc", [(0, 0), (2, 1), (4, 2)]),
        ("abc", "axbyc", [(0, 0), (1, 2), (2, 4)]),
        # two equally long subsequences: ties skip in the first sequence first
        ("ab", "ba", [(1, 0)]),
        # equal heads are paired at once, even if a later copy would also do
        ("aab", "ab", [(0, 0), (2, 1)]),
    ],
)
def test_lcs_pairs_lines_up_a_longest_common_subsequence(a, b, pairs):
    assert common.lcs_pairs(list(a), list(b)) == pairs


def test_skill_library_answers_define_with_the_function_source(tmp_path):
    lib = tmp_path / "skills.py"
    lib.write_text("import x\n\ndef cook(a):\n    return a\n\n\ndef cut(b, c=1):\n    pass\n")
    assert load_skills(lib) == {
        "cook": "def cook(a):\n    return a",
        "cut": "def cut(b, c=1):\n    pass",
    }
    answer = define_from_library(lib, " cut (item, 2)")
    assert answer.text == answer.code == "def cut(b, c=1):\n    pass"
    with pytest.raises(GenerationFailed, match="no skill named 'fry'"):
        define_from_library(lib, "fry(x)")
