"""Terms of service, privacy and refund policy: Wagtail pages at /terms/, /privacy/, /refunds/,
made by the demo loader once, linked from the footer (editors' column, or the fallback row)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import TestCase
from wagtail.models import Page, Revision

from medpath.cms.models import FooterSettings, GuidanceIndexPage, PolicyPage
from medpath.cms.policies_demo import ensure_policy_pages


def policy(home, slug="terms", title="Terms of service", **fields):
    page = PolicyPage(
        slug=slug,
        title=title,
        last_updated=datetime.date(2026, 12, 1),
        body="<h2>Payment</h2><p>Prices are in Canadian dollars.</p>",
        **fields,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_a_policy_page_shows_its_title_last_updated_date_and_body(client, home):
    policy(home, summary="What you agree to.")
    response = client.get("/terms/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Terms of service</h1>" in html
    # the day in format_day's words; the year too once it is not this year
    assert '<time datetime="2026-12-01">Tue 1 Dec' in html
    assert "<h2>Payment</h2>" in html
    assert "What you agree to." in html


@pytest.mark.django_db
def test_a_policy_page_links_the_other_policies(client, home):
    policy(home)
    policy(home, slug="refunds", title="Refund policy")
    html = client.get("/terms/").content.decode()
    assert '<a href="/refunds/">Refund policy</a>' in html


@pytest.mark.django_db
def test_policy_pages_live_only_directly_under_the_home_page(home, section):
    assert PolicyPage.can_create_at(home)
    assert not PolicyPage.can_create_at(section)
    assert PolicyPage.allowed_subpage_models() == []
    assert GuidanceIndexPage in home.specific_class.allowed_subpage_models()


@pytest.mark.django_db
def test_a_policy_page_needs_its_last_updated_date_and_body(home):
    page = PolicyPage(slug="privacy", title="Privacy")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"last_updated", "body"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_pay_and_buy_link_the_published_terms_and_refund_policy(rf, home):
    html = render_to_string("includes/policy_agreement.html", {"request": rf.get("/")})
    assert "By paying you agree to our Terms of service and Refund policy." in html  # no pages yet

    policy(home)
    policy(home, slug="refunds", title="Refund policy")
    html = render_to_string(
        "includes/policy_agreement.html", {"request": rf.get("/"), "agreement_verb": "buying"}
    )

    assert (
        'By buying you agree to our <a href="/terms/">Terms of service</a> and '
        '<a href="/refunds/">Refund policy</a>.'
    ) in html


@pytest.mark.django_db
def test_the_policy_links_cost_one_query_per_request_however_many_buttons(
    rf, home, django_assert_num_queries
):
    policy(home)
    request = rf.get("/")
    render_to_string("includes/policy_agreement.html", {"request": request})
    with django_assert_num_queries(0):
        for _ in range(4):
            render_to_string("includes/policy_agreement.html", {"request": request})


@pytest.mark.django_db
def test_the_demo_adds_a_policies_column_to_an_older_footer_once(home):
    footer = FooterSettings.load()
    footer.about_text = "Edited by an editor."
    footer.columns = [
        {
            "type": "column",
            "value": {
                "heading": "Help",
                "links": [{"label": "Search", "page": None, "url": "/s/"}],
            },
        }
    ]
    footer.save()
    call_command("load_demo", force=True, quiet_logins=True)
    call_command("load_demo", force=True, quiet_logins=True)

    footer = FooterSettings.load()
    assert [column.value["heading"] for column in footer.columns] == ["Help", "Policies"]
    assert [link["page"].slug for link in footer.columns[1].value["links"]] == [
        "terms",
        "privacy",
        "refunds",
    ]
    assert footer.about_text == "Edited by an editor."


@pytest.mark.django_db
def test_the_demo_policy_pages_are_made_once(home):
    first = ensure_policy_pages(home)
    counts = (Page.objects.count(), Revision.objects.count())
    first["terms"].title = "Terms (edited by an editor)"
    first["terms"].save_revision().publish()

    again = ensure_policy_pages(home)

    assert {slug: page.pk for slug, page in again.items()} == {
        slug: page.pk for slug, page in first.items()
    }
    assert Page.objects.count() == counts[0]
    assert PolicyPage.objects.get(slug="terms").title == "Terms (edited by an editor)"


class TestDemoPolicies(TestCase):
    """The demo site, loaded once for the class."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", force=True, quiet_logins=True)

    def test_the_demo_has_terms_privacy_and_refunds_at_their_addresses(self):
        for url, title in (
            ("/terms/", "Terms of service"),
            ("/privacy/", "Privacy"),
            ("/refunds/", "Refund policy"),
        ):
            response = self.client.get(url)
            assert response.status_code == 200, url
            assert f"<h1>{title}</h1>" in response.content.decode()

    def test_the_demo_footer_has_a_policies_column(self):
        html = self.client.get("/").content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert "<h2>Policies</h2>" in footer
        for href in ("/terms/", "/privacy/", "/refunds/"):
            assert footer.count(f'href="{href}"') == 1, href

    def test_the_demo_refund_policy_agrees_with_the_booking_policy(self):
        html = self.client.get("/refunds/").content.decode()
        # booking/policy.py: in time, a credit comes back or a paid session becomes a credit;
        # late, the session is used up. payments: a full refund takes back what it bought.
        assert "the credit gets that session back" in html
        assert "a credit for another session of the same" in html
        assert "counts as used" in html
        assert "A full refund cancels the upcoming sessions bought with that order" in html
        assert "Ontario HST" in self.client.get("/terms/").content.decode()


@pytest.mark.django_db
def test_policy_addresses_are_kept_per_site_and_purged_when_a_policy_is_published(
    rf, home, django_assert_num_queries
):
    from medpath.cms.navigation import policy_urls_for_request

    policy(home)
    assert policy_urls_for_request(rf.get("/packages/x/")) == {"terms": "/terms/"}
    with django_assert_num_queries(0):  # another request, another process: the shared cache
        assert policy_urls_for_request(rf.get("/packages/y/")) == {"terms": "/terms/"}
    policy(home, slug="refunds", title="Refund policy")
    assert policy_urls_for_request(rf.get("/packages/z/")) == {
        "terms": "/terms/",
        "refunds": "/refunds/",
    }
