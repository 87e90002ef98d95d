"""Which areas are judged, and against which benchmark areas (ADR 21). No queries.

Fingertips judges every area of a data file, not only one: each area against
England, and against its parent region where it has one. We do the same:

* **The place** keeps its own benchmarks: the place's country, region and
  nearest-neighbours group (``Place.country`` / ``region`` /
  ``nearest_neighbours``).
* **Every other area** whose type is judged (local authority, ward, region,
  other) is compared with the place's country (England), and with its
  **region**: the nearest area of type "region" up its ``parent`` chain (a
  local authority's parent region as the Fingertips file's "Parent Code" gives
  it; a ward's local authority's region). A region is not compared with
  itself, nor an area with a region it does not sit in.
* Countries and comparator groups are benchmarks, never judged: England is not
  better or worse than itself, and a nearest-neighbours average is not an area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indicators.models import Area, Assessment

#: Area types whose values are judged against benchmarks.
JUDGED_TYPES = frozenset(
    {
        Area.Type.LOCAL_AUTHORITY,
        Area.Type.WARD,
        Area.Type.REGION,
        Area.Type.OTHER,
    }
)
#: How far up the parent chain a region is looked for (ward -> LA -> region).
_MAX_DEPTH = 5


@dataclass(frozen=True)
class AreaRow:
    """What the rules need to know of an area: its parent and its type."""

    pk: int
    parent_id: int | None
    area_type: str


def region_of(area_id: int, areas: dict[int, AreaRow]) -> int | None:
    """The nearest area of type region up ``area_id``'s parent chain, if any.

    The area itself does not count (a region has no region). Cycles and chains
    deeper than a ward's are cut off.
    """
    row = areas.get(area_id)
    seen = {area_id}
    for _ in range(_MAX_DEPTH):
        if row is None or row.parent_id is None or row.parent_id in seen:
            return None
        seen.add(row.parent_id)
        row = areas.get(row.parent_id)
        if row is not None and row.area_type == Area.Type.REGION:
            return row.pk
    return None


class AreaBenchmarks:
    """For each area: {benchmark kind: benchmark area id} (see the module rules)."""

    def __init__(
        self,
        *,
        place_area_id: int | None,
        place_benchmarks: dict[str, int],
        country_id: int | None,
        areas: Iterable[AreaRow],
    ) -> None:
        self._place_area_id = place_area_id
        self._place = dict(place_benchmarks)
        self._country_id = country_id
        self._areas = {row.pk: row for row in areas}
        self._cache: dict[int, dict[str, int]] = {}

    @property
    def place_area_id(self) -> int | None:
        return self._place_area_id

    def for_area(self, area_id: int) -> dict[str, int]:
        """The benchmarks ``area_id`` is judged against (empty: not judged)."""
        if area_id == self._place_area_id:
            return self._place
        cached = self._cache.get(area_id)
        if cached is not None:
            return cached
        row = self._areas.get(area_id)
        found: dict[str, int] = {}
        if row is not None and row.area_type in JUDGED_TYPES:
            if self._country_id is not None and self._country_id != area_id:
                found[Assessment.Benchmark.NATIONAL] = self._country_id
            region = region_of(area_id, self._areas)
            if region is not None:
                found[Assessment.Benchmark.REGION] = region
        self._cache[area_id] = found
        return found


#: Above this many areas to load, all of them are (one IN list stays short).
MAX_LISTED_AREAS = 500


def areas_to_load(
    benchmarks: AreaBenchmarks,
    *,
    always: set[int],
    rows: Iterable[tuple[int, int, str]],
    published: tuple[dict, dict],
) -> set[int] | None:
    """The areas whose values the recompute needs (``None``: every area).

    ``rows`` are (value id, area id, category type) of every value; ``always``
    the areas always judged (the place, areas with a target); ``published`` the
    published results by (value id, benchmark) and trend labels by value id.
    Needed: those areas, any area with a whole-population value that the source
    did not judge against one of its benchmarks or with no published trend at
    all, and the areas they are compared with. An import of a Fingertips file,
    which judges every area itself, then loads only the place's values and its
    benchmarks', not every area's.
    """
    published_results, published_labels = published
    needed = set(always)
    trended: set[int] = set()
    seen: set[int] = set()
    for pk, area_id, category_type in rows:
        seen.add(area_id)
        if pk in published_labels:
            trended.add(area_id)
        if category_type or area_id in needed:
            continue
        for benchmark in benchmarks.for_area(area_id):
            if (pk, benchmark) not in published_results:
                needed.add(area_id)
                break
    needed |= seen - trended
    for area_id in list(needed):
        needed |= set(benchmarks.for_area(area_id).values())
    needed.discard(None)
    return None if len(needed) > MAX_LISTED_AREAS else needed
