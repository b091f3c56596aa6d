"""The school guide: filters, comparison, shortlist with notes, bad input, constant queries."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import services
from members.errors import ShortlistError
from members.models import ShortlistEntry
from tests.members.area import SchoolFactory, grant_all
from tests.payments.factories import BuyerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(db):
    return {
        "queens": SchoolFactory(slug="queens", name="Queens", casper_required="yes"),
        "ottawa": SchoolFactory(
            slug="ottawa", name="Ottawa", language="en_fr", interview_format="both"
        ),
        "laval": SchoolFactory(
            slug="laval", name="Laval", province="QC", language="fr", route="direct"
        ),
        "calgary": SchoolFactory(
            slug="calgary",
            name="Calgary",
            province="AB",
            route="direct",
            program_years=3,
            interview_format="mmi",
        ),
        "unknown": SchoolFactory(
            slug="unknown",
            name="Unverified",
            province="MB",
            language="",
            route="",
            program_years=None,
        ),
    }


def names(response):
    return sorted(school.name for school in response.context["schools"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("province=ON", ["Ottawa", "Queens"]),
        ("language=fr", ["Laval", "Ottawa"]),  # bilingual matches either language
        ("language=unknown", ["Unverified"]),
        ("route=direct", ["Calgary", "Laval"]),
        ("program_years=3", ["Calgary"]),
        ("program_years=unknown", ["Unverified"]),
        ("casper_required=yes", ["Queens"]),
        ("casper_required=unknown", ["Calgary", "Laval", "Ottawa", "Unverified"]),
        ("interview_format=mmi", ["Calgary", "Ottawa"]),  # "both" matches MMI
        ("province=ON&language=en", ["Ottawa", "Queens"]),
    ],
)
def test_filters(signed_in, schools, query, expected):
    response = signed_in.get(f"/members/schools/?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_unknown_facts_read_check_with_the_school(signed_in, schools):
    page = html.unescape(signed_in.get("/members/schools/?province=MB").content.decode())
    assert page.count("Check with the school") >= 4


@pytest.mark.parametrize(
    "query",
    [
        "province=XX",
        "language=klingon",
        "program_years=9",
        "interview_format=" + "m" * 5000,
    ],
)
def test_bad_filter_values_are_a_400_with_a_message(signed_in, schools, query):
    response = signed_in.get(f"/members/schools/?{query}")
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()


def test_compare_lists_each_fact_for_each_school_in_order(signed_in, schools):
    response = signed_in.get("/members/schools/compare/?school=laval&school=queens")
    assert response.status_code == 200
    assert [s.name for s in response.context["schools"]] == ["Laval", "Queens"]
    rows = dict(response.context["rows"])
    assert rows["Province"] == [("Laval", "Quebec"), ("Queens", "Ontario")]
    assert rows["CASPer required"] == [("Laval", ""), ("Queens", "Yes")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose the schools"),
        ("school=queens&school=ottawa&school=laval&school=calgary&school=unknown", "at most 4"),
        ("school=queens&school=nowhere", "not in the guide"),
        ("school=queens&school=" + "x" * 300, "not in the guide"),
    ],
)
def test_bad_comparisons_are_a_400_with_a_message(signed_in, schools, query, message):
    response = signed_in.get(f"/members/schools/compare/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_inactive_school_cannot_be_compared_or_shortlisted(signed_in, schools):
    schools["laval"].active = False
    schools["laval"].save()
    assert signed_in.get("/members/schools/compare/?school=laval").status_code == 400
    assert signed_in.post("/members/schools/laval/shortlist/").status_code == 404


def test_shortlist_add_notes_remove(signed_in, member, schools):
    response = signed_in.post("/members/schools/queens/shortlist/", {"next": "/members/schools/"})
    assert response.status_code == 302
    assert response["Location"] == "/members/schools/"
    signed_in.post("/members/schools/queens/shortlist/")  # twice: still one entry
    assert ShortlistEntry.objects.filter(member=member).count() == 1

    response = signed_in.post(
        "/members/schools/queens/shortlist/notes/",
        {f"school-{schools['queens'].pk}-notes": "Near family."},
    )
    assert response.status_code == 302
    assert ShortlistEntry.objects.get(member=member).notes == "Near family."
    page = signed_in.get("/members/schools/shortlist/").content.decode()
    assert "Near family." in page

    signed_in.post("/members/schools/queens/shortlist/remove/")
    assert not ShortlistEntry.objects.filter(member=member).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "", "//evil.example"])
def test_next_may_not_leave_the_site(signed_in, schools, target):
    response = signed_in.post("/members/schools/queens/shortlist/", {"next": target})
    assert response["Location"] == "/members/schools/shortlist/"


@pytest.mark.parametrize(
    ("notes", "message"),
    [("x" * 2001, "at most 2000 characters")],
)
def test_bad_notes_are_a_form_error(signed_in, member, schools, notes, message):
    signed_in.post("/members/schools/queens/shortlist/")
    response = signed_in.post(
        "/members/schools/queens/shortlist/notes/", {f"school-{schools['queens'].pk}-notes": notes}
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert ShortlistEntry.objects.get(member=member).notes == ""


def test_other_members_shortlists_are_never_visible_or_writable(client, member, schools):
    services.shortlist_add(member=member, school=schools["queens"])
    services.shortlist_update_notes(member=member, school=schools["queens"], notes="My secret")
    other = BuyerFactory(email="other@example.com")
    grant_all(other, tag="other")
    client.force_login(other)

    assert "My secret" not in client.get("/members/schools/shortlist/").content.decode()
    assert "Queens" not in client.get("/members/schools/shortlist/").content.decode()
    response = client.post(
        "/members/schools/queens/shortlist/notes/", {f"school-{schools['queens'].pk}-notes": "Mine"}
    )
    assert response.status_code == 400
    client.post("/members/schools/queens/shortlist/remove/")
    assert ShortlistEntry.objects.get(member=member).notes == "My secret"


def test_the_shortlist_has_a_size_limit(member, monkeypatch):
    monkeypatch.setattr(services, "MAX_SHORTLIST", 2)
    for _ in range(2):
        services.shortlist_add(member=member, school=SchoolFactory())
    with pytest.raises(ShortlistError):
        services.shortlist_add(member=member, school=SchoolFactory())


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_guide_queries_do_not_grow_with_schools(signed_in, member):
    client = signed_in
    for n in range(10):
        school = SchoolFactory()
        if n < 3:
            services.shortlist_add(member=member, school=school)
    client.get("/members/schools/")  # warm up session and content types
    ten = _queries(client, "/members/schools/")
    for _ in range(30):
        SchoolFactory()
    assert _queries(client, "/members/schools/") == ten


def test_compare_queries_do_not_grow_with_schools(signed_in, schools):
    client = signed_in
    client.get("/members/schools/compare/?school=queens")
    one = _queries(client, "/members/schools/compare/?school=queens")
    four = _queries(
        client, "/members/schools/compare/?school=queens&school=ottawa&school=laval&school=calgary"
    )
    assert one == four


def test_nul_bytes_are_refused_before_the_guide_sees_them(signed_in, member, schools):
    for query in ("province=%00", "route=omsas%00"):
        assert signed_in.get(f"/members/schools/?{query}").status_code == 400
    assert signed_in.get("/members/schools/compare/?school=queens&school=%00").status_code == 400
    signed_in.post("/members/schools/queens/shortlist/")
    field = f"school-{schools['queens'].pk}-notes"
    response = signed_in.post("/members/schools/queens/shortlist/notes/", {field: "nul\x00byte"})
    assert response.status_code == 400
    assert ShortlistEntry.objects.get(member=member).notes == ""
    response = signed_in.post("/members/schools/laval/shortlist/", {"next": "/members/\x00"})
    assert response.status_code == 400
    assert not ShortlistEntry.objects.filter(member=member, school=schools["laval"]).exists()
