"""The rules of what crosses the process boundary and of the text shown to the user,
each pinned on its own (values worked out by hand)."""

from __future__ import annotations

import json

import pytest

from demo2code.sandbox import protocol as P
from demo2code.sandbox import text as T


def nest(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def test_containers_round_trip_as_their_own_types() -> None:
    value = [1, (2, "x"), {"k": None, 3: [True, 1.5]}, (), []]
    assert P.decode_value(P.encode_value(value)) == value
    back = P.decode_value(P.encode_value(value))
    assert type(back[1]) is tuple and type(back[2]) is dict and back[2][3][0] is True


def test_tags_are_the_documented_ones() -> None:
    assert P.encode_value([1]) == {"l": [1]}
    assert P.encode_value((1,)) == {"t": [1]}
    assert P.encode_value({"a": 1}) == {"d": [["a", 1]]}


def test_subclasses_and_objects_are_not_plain_data() -> None:
    class Sly(str):
        pass

    for value in (Sly("x"), object(), {1, 2}, b"x"):
        with pytest.raises(P.ValueRefused):
            P.encode_value(value)


def test_depth_cap_is_eight_levels_below_the_top() -> None:
    # nest(8) puts the scalar at depth 8: accepted; one more level is refused
    P.decode_value(P.encode_value(nest(8)))
    with pytest.raises(P.ValueRefused, match="deeper than 8"):
        P.decode_value(P.encode_value(nest(9)))
    assert P.decode_value(P.encode_value(nest(30)), capped=False) == nest(30)


def test_string_cap_is_two_thousand_characters() -> None:
    assert P.decode_value("x" * 2000) == "x" * 2000
    with pytest.raises(P.ValueRefused, match="2001 characters"):
        P.decode_value("x" * 2001)
    with pytest.raises(P.ValueRefused):
        P.encode_value(["x" * 11], max_str=10)
    assert P.encode_value(["x" * 10], max_str=10) == {"l": ["x" * 10]}


def test_item_budget_counts_every_value_at_every_level() -> None:
    # a list of 9,999 scalars is 10,000 values with the list itself: the cap exactly
    P.decode_value({"l": [0] * 9999})
    with pytest.raises(P.ValueRefused, match="10000"):
        P.decode_value({"l": [0] * 10000})


@pytest.mark.parametrize(
    "data",
    [{"x": [1]}, {"l": 1}, {"l": [1], "t": [2]}, {"d": [[1]]}, {"d": [[[1], 2]]}, {"d": [1]}],
)
def test_malformed_tags_and_unhashable_keys_are_refused(data: object) -> None:
    with pytest.raises(P.ValueRefused):
        P.decode_value(data)


def test_list_key_nested_in_a_tuple_is_unhashable_and_refused() -> None:
    with pytest.raises(P.ValueRefused, match="unhashable"):
        P.decode_value({"d": [[{"t": [{"l": []}]}, 1]]})


def test_frames_are_length_prefixed_json_objects() -> None:
    packed = P.pack({"a": 1})
    assert packed[:4] == len(b'{"a":1}').to_bytes(4, "big") and packed[4:] == b'{"a":1}'
    reader = P.FrameReader()
    reader.feed(packed[:3])
    assert reader.next() is None  # header incomplete
    reader.feed(packed[3:6])
    assert reader.next() is None  # body incomplete
    reader.feed(packed[6:] + P.pack({"b": 2}))
    assert reader.next() == {"a": 1} and reader.next() == {"b": 2} and reader.next() is None


def test_frame_size_cap_is_checked_on_the_header() -> None:
    reader = P.FrameReader(max_bytes=10)
    reader.feed((11).to_bytes(4, "big"))  # refused before any body byte arrives
    with pytest.raises(P.ProtocolError, match="11 bytes"):
        reader.next()
    exact = P.FrameReader(max_bytes=7)
    exact.feed(P.pack({"a": 1}))  # 7 bytes of body: at the cap, accepted
    assert exact.next() == {"a": 1}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"1", b'"s"', b"[" * 5000])
def test_a_frame_must_be_a_json_object(body: bytes) -> None:
    reader = P.FrameReader()
    reader.feed(len(body).to_bytes(4, "big") + body)
    with pytest.raises(P.ProtocolError):
        reader.next()


def test_field_text_is_one_line_without_control_characters() -> None:
    raw = "a\nb\tc\x1b[31md\x07e\x9bf\u202eg\x00"
    # line breaks and tabs become spaces; ESC, BEL, CSI, bidi override and NUL go
    assert T.clean_field(raw) == "a b c[31mdefg"


def test_field_cap_is_five_hundred_with_an_ellipsis() -> None:
    assert T.clean_field("x" * 500) == "x" * 500
    capped = T.clean_field("x" * 501)
    assert len(capped) == 500 and capped.endswith("…")
    assert T.clean_field("abcdef", 4) == "abc…"
    assert T.clean_field(12345) == "12345"


