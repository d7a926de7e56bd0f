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


def test_lcs_pairs_prefers_the_longer_alignment_over_the_first_match():
    # "abc" vs "cab": matching the first "c" would give 1 pair; "ab" gives 2.
    assert common.lcs_pairs(list("abc"), list("cab")) == [(0, 1), (1, 2)]


@pytest.mark.parametrize(
    ("a", "b", "length"),
    [("abcbdab", "bdcaba", 4), ("xyz", "zyx", 1), ("aaaa", "aa", 2), ("abcd", "acbd", 3)],
)
def test_lcs_pairs_is_a_longest_common_subsequence(a, b, length):
    pairs = common.lcs_pairs(list(a), list(b))
    assert len(pairs) == length  # LCS lengths worked out by hand
    assert all(a[i] == b[j] for i, j in pairs)
    assert all(p[0] < q[0] and p[1] < q[1] for p, q in zip(pairs, pairs[1:], strict=False))


def test_signature_name_is_the_text_before_the_first_parenthesis(tmp_path):
    lib = tmp_path / "skills.py"
    lib.write_text("def cut(b):\n    pass\n")
    assert define_from_library(lib, "cut(f(x))").code == "def cut(b):\n    pass"


class Rules(common.RuleSet):
    benchmark = "robotouille"

    def __init__(self):
        super().__init__()
        self.seen = []

    def spec_from_texts(self, texts, instruction):
        self.seen.append(("spec", texts, instruction))
        return "SPEC"

    def spec_to_code(self, spec):
        self.seen.append(("code", spec))
        return "CODE"

    def low_level(self, text):
        return [text, "b"]


def test_rule_set_stages_pass_demos_instruction_and_code_through():
    from demo2code.paths import packaged_data_dir

    r = Rules()
    assert r.skills == packaged_data_dir() / "robotouille" / "skills.py"
    ctx = object()
    ans = r.code_from_demos(ctx, ["d1"], "Do it.")
    assert (ans.text, ans.code) == ("CODE", "CODE")
    assert r.seen == [("spec", ["d1"], "Do it."), ("code", "SPEC")]
    ans = r.write_code(ctx, "S2")
    assert (ans.text, ans.code) == ("CODE", "CODE")
    ans = r.spec_from_demos(ctx, ["d2"], "Again.")
    assert (ans.text, ans.code) == ("SPEC", None)
    assert r.seen[-1] == ("spec", ["d2"], "Again.")
    assert r.low_level_actions(ctx, "a").text == "a\nb"


def test_rule_set_spec_from_demos_goes_through_specify():
    calls = []

    class Spy(Rules):
        def specify(self, ctx, summaries, instruction):
            calls.append((ctx, summaries, instruction))
            return super().specify(ctx, summaries, instruction)

    ctx = object()
    Spy().spec_from_demos(ctx, ["d"], "I.")
    assert calls == [(ctx, ["d"], "I.")]


@pytest.mark.parametrize(
    ("a", "b", "pairs"),
    [
        # "aba"/"cac": both a's could pair with the a; the walk skips in the first sequence
        # on ties (LCS("ba","cac") = LCS("aba","ac") = 1), so the last a is paired.
        ("aba", "cac", [(2, 1)]),
        # "aa"/"ba": at (0,0) skip in the first (1 >= 1), then a = a at (1,1).
        ("aa", "ba", [(1, 1)]),
    ],
)
def test_lcs_pairs_ties_skip_in_the_first_sequence(a, b, pairs):
    assert common.lcs_pairs(list(a), list(b)) == pairs


# --- repair: the other readings of the same scenarios --------------------------------------


def test_readings_all_reversed_each_alone_all_but_one():
    # three scenarios: [a b c], [c b a], [a], [b], [c], [b c], [a c], [a b]
    assert Rules().readings(["a", "b", "c"], None) == [
        ["a", "b", "c"],
        ["c", "b", "a"],
        ["a"],
        ["b"],
        ["c"],
        ["b", "c"],
        ["a", "c"],
        ["a", "b"],
    ]


def test_readings_drop_repeats():
    # two scenarios: all-but-one would repeat each-alone, so it is not added (n > 2 only)
    assert Rules().readings(["a", "b"], None) == [["a", "b"], ["b", "a"], ["a"], ["b"]]
    # one scenario: reversed and alone are the same reading
    assert Rules().readings(["a"], None) == [["a"]]
    # equal texts: the reversed order is the same list
    assert Rules().readings(["x", "x"], None) == [["x", "x"], ["x"]]


class Merging(Rules):
    """Specs are the texts joined; code is the spec, or an error for a 'bad' reading."""

    def spec_from_texts(self, texts, instruction):
        return f"{instruction}:" + "+".join(texts)

    def spec_to_code(self, spec):
        if "bad" in spec:
            raise ValueError("cannot read")
        return f"code({spec})"


def test_repair_answers_every_other_reading_skipping_todays_and_unreadable_ones():
    r = Merging()
    r.specify(object(), ["a", "bad"], "I")
    ans = r.repair(object(), "", "failed")
    # readings: [a bad] (today's, skipped), [bad a] (error), [a], [bad] (error)
    assert ans.extra == {"candidates": ["code(I:a)"]}
    assert (ans.code, ans.text) == ("code(I:a)", "1 other readings of the scenarios")


def test_repair_keeps_distinct_programs_in_reading_order():
    r = Merging()
    r.code_from_demos(object(), ["a", "b", "c"], "I")  # remembers what it read, as specify
    ans = r.repair(object(), "code(I:a+b+c)", "failed")
    assert ans.extra["candidates"] == [
        "code(I:c+b+a)",
        "code(I:a)",
        "code(I:b)",
        "code(I:c)",
        "code(I:b+c)",
        "code(I:a+c)",
        "code(I:a+b)",
    ]
    assert ans.text == "7 other readings of the scenarios"


def test_repair_needs_a_program_it_specified_and_another_reading():
    with pytest.raises(UnsupportedMethod, match="repairs only programs it specified"):
        Merging().repair(object(), "", "failed")
    r = Merging()
    r.code_from_demos(object(), ["a"], "I")  # one scenario: no other reading
    with pytest.raises(UnsupportedMethod, match="has no other reading of these scenarios"):
        r.repair(object(), "", "failed")


def test_rule_set_define_answers_from_its_benchmarks_skill_library():
    # data/robotouille/skills.py defines move_to(location); the answer is its source
    ans = Rules().define(object(), "move_to(station)", "")
    assert ans.code.startswith("def move_to(location):")
