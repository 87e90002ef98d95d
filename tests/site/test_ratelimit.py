"""The form rate limiter: counting per window, per key, and its refusal page."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from marmot.site.ratelimit import parse_rate, rate_limit_hit, rate_limited


def test_parse_rate_reads_count_and_period():
    assert parse_rate("20/hour") == (20, 3600)
    assert parse_rate("3/minute") == (3, 60)


@pytest.mark.parametrize("bad", ["20", "x/hour", "20/fortnight", ""])
def test_parse_rate_says_what_is_wrong(bad):
    with pytest.raises(ValueError, match="count>/<period>"):
        parse_rate(bad)


def test_over_the_limit_only_after_count_hits_in_one_window():
    hits = [
        rate_limit_hit(scope="t", key="k", rate="2/minute", now=60) for _ in range(3)
    ]
    assert hits == [False, False, True]
    # another key, and the next window, start again
    assert rate_limit_hit(scope="t", key="other", rate="2/minute", now=60) is False
    assert rate_limit_hit(scope="t", key="k", rate="2/minute", now=120) is False


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"demo": "1/hour"})
def test_decorated_view_refuses_posts_beyond_the_limit_with_a_429_page():
    from django.contrib.auth.models import AnonymousUser

    calls = []

    @rate_limited("demo")
    def view(request):
        calls.append(request.method)
        return HttpResponse("ok")

    factory = RequestFactory()

    def post():
        request = factory.post("/x/", REMOTE_ADDR="10.0.0.1")
        request.user = AnonymousUser()
        return view(request)

    assert post().status_code == 200
    refused = post()
    assert refused.status_code == 429
    assert b"Too many attempts" in refused.content
    get = factory.get("/x/")
    get.user = AnonymousUser()
    assert view(get).status_code == 200  # GETs are never counted
    assert calls == ["POST", "GET"]
