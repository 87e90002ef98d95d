"""Shared helpers for the indicators tests (no tests here): the admin's URL
names, a staff user with given permissions, and a value row for the API."""

from django.contrib.auth.models import Permission

from tests.indicators.factories import IndicatorValueFactory, PeriodFactory
from tests.workstreams.factories import UserFactory

#: the API's list of indicator values
VALUES_URL = "/api/v1/values/"
#: the admin's download of selected or filtered indicator values
DOWNLOAD = "admin:indicators_indicatorvalue_download"
#: the admin's upload pages
FINGERTIPS_URL = "admin:indicators_import_fingertips"
MEASURES_URL = "admin:indicators_import_measures"


def staff_with(*codenames: str):
    """A staff user (not a superuser) with just these permissions."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def put(indicator, area, year, value, **fields):
    """A value of ``indicator`` for ``area`` in ``year``, with a 95% interval of +-1."""
    defaults = {"lower95": value - 1, "upper95": value + 1}
    defaults.update(fields)
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=PeriodFactory(label=str(year)),
        value=value,
        **defaults,
    )
