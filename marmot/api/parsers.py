"""The API's one request parser: DRF's JSON parser, bounded.

DRF's parser answers malformed JSON with a 400 but lets two things through
that later became 500s (review of issue 19):

* nesting thousands of levels deep (6 KB of ``[``) raised ``RecursionError``
  inside ``json.load``, before any view ran, even for anonymous clients;
* an unpaired surrogate (``"\\ud800"``) is valid JSON but not text: a choice
  field's "not a valid choice" message repeats it and the response cannot be
  encoded;
* a whole number of hundreds of digits is valid JSON too, but DRF's
  ``FloatField`` lets ``float()``'s OverflowError through.

No body the API takes nests deeper than :data:`MAX_DEPTH`, and no text holds a
surrogate, so both are refused here, once, with a 400 that says what and where.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: The deepest nesting a body may have (the deepest body the API takes is a
#: list of objects holding lists: 4).
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The largest whole number a body may hold: a database's 64-bit integer.
MAX_WHOLE_NUMBER = 2**63 - 1


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def body_problem(data: Any) -> str | None:
    """Why ``data`` (parsed JSON) is refused, naming where; None if it is not.

    Walks the data without recursion, so it is bounded by the data's size.
    """
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        item, where, depth = stack.pop()
        place = f" at {where}" if where else ""
        if depth > MAX_DEPTH:
            return f"the body nests more than {MAX_DEPTH} levels deep{place}"
        if isinstance(item, int) and abs(item) > MAX_WHOLE_NUMBER:
            return f"the number{place} has more digits than any field takes"
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return f"text{place} holds an unpaired surrogate (not a character)"
        elif isinstance(item, dict):
            for key, value in item.items():
                if _SURROGATE.search(key):
                    return f"a key{place} holds an unpaired surrogate (not a character)"
                stack.append((value, _path(where, key), depth + 1))
        elif isinstance(item, list):
            stack.extend(
                (value, _path(where, index), depth + 1)
                for index, value in enumerate(item)
            )
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing deep nesting and unpaired surrogates (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"JSON parse error - the body nests more than {MAX_DEPTH} levels deep"
            ) from None
        problem = body_problem(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
