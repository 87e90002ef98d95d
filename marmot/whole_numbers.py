"""Whole numbers read from text a client sent (a query parameter, a form
field, an ETag): ASCII digits only, and not too many of them.

``str.isdigit`` is true for "²" and "٣", which ``int`` then refuses or reads
as another number, and ``int`` refuses more than 4,300 digits: both were 500s.
One reader, so every address answers the same 400 or 404 instead.
"""


def whole_number(text, *, max_digits: int = 18) -> int | None:
    """``text`` (surrounding spaces ignored) as a whole number, or None if it
    is not one written in ASCII digits, at most ``max_digits`` of them."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
