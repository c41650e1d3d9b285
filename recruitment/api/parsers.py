"""The API's JSON parser: a body the services could choke on is a 400 before any view."""

import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Every input of the API is an object of scalars or lists of ids; a few levels spare.
MAX_DEPTH = 8


class SafeJSONParser(JSONParser):
    """JSON, refused with 400 when nested deeper than MAX_DEPTH, when a number overflows to
    infinity (1e309), or when a string holds a lone UTF-16 surrogate ("\\ud800"), which
    no UTF-8 text, database or error page can carry."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deep.")) from None
        _check(data)
        return data


def _check(data) -> None:
    # Iterative, so checking a deep body cannot overflow the stack either.
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(
                    _("JSON parse error - nested deeper than %(max)s levels.") % {"max": MAX_DEPTH}
                )
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None:
                    _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ParseError(_("JSON parse error - a number is out of range."))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(_("JSON parse error - a string holds a lone surrogate.")) from None
