import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from marmot import roles
from marmot.principals import principal_for
from tests.workstreams.factories import OrganisationFactory, WorkstreamFactory


@pytest.fixture
def programme():
    return {
        "workstreams": [WorkstreamFactory(slug="housing"), WorkstreamFactory()],
        "anchor": OrganisationFactory(name="Anchor Trust", is_anchor_institution=True),
        "other": OrganisationFactory(name="Aardvark Charity"),
    }


@pytest.mark.django_db
def test_demo_accounts_cover_every_role_and_print_working_credentials(
    programme, settings, capsys
):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    rows = {
        line.split()[0]: line.split()[1]
        for line in out.splitlines()[2:]
        if line.startswith("  ") and "—" in line
    }
    assert set(rows) == {
        "officer",
        "oversight",
        "chair-housing",
        f"chair-{programme['workstreams'][1].slug}",
        "partner",
    }
    for username, password in rows.items():
        assert authenticate(username=username, password=password) is not None

    officer = authenticate(username="officer", password=rows["officer"])
    assert officer.is_staff and principal_for(officer).officer
    chair = authenticate(username="chair-housing", password=rows["chair-housing"])
    housing = programme["workstreams"][0]
    housing.refresh_from_db()
    assert housing.chair == chair
    chaired = principal_for(chair).chaired_workstream_ids
    assert chaired == {housing.pk}
    partner = authenticate(username="partner", password=rows["partner"])
    assert principal_for(partner).organisation_id == programme["anchor"].pk
    assert roles.user_has_role(partner, roles.PARTNER)
    assert not partner.is_staff


@pytest.mark.django_db
def test_running_twice_resets_passwords_without_duplicating(programme, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    from django.contrib.auth import get_user_model

    assert (
        get_user_model().objects.filter(username__in=["officer", "partner"]).count()
        == 2
    )


@pytest.mark.django_db
def test_refuses_with_debug_off(programme, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_accounts")
