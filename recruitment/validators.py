"""Field rules shared by the model, and so by the forms, the admin and the API."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Control characters (NUL, newline, tab, ...), lone surrogates and the Unicode line and
# paragraph separators. A name holding one breaks e-mail headers, CSV cells and the
# JSON error renderer; no real name has one.
REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


@deconstructible
class NoControlCharactersValidator:
    message = _("Remove the control characters (line breaks, tabs, ...) from this field.")
    code = "control_characters"

    def __call__(self, value: str) -> None:
        if any(unicodedata.category(character) in REFUSED_CATEGORIES for character in value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharactersValidator)


no_control_characters = NoControlCharactersValidator()
