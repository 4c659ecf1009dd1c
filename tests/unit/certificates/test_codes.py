"""Certificate codes: unguessable, unique, and forgiving of how people type but not of wrong characters."""

from __future__ import annotations

import re

import pytest

from app.certificates.codes import (
    ALPHABET,
    RANDOM_BITS,
    check_character,
    format_code,
    is_valid_code,
    new_code,
    normalize_code,
)

CODE_SHAPE = re.compile(r"^SNL-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def body_of(code: str) -> str:
    return code.removeprefix("SNL-").replace("-", "")


@pytest.fixture(scope="module")
def sample_codes() -> list[str]:
    return [new_code() for _ in range(200)]


def test_a_new_code_has_the_printed_shape_and_is_valid(sample_codes: list[str]) -> None:
    for code in sample_codes:
        assert CODE_SHAPE.match(code), code
        assert normalize_code(code) == code


def test_codes_carry_at_least_60_random_bits() -> None:
    assert RANDOM_BITS >= 60


def test_ten_thousand_codes_are_all_different() -> None:
    codes = {new_code() for _ in range(10_000)}
    assert len(codes) == 10_000


def test_every_random_character_position_varies() -> None:
    bodies = [body_of(new_code()) for _ in range(2_000)]
    for position in range(15):
        assert len({body[position] for body in bodies}) > 20, f"position {position} looks fixed"


def test_any_single_wrong_character_is_caught(sample_codes: list[str]) -> None:
    for code in sample_codes[:40]:
        body = body_of(code)
        for position in range(len(body)):
            for symbol in ALPHABET:
                if symbol != body[position]:
                    typo = body[:position] + symbol + body[position + 1 :]
                    assert normalize_code(typo) is None, (code, typo)


def test_any_swap_of_two_different_characters_is_caught(sample_codes: list[str]) -> None:
    for code in sample_codes:
        body = body_of(code)
        for i in range(len(body)):
            for j in range(i + 1, len(body)):
                if body[i] != body[j]:
                    swapped = list(body)
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    assert normalize_code("".join(swapped)) is None, (code, i, j)


def test_a_dropped_or_extra_character_is_refused(sample_codes: list[str]) -> None:
    body = body_of(sample_codes[0])
    assert normalize_code(body[:-1]) is None
    assert normalize_code(body + "0") is None
    assert normalize_code("") is None


@pytest.mark.parametrize("retype", [str.lower, lambda code: code.replace("-", " "), lambda code: code.replace("-", "")])
def test_case_spaces_and_dashes_do_not_matter(sample_codes: list[str], retype) -> None:
    for code in sample_codes[:20]:
        assert normalize_code(retype(code)) == code


def test_the_prefix_may_be_left_out(sample_codes: list[str]) -> None:
    code = sample_codes[0]
    assert normalize_code(code.removeprefix("SNL-")) == code
    assert normalize_code("  snl " + code.removeprefix("SNL-").lower() + " ") == code


def test_letters_that_look_like_digits_are_read_as_digits() -> None:
    payload = "0110" + "AB01" + "CD1" + "0EF1"
    code = format_code(payload + check_character(payload))
    assert normalize_code("SNL-O1IO-AB0L-CDIO-EFl" + code[-1]) == code
    assert normalize_code("snl-oilo-abol-cdio-efi" + code[-1].lower()) == code


def test_cyrillic_look_alikes_from_a_kazakh_or_russian_layout_are_read_as_latin() -> None:
    payload = "ABCEHKMPTX01230"
    code = format_code(payload + check_character(payload))
    cyrillic = "АВСЕНКМРТХ" + "О1230"  # Cyrillic А В С Е Н К М Р Т Х О
    assert cyrillic != payload
    assert normalize_code(cyrillic + code[-1]) == code


def test_symbols_outside_the_alphabet_are_refused(sample_codes: list[str]) -> None:
    body = body_of(sample_codes[0])
    for intruder in ("U", "*", "Ә", "%"):
        assert normalize_code(intruder + body[1:]) is None
    assert not is_valid_code("SNL-" + "U" * 16)
