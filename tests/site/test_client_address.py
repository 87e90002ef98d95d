"""One answer to "what is the client's address" (marmot.site.client_address),
used by the API throttles, the site's form rate limits and django-axes.

A forwarded address (``X-Forwarded-For``) is trusted only from the
``TRUSTED_PROXY_COUNT`` proxies in front of the app (default 0: none, so only
``REMOTE_ADDR`` counts). Issue 14, finding 11: 300 requests, each with a new
``X-Forwarded-For``, were all let through the API throttle that guards
``auth/token/``.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.1"


def api_rates(settings, proxies=None, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }
    if proxies is not None:
        settings.TRUSTED_PROXY_COUNT = proxies
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}


def token_post(client, forwarded_for, remote=PROXY):
    return client.post(
        TOKEN_URL,
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_a_new_forwarded_for_on_each_request_does_not_reset_the_token_throttle(
    settings,
):
    api_rates(settings, anon="3/minute")
    client = APIClient()
    statuses = [token_post(client, f"203.0.113.{n}").status_code for n in range(1, 7)]
    assert statuses == [400, 400, 400, 429, 429, 429]


def test_a_new_forwarded_for_does_not_reset_anonymous_api_reads(settings):
    api_rates(settings, anon="2/minute")
    client = APIClient()
    statuses = [
        client.get(
            "/api/v1/principles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(1, 5)
    ]
    assert statuses == [200, 200, 429, 429]


def test_behind_one_trusted_proxy_the_address_it_saw_is_counted(settings):
    # The proxy appends the address it saw; whatever the client put before it
    # is the client's own claim and is not believed.
    api_rates(settings, proxies=1, anon="2/minute")
    client = APIClient()
    spoofs = [token_post(client, f"1.2.3.{n}, 192.0.2.50") for n in range(1, 4)]
    assert [r.status_code for r in spoofs] == [400, 400, 429]
    # Another real client behind the same proxy has its own count.
    assert token_post(client, "192.0.2.51").status_code == 400


@override_settings(RATE_LIMITS={"login": "2/hour"})
def test_a_new_forwarded_for_does_not_reset_the_sign_in_rate_limit():
    client = Client(REMOTE_ADDR=PROXY)
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": "nobody", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_axes_records_the_address_the_trusted_proxy_saw():
    UserFactory(username="nadia")
    Client(REMOTE_ADDR=PROXY).post(
        "/accounts/login/",
        {"username": "nadia", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.50",
    )
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("nadia", "192.0.2.50")
    ]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.9", PROXY),
        (1, None, PROXY),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies
        (1, "not-an-address", PROXY),  # never a key nobody can trust
        (1, "2001:DB8:0:0::1", "2001:db8::1"),  # one spelling per address
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    from marmot.site.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra)
    assert client_address(request) == expected


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_drf_num_proxies_follows_the_setting(settings, proxies):
    # Any DRF throttle (ours or a library's) counts the same address.
    from marmot.site.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.2"
    )
    assert proxies == api_settings.NUM_PROXIES
    assert BaseThrottle().get_ident(request) == client_address(request)


def test_the_settings_tie_drf_and_axes_to_the_one_setting(settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT == 0
    assert (
        settings.AXES_CLIENT_IP_CALLABLE == "marmot.site.client_address.client_address"
    )
