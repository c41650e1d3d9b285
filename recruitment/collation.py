"""Polish text on SQLite: accent- and case-blind matching, and alphabetical order.

PostgreSQL does both in the database (unaccent and the ICU collation ``pl-x-icu``, see
migration 0010). SQLite, the ``make run`` database, knows neither; every new connection
gets a function and a collation under the same names, so queries read the same on both.
"""

import unicodedata

FOLD_FUNCTION = "rms_unaccent"
# SQLite only: any number of columns, folded and joined one per line. A substring search
# over them is one flat call; a Concat of six columns nests so deep, repeated for each
# searched word inside the report's subqueries, that SQLite's parser stack overflowed.
FOLDED_LINES_FUNCTION = "rms_folded_lines"
POLISH_COLLATION = "pl-x-icu"

# Letters with a stroke are whole letters to Unicode, not a base plus a combining mark:
# decomposition leaves them as they are, so they are mapped by hand (as unaccent does).
_STROKED = str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe"}
)
# The Polish alphabet: each of these letters sorts right after its base letter.
_POLISH_LETTERS = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_RANK = {letter: rank for rank, letter in enumerate(_POLISH_LETTERS)}


def fold(text: str | None) -> str | None:
    """Lower case without accents: "Łęcka" and "Żółtek" become "lecka" and "zoltek"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_STROKED))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _letter_rank(character: str) -> tuple[int, int]:
    if character in _RANK:
        return (1, _RANK[character])
    base = fold(character)
    if base and base[0] in _RANK:
        # An accent Polish does not use (é, ü) sorts with its base letter.
        return (1, _RANK[base[0]])
    # Spaces, hyphens and digits come before letters, as in ICU's default.
    return (0, ord(character))


def folded_lines(*texts: str | None) -> str:
    return "\n".join(fold(text) for text in texts if text is not None)


def polish_sort_key(text: str) -> tuple:
    """Letters by the Polish alphabet, case-blind first; case and spelling break ties."""
    return (tuple(_letter_rank(character) for character in text.lower()), text.swapcase())


def _compare(left: str, right: str) -> int:
    left_key, right_key = polish_sort_key(left), polish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_polish_text(sender, connection, **kwargs) -> None:
    """Connected to connection_created by the app's ready()."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)
    connection.connection.create_function(
        FOLDED_LINES_FUNCTION, -1, folded_lines, deterministic=True
    )
    connection.connection.create_collation(POLISH_COLLATION, _compare)
