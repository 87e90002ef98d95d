"""A world of several areas for comparing areas (issue 13, ADR 21).

``fingertips/data/fingertips_areas.csv`` is a Fingertips data file of one
indicator (a proportion, high is good, five financial years with counts,
denominators and Wilson 95% / 99.8% limits) for England, two regions and five
counties & UAs: Luton, Bedford and Central Bedfordshire in the East of England;
Milton Keynes and Reading in the South East. It has no published comparisons or
trends, so every judgement in the database after the import is ours.

:func:`areas_world` sets up Luton as the place (England, East of England, and a
nearest-neighbours group of the four other counties & UAs), creates the
indicator with its real polarity and imports the file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from indicators.fingertips.importer import fingertips_import
from indicators.models import Area, Indicator
from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.workstreams.factories import PlaceFactory

AREAS_CSV = Path(__file__).parent / "fingertips" / "data" / "fingertips_areas.csv"
FINGERTIPS_ID = 93014
NEIGHBOURS = ("E06000055", "E06000056", "E06000042", "E06000038")


def areas_rows() -> list[dict[str, str]]:
    with AREAS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class AreasWorld:
    place: object
    indicator: Indicator
    england: Area
    region: Area
    neighbours: Area


def areas_world(*, import_file: bool = True, **indicator_fields) -> AreasWorld:
    england = AreaFactory(code="E92000001", name="England", area_type=Area.Type.COUNTRY)
    region = AreaFactory(
        code="E12000006", name="East of England region", area_type=Area.Type.REGION
    )
    luton = AreaFactory(code="E06000032", name="Luton")
    group = AreaFactory(
        code="luton-nearest-neighbours",
        name="Luton's nearest neighbours",
        area_type=Area.Type.COMPARATOR_GROUP,
    )
    names = {row["Area Code"]: row["Area Name"] for row in areas_rows()}
    group.members.set([AreaFactory(code=code, name=names[code]) for code in NEIGHBOURS])
    place = PlaceFactory(
        name="Luton",
        area=luton,
        country=england,
        region=region,
        nearest_neighbours=group,
    )
    indicator = IndicatorFactory(
        **{
            "code": "physically-active-adults",
            "name": "Physically active adults",
            "fingertips_id": FINGERTIPS_ID,
            "value_type": Indicator.ValueType.PROPORTION,
            "polarity": Indicator.Polarity.HIGH_IS_GOOD,
            "unit": "%",
            "display_decimals": 1,
            **indicator_fields,
        }
    )
    if import_file:
        result = fingertips_import(
            file=AREAS_CSV.read_bytes(), file_name="fingertips_areas.csv"
        )
        assert result.ok, result.error_messages()
    return AreasWorld(place, indicator, england, region, group)
