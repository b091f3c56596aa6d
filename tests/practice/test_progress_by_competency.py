"""Progress per competency on /practice/: for each competency, how many of the member's scored
scenarios a coach tagged with it and their average score, as a table and a server-drawn SVG
bar chart with a text alternative. Drafts, unscored attempts and other members' do not count."""

import re

import pytest

from practice import selectors, services
from practice.models import Competency
from tests.practice.factories import MemberFactory, PracticeSetFactory, claimed

pytestmark = pytest.mark.django_db


def _ids(*names):
    return [Competency.objects.get(name=name).pk for name in names]


def _attempt(member, scores, tags, *, returned=True):
    """An attempt of len(scores) scenarios, scored and tagged per position."""
    attempt, coach = claimed(member=member, practice_set=PracticeSetFactory(scenarios=len(scores)))
    services.attempt_score(
        attempt=attempt,
        coach=coach,
        scores={n: (score, "") for n, score in enumerate(scores, start=1)},
        competencies={n: _ids(*names) for n, names in enumerate(tags, start=1)},
    )
    if returned:
        services.attempt_return(attempt=attempt, coach=coach)
    return attempt


@pytest.fixture
def member():
    member = MemberFactory()
    _attempt(member, [2, 4], [["Empathy", "Ethics", "Equity"], ["Empathy"]])
    _attempt(member, [3, 1], [["Empathy"], ["Resilience"]])
    _attempt(member, [1, 1], [["Empathy"], ["Ethics"]], returned=False)  # still a draft
    _attempt(MemberFactory(), [1], [["Empathy"]])  # someone else's
    Competency.objects.filter(name__in=["Equity", "Motivation"]).update(active=False)
    return member


def test_each_competency_counts_the_scored_scenarios_that_showed_it_and_their_average(member):
    table = {
        row.competency.name: (row.shown, row.average)
        for row in selectors.competency_progress(member)
    }
    assert table["Empathy"] == (3, 3.0)  # 2, 4 and 3
    assert table["Ethics"] == (1, 2.0)
    assert table["Resilience"] == (1, 1.0)
    assert table["Equity"] == (1, 2.0)  # retired after it was tagged: still counted
    assert "Motivation" not in table  # retired and never tagged
    assert table["Communication"] == (0, None)
    assert len(table) == 9


def test_each_competency_is_followed_over_time_attempt_by_attempt(client, member):
    over_time = {
        row.competency.name: row.over_time for row in selectors.competency_progress(member)
    }
    assert over_time["Empathy"] == (3.0, 3.0)  # first attempt (2 and 4), then the second (3)
    assert over_time["Ethics"] == (2.0,) and over_time["Resilience"] == (1.0,)
    assert over_time["Communication"] == ()
    client.force_login(member)
    assert "3.0 → 3.0" in client.get("/practice/").content.decode()


def test_the_table_follows_the_editors_order():
    Competency.objects.filter(name="Self-awareness").update(sort_order=0)
    names = [row.competency.name for row in selectors.competency_progress(MemberFactory())]
    assert names[0] == "Self-awareness" and names[1] == "Collaboration"


def test_the_bar_chart_draws_the_competencies_shown_in_order_scaled_to_4(member):
    chart = selectors.competency_chart(selectors.competency_progress(member))
    assert [(bar.label, bar.average, bar.shown) for bar in chart.bars] == [
        ("Empathy", 3.0, 3),
        ("Equity", 2.0, 1),
        ("Ethics", 2.0, 1),
        ("Resilience", 1.0, 1),
    ]
    assert [bar.width for bar in chart.bars] == [300.0, 200.0, 200.0, 100.0]
    assert selectors.competency_chart(selectors.competency_progress(MemberFactory())) is None


def test_the_practice_page_shows_the_table_and_an_svg_with_a_text_alternative(client, member):
    client.force_login(member)
    page = client.get("/practice/").content.decode()
    section = page[page.index('id="competencies"') :]
    assert "Across your 4 scored scenarios" in section
    svg = re.search(r"<svg.*?</svg>", section, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and svg.count("<rect") == 4
    assert "Empathy: 3.0 out of 4 over 3 scenarios; Equity: 2.0 out of 4 over 1 scenario" in svg
    rows = re.findall(
        r'<th scope="row">(.*?)<span.*?</th>\s*<td>(\d+)</td>\s*<td>(.*?)</td>', section, re.S
    )
    assert ("Empathy", "3", "3.0 out of 4") in rows
    assert ("Communication", "0", "–") in rows
    assert ("Equity", "1", "2.0 out of 4") in rows


def test_there_is_no_competency_section_before_the_first_scored_attempt(client):
    member = MemberFactory()
    _attempt(member, [3], [["Empathy"]], returned=False)
    client.force_login(member)
    assert 'id="competencies"' not in client.get("/practice/").content.decode()


def test_a_scored_attempt_without_tags_lists_the_competencies_without_a_chart(client):
    member = MemberFactory()
    _attempt(member, [3], [[]])
    client.force_login(member)
    page = client.get("/practice/").content.decode()
    section = page[page.index('id="competencies"') :]
    assert "Average score per competency" not in section and "Collaboration" in section
