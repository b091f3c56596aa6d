"""The question bank: filters, a random draw on the server within the filters, favourites."""

import pytest

from members.models import FavouriteQuestion
from tests.members.area import QuestionFactory, grant_all
from tests.payments.factories import BuyerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    return {
        "ethics": QuestionFactory(text="Ethics at a station?", format="mmi", category="ethics"),
        "panel": QuestionFactory(text="Why this school?", format="panel", category="motivation"),
        "policy": QuestionFactory(
            text="Pharmacists prescribing?", format="mmi", category="health_policy"
        ),
        "retired": QuestionFactory(text="Retired prompt?", active=False),
    }


def test_filters_by_format_and_category_and_hides_inactive(signed_in, bank):
    response = signed_in.get("/members/questions/?format=mmi")
    assert {q.text for q in response.context["found"]} == {
        "Ethics at a station?",
        "Pharmacists prescribing?",
    }
    response = signed_in.get("/members/questions/?format=mmi&category=health_policy")
    assert [q.text for q in response.context["found"]] == ["Pharmacists prescribing?"]
    assert "Retired prompt?" not in signed_in.get("/members/questions/").content.decode()


def test_coach_note_is_shown_with_each_question(signed_in, bank):
    assert "Name the tension" in signed_in.get("/members/questions/").content.decode()


def test_random_draw_respects_the_filters(signed_in, bank):
    for _ in range(8):
        response = signed_in.get("/members/questions/random/?category=motivation")
        assert response.status_code == 200
        assert response.context["found"] == bank["panel"]


def test_random_draw_with_nothing_to_draw_says_so(signed_in, bank):
    response = signed_in.get("/members/questions/random/?category=teamwork")
    assert response.status_code == 200
    assert response.context["found"] is None
    assert "No question matches" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["format=essay", "category=%00", "category=ethics%00", "format=" + "x" * 3000]
)
def test_bad_filters_are_a_400(signed_in, bank, query):
    assert signed_in.get(f"/members/questions/?{query}").status_code == 400
    assert signed_in.get(f"/members/questions/random/?{query}").status_code == 400


def test_favourite_on_the_random_page_comes_back_to_the_same_question(signed_in, bank):
    """Marking a drawn question must not draw another: the form returns to `?question=<id>`."""
    response = signed_in.get("/members/questions/random/?format=mmi")
    drawn = response.context["found"]
    again = f"/members/questions/random/?format=mmi&question={drawn.pk}"
    assert f'name="next" value="{again.replace("&", "&amp;")}"' in response.content.decode()

    response = signed_in.post(
        f"/members/questions/{drawn.pk}/favourite/", {"favourite": "1", "next": again}
    )
    assert response.status_code == 302
    assert response.url == again
    for _ in range(8):
        response = signed_in.get(again)
        assert response.context["found"] == drawn
        assert 'aria-pressed="true"' in response.content.decode()
    # "Draw another" keeps the filters but not the shown question.
    assert 'href="/members/questions/random/?format=mmi">Draw another' in (
        response.content.decode()
    )


def test_random_page_shows_a_named_question_only_within_the_filters(signed_in, bank):
    shown = signed_in.get(f"/members/questions/random/?question={bank['panel'].pk}")
    assert shown.context["found"] == bank["panel"]
    for question in (bank["panel"].pk, bank["retired"].pk, "99999999", "x", "%C2%B2", "1" * 40):
        response = signed_in.get(f"/members/questions/random/?format=mmi&question={question}")
        assert response.status_code == 200
        assert response.context["found"].format == "mmi"
        assert response.context["found"].active


def test_favourites_are_per_member_and_filterable(client, signed_in, member, bank):
    url = f"/members/questions/{bank['policy'].pk}/favourite/"
    assert signed_in.post(url, {"favourite": "1"}).status_code == 302
    signed_in.post(url, {"favourite": "1"})  # twice: still one
    assert FavouriteQuestion.objects.filter(member=member).count() == 1
    response = signed_in.get("/members/questions/?favourites=on")
    assert [q.text for q in response.context["found"]] == ["Pharmacists prescribing?"]
    assert 'aria-pressed="true"' in response.content.decode()

    other = BuyerFactory(email="other-q@example.com")
    grant_all(other, tag="other")
    client.force_login(other)
    assert list(client.get("/members/questions/?favourites=on").context["found"]) == []

    client.force_login(member)
    client.post(url, {"favourite": "0"})
    assert not FavouriteQuestion.objects.filter(member=member).exists()


def test_bad_favourite_requests(signed_in, bank):
    assert (
        signed_in.post(
            f"/members/questions/{bank['policy'].pk}/favourite/", {"favourite": "x"}
        ).status_code
        == 400
    )
    assert (
        signed_in.post(
            f"/members/questions/{bank['retired'].pk}/favourite/", {"favourite": "1"}
        ).status_code
        == 404
    )
    assert (
        signed_in.post("/members/questions/999999/favourite/", {"favourite": "1"}).status_code
        == 404
    )
    assert signed_in.get(f"/members/questions/{bank['policy'].pk}/favourite/").status_code == 405
