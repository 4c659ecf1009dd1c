"""Certificate codes: unique, unguessable, and easy to read aloud or type from paper.

A code looks like ``SNL-7K3Q-M2X9-4RT8-VB5C``: the prefix, then 16 characters of Crockford's base32 in groups of
four. The first 15 carry 75 random bits from :mod:`secrets`, so a guess has no practical chance even before the
verification page's rate limit; the 16th is a check character, so a mistyped code is answered with "check the
code" instead of an anxious "not found".

The check character is a weighted sum over GF(32) with a distinct non-zero weight for every position (the check
character's own weight is 1, the others are x, x^2 ... x^15). Any single wrong character changes the sum, and so
does swapping any two different characters, neighbours included: the two mistakes people make most when copying a
code. (Crockford's own mod-37 check needs five extra symbols that are awkward to type; this one stays inside the
32-character alphabet.)

Typed input is forgiving in the ways Crockford base32 intends: case, spaces and dashes do not matter, ``O`` is read
as ``0`` and ``I``/``L`` as ``1``; Cyrillic letters that look like Latin ones (a Kazakh or Russian keyboard layout left
on) are read as those Latin letters.
"""

from __future__ import annotations

import secrets

PREFIX = "SNL"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_SIZE = 4
BODY_LENGTH = 16
RANDOM_LENGTH = BODY_LENGTH - 1
RANDOM_BITS = RANDOM_LENGTH * 5

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "I": "1",
        "L": "1",
        # Cyrillic capitals that look like Latin ones (input is upper-cased first). The prefix SNL has none.
        "А": "A",
        "В": "B",
        "С": "C",
        "Е": "E",
        "Н": "H",
        "К": "K",
        "М": "M",
        "О": "0",
        "Р": "P",
        "Т": "T",
        "Х": "X",
        "І": "1",
        "З": "3",
    }
)
_SEPARATORS = str.maketrans("", "", " -_.\u2010\u2011\u2012\u2013\u2014\u00a0\t\n")
_GF32_MODULUS = 0b100101  # x^5 + x^2 + 1, primitive: the powers of x give all 31 non-zero elements.


def _gf32_multiply(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _GF32_MODULUS
    return product


def _weights() -> tuple[int, ...]:
    weights, power = [], 0b10
    for _ in range(RANDOM_LENGTH):
        weights.append(power)
        power = _gf32_multiply(power, 0b10)
    return tuple(weights)


_WEIGHTS = _weights()


def check_character(payload: str) -> str:
    """The check character for the 15 random characters of a code (canonical symbols only)."""
    if len(payload) != RANDOM_LENGTH:
        raise ValueError(f"a code has {RANDOM_LENGTH} characters before its check character")
    total = 0
    for weight, symbol in zip(_WEIGHTS, payload, strict=True):
        total ^= _gf32_multiply(weight, _VALUE[symbol])
    return ALPHABET[total]


def format_code(body: str) -> str:
    """``SNL-XXXX-XXXX-XXXX-XXXX`` from the 16 body characters."""
    groups = [body[start : start + GROUP_SIZE] for start in range(0, len(body), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])


def new_code() -> str:
    """A fresh random code; the caller stores it under a unique constraint and retries on the (absurd) collision."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(payload + check_character(payload))


def normalize_code(typed: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours (wrong length, symbol or check).

    Accepts the code with or without its prefix, in any case, with any spacing or dashes, and with the
    look-alike letters described in the module docstring.
    """
    compact = typed.upper().translate(_SEPARATORS)
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + BODY_LENGTH:
        compact = compact[len(PREFIX) :]
    body = compact.translate(_LOOKALIKES)
    if len(body) != BODY_LENGTH or any(symbol not in _VALUE for symbol in body):
        return None
    if check_character(body[:RANDOM_LENGTH]) != body[-1]:
        return None
    return format_code(body)


def is_valid_code(typed: str) -> bool:
    """Whether ``typed`` reads as a well-formed code with a correct check character."""
    return normalize_code(typed) is not None