def test_block_text_keeps_lines_and_tabs_and_cuts_exactly() -> None:
    assert T.clean_block("a\n\tb\x1bc", 100) == "a\n\tbc"
    assert T.clean_block("abcdef", 4) == "abcd"


def test_reasons_are_at_most_twenty_then_a_count() -> None:
    reasons = tuple(f"r{n}" for n in range(23))
    kept = T.clean_reasons(reasons)
    assert kept[:20] == reasons[:20] and kept[20] == "... and 3 more" and len(kept) == 21
    assert T.clean_reasons(reasons[:20]) == reasons[:20]


def test_frames_carry_plain_json_only() -> None:
    data = P.pack({"call": "f", "args": P.encode_value([1])})
    assert json.loads(data[4:]) == {"call": "f", "args": {"l": [1]}}


def test_depth_counts_through_tuples_and_dict_keys_and_values() -> None:
    deep_tuple: object = 1
    for _ in range(9):
        deep_tuple = (deep_tuple,)
    for value in (deep_tuple, {"k": nest(8)}, {nest_key(8): 1}):
        with pytest.raises(P.ValueRefused, match="deeper than 8"):
            P.decode_value(P.encode_value(value))
    P.decode_value(P.encode_value({"k": nest(7)}))  # the value sits at depth 8: accepted


def nest_key(depth: int) -> tuple:
    value: object = 1
    for _ in range(depth):
        value = (value,)
    return value  # type: ignore[return-value]


def test_uncapped_decoding_stays_uncapped_inside_containers() -> None:
    long = "y" * 3000
    value = ((long,), {long: [long]})
    assert P.decode_value(P.encode_value(value), capped=False) == value
    with pytest.raises(P.ValueRefused):
        P.decode_value(P.encode_value(value))


@pytest.mark.parametrize("value", [("x" * 11,), {"x" * 11: 1}, {"k": "x" * 11}])
def test_the_program_side_string_cap_applies_inside_tuples_and_dicts(value: object) -> None:
    with pytest.raises(P.ValueRefused, match="11 characters"):
        P.encode_value(value, max_str=10)


def test_refusals_name_what_was_wrong() -> None:
    with pytest.raises(P.ValueRefused, match="^set is not plain data$"):
        P.encode_value({1})
    with pytest.raises(P.ValueRefused, match="^not a tagged value$"):
        P.decode_value({"q": []})
    with pytest.raises(P.ValueRefused, match="^unhashable dict key$"):
        P.decode_value({"d": [[{"l": []}, 1]]})
    for body, message in ((b"nope", "^a message that is not JSON$"),
                          (b"[1]", "^a message that is not a JSON object$")):  # fmt: skip
        reader = P.FrameReader()
        reader.feed(len(body).to_bytes(4, "big") + body)
        with pytest.raises(P.ProtocolError, match=message):
            reader.next()


def test_frames_cross_a_real_pipe_whole_and_end_at_eof() -> None:
    import os

    read_fd, write_fd = os.pipe()
    big = {"out": "z" * 200_000}  # larger than one read: needs several
    pid = os.fork()
    if pid == 0:  # a writer process, as the program's side is
        os.close(read_fd)
        P.write_frame(write_fd, {"a": 1})
        P.write_frame(write_fd, big)
        os._exit(0)
    os.close(write_fd)
    reader = P.FrameReader()
    assert P.read_frame(read_fd, reader) == {"a": 1}
    assert P.read_frame(read_fd, reader) == big
    assert P.read_frame(read_fd, reader) is None  # the writer closed its end
    os.close(read_fd)
    os.waitpid(pid, 0)


@pytest.mark.parametrize(
    "data",
    [{"l": 1}, {"l": [1], "t": [2]}, {"d": [1]}, {"d": [[1, 2, 3]]}, {"q": []}, [1], {"l": "ab"}],
)
def test_every_malformed_shape_is_named_not_a_tagged_value(data: object) -> None:
    with pytest.raises(P.ValueRefused, match="^not a tagged value$"):
        P.decode_value(data)


def test_depth_cap_is_reached_exactly_through_tuples_and_keys() -> None:
    P.decode_value(P.encode_value(nest_key(8)))  # scalar at depth 8 inside tuples: accepted
    P.decode_value(P.encode_value({nest_key(7): 1}))  # key's scalar at depth 8: accepted


def test_uncapped_decoding_has_no_item_budget() -> None:
    many = list(range(20_000))
    assert P.decode_value(P.encode_value(many), capped=False) == many


def test_write_frame_writes_one_whole_frame() -> None:
    import os

    read_fd, write_fd = os.pipe()
    P.write_frame(write_fd, {"k": [1, 2]})
    os.close(write_fd)
    data = os.read(read_fd, 1000)
    os.close(read_fd)
    assert data == P.pack({"k": [1, 2]})
