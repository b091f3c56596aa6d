"""The catalogue in the Wagtail admin, driven as an editor would: GET the form, POST it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from coaching.forms import NO_ITEMS_MESSAGE
from coaching.models import Coach, Package, Service
from tests.accounts.factories import UserFactory
from tests.coaching.factories import (
    CoachFactory,
    PackageFactory,
    PackageItemFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser(email="editor@example.com", password="x")
    client.force_login(user)
    return client


def _url(model, action, *args):
    # Snippet viewsets are attached when the admin's URLs load (the wagtail_hooks run then):
    # load them first, or a worker that runs this file before any admin request fails.
    reverse("wagtailadmin_home")
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def _package_data(*, items, price="345.00", slug="casper-ready", **overrides):
    data = {
        "name": "CASPer Ready",
        "slug": slug,
        "summary": "Two coached CASPer sessions.",
        "price": price,
        "taxable": "on",
        "validity_months": "6",
        "sort_order": "0",
        "active": "on",
        "description": rich_text("<p>Practise under time pressure.</p>"),
        "items": inline_formset(items, min=1),
        "perks": inline_formset([{"kind": "practice_tests", "text": "CASPer practice tests"}]),
        "faqs": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_catalogue_menu_groups_services_packages_and_coaches(editor_client):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Catalogue" in html
    for model in (Service, Package, Coach):
        assert _url(model, "list") in html


@pytest.mark.parametrize("model", [Service, Package, Coach])
def test_catalogue_listings_filter_and_search(editor_client, model):
    PackageFactory(name="Essentials")
    response = editor_client.get(_url(model, "list"), {"active": "true", "q": "ess"})
    assert response.status_code == 200


def test_package_listing_filters_by_most_popular(editor_client):
    PackageFactory(name="Popular one", popular=True)
    PackageFactory(name="Plain one")
    html = editor_client.get(_url(Package, "list"), {"is_most_popular": "true"}).content.decode()
    assert "Popular one" in html
    assert "CA$345.00" in html
    assert "Plain one" not in html


def test_service_listing_filters_by_kind(editor_client):
    ServiceFactory(name="Live one")
    ServiceFactory(name="Review one", review=True)
    html = editor_client.get(_url(Service, "list"), {"kind": "review"}).content.decode()
    assert "Review one" in html
    assert "Live one" not in html


def test_editor_creates_a_package_with_a_price_in_dollars(editor_client):
    service = ServiceFactory(name="CASPer preparation")
    assert editor_client.get(_url(Package, "add")).status_code == 200

    response = editor_client.post(
        _url(Package, "add"),
        _package_data(items=[{"service": service.pk, "quantity": "2"}], price="345.50"),
    )

    assert response.status_code == 302, response.context["form"].errors
    package = Package.objects.get(slug="casper-ready")
    assert package.price_cents == 34550
    assert [(item.service, item.quantity) for item in package.items.all()] == [(service, 2)]
    assert [perk.text for perk in package.perks.all()] == ["CASPer practice tests"]
    assert "Practise under time pressure." in package.description


def test_package_without_items_is_refused_with_a_clear_message(editor_client):
    response = editor_client.post(_url(Package, "add"), _package_data(items=[]))

    assert response.status_code == 200
    assert NO_ITEMS_MESSAGE in response.content.decode()
    assert not Package.objects.exists()


def test_package_with_only_a_blank_item_row_is_refused(editor_client):
    response = editor_client.post(
        _url(Package, "add"), _package_data(items=[{"service": "", "quantity": "1"}])
    )
    assert NO_ITEMS_MESSAGE in response.content.decode()
    assert not Package.objects.exists()


def test_package_listing_the_same_service_twice_is_refused(editor_client):
    service = ServiceFactory(name="Mock interview: MMI")
    response = editor_client.post(
        _url(Package, "add"),
        _package_data(
            items=[
                {"service": service.pk, "quantity": "1"},
                {"service": service.pk, "quantity": "2"},
            ]
        ),
    )
    html = response.content.decode()
    assert "“Mock interview: MMI” is listed more than once" in html
    assert not Package.objects.exists()


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("0", "The price must be more than zero."),
        ("-5", "The price must be more than zero."),
        ("abc", "Enter the price as a number in dollars"),
        ("12.345", "Enter whole cents at most"),
        ("", "Enter a price"),
    ],
)
def test_package_price_must_be_positive_dollars_and_cents(editor_client, price, message):
    service = ServiceFactory()
    response = editor_client.post(
        _url(Package, "add"), _package_data(items=[{"service": service.pk}], price=price)
    )
    assert message in response.content.decode()
    assert not Package.objects.exists()


def test_package_slug_must_be_unique_with_a_friendly_message(editor_client):
    PackageFactory(slug="casper-ready")
    service = ServiceFactory()
    response = editor_client.post(
        _url(Package, "add"), _package_data(items=[{"service": service.pk, "quantity": "1"}])
    )
    assert "Another package already uses the address “casper-ready”" in response.content.decode()
    assert Package.objects.count() == 1


def test_editor_changes_a_packages_price_and_removes_an_item(editor_client):
    package = PackageFactory(slug="casper-ready", price_cents=34500, items=0)
    kept = PackageItemFactory(package=package, quantity=2)
    dropped = PackageItemFactory(package=package)
    form_html = editor_client.get(_url(Package, "edit", package.pk)).content.decode()
    assert 'value="345.00"' in form_html

    response = editor_client.post(
        _url(Package, "edit", package.pk),
        _package_data(
            price="399",
            items=[
                {"id": kept.pk, "service": kept.service.pk, "quantity": "3"},
                {"id": dropped.pk, "service": dropped.service.pk, "quantity": "1", "DELETE": "1"},
            ],
            perks=inline_formset([]),
        )
        | {"items-INITIAL_FORMS": "2"},
    )

    assert response.status_code == 302
    package.refresh_from_db()
    assert package.price_cents == 39900
    assert [(item.service_id, item.quantity) for item in package.items.all()] == [
        (kept.service_id, 3)
    ]
    assert Service.objects.filter(pk=dropped.service_id).exists()


def test_removing_every_item_from_a_package_is_refused(editor_client):
    package = PackageFactory(slug="casper-ready", items=0)
    item = PackageItemFactory(package=package)
    response = editor_client.post(
        _url(Package, "edit", package.pk),
        _package_data(items=[{"id": item.pk, "service": item.service.pk, "DELETE": "1"}])
        | {"items-INITIAL_FORMS": "1"},
    )
    assert NO_ITEMS_MESSAGE in response.content.decode()
    assert package.items.count() == 1


def _service_data(**overrides):
    data = {
        "name": "Mock interview",
        "slug": "mock-interview",
        "kind": "live",
        "duration_minutes": "60",
        "turnaround_days": "",
        "cancellation_notice_hours": "24",
        "short_description": "A full interview circuit.",
        "description": rich_text(""),
        "single_price": "175",
        "active": "on",
        "sort_order": "0",
    }
    data.update(overrides)
    return data


def test_editor_creates_a_service_with_a_single_price_in_dollars(editor_client):
    response = editor_client.post(_url(Service, "add"), _service_data())
    assert response.status_code == 302
    assert Service.objects.get(slug="mock-interview").single_price_cents == 17500


def test_service_sold_only_in_packages_has_no_single_price(editor_client):
    editor_client.post(_url(Service, "add"), _service_data(single_price=""))
    assert Service.objects.get(slug="mock-interview").single_price_cents is None


def test_live_service_duration_error_shows_on_the_field(editor_client):
    response = editor_client.post(_url(Service, "add"), _service_data(duration_minutes="62"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["duration_minutes"] == [
        "Choose a duration between 15 and 480 minutes, in steps of 5."
    ]
    assert not Service.objects.exists()


def test_service_used_in_a_package_is_not_deleted_and_the_editor_is_told_why(editor_client):
    item = PackageItemFactory()
    service = item.service

    response = editor_client.post(_url(Service, "delete", service.pk), follow=True)

    assert Service.objects.filter(pk=service.pk).exists()
    messages = [str(message) for message in response.context["messages"]]
    assert any("cannot be deleted" in text and "Untick “Active”" in text for text in messages)


def test_unused_service_can_be_deleted(editor_client):
    service = ServiceFactory()
    response = editor_client.post(_url(Service, "delete", service.pk))
    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


def _bulk_delete_url(*services):
    ids = "&".join(f"id={service.pk}" for service in services)
    return reverse("wagtail_bulk_action", args=("coaching", "service", "delete")) + f"?{ids}"


def test_bulk_delete_of_services_in_use_is_refused_with_a_message(editor_client):
    used = PackageItemFactory().service
    unused = ServiceFactory()

    response = editor_client.post(_bulk_delete_url(used, unused), {}, follow=True)

    assert Service.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2
    messages = [str(message) for message in response.context["messages"]]
    refusal = next(text for text in messages if "cannot be deleted" in text)
    assert f"“{used}” cannot be deleted because package items still refer to it." in refusal
    assert f"“{unused}”" not in refusal


def test_bulk_delete_of_unused_services_works(editor_client):
    unused = ServiceFactory()
    editor_client.post(_bulk_delete_url(unused), {})
    assert not Service.objects.filter(pk=unused.pk).exists()


def _coach_data(user, **overrides):
    data = {
        "display_name": "Dr. Tom Whitfield",
        "slug": "tom-whitfield",
        "user": str(user.pk),
        "headline": "Internal medicine resident",
        "photo": "",
        "bio": rich_text("<p>Trained abroad.</p>"),
        "location": "London (UK)",
        "time_zone": "Europe/London",
        "meeting_url": "https://meet.example.com/tom",
        "services": [],
        "active": "on",
        "sort_order": "0",
        "max_open_items": "5",
    }
    data.update(overrides)
    return data


def test_editor_creates_a_coach_with_a_time_zone_from_the_list(editor_client):
    service = ServiceFactory()
    user = UserFactory()
    response = editor_client.post(_url(Coach, "add"), _coach_data(user, services=[str(service.pk)]))
    assert response.status_code == 302
    coach = Coach.objects.get(slug="tom-whitfield")
    assert coach.time_zone == "Europe/London"
    assert list(coach.services.all()) == [service]


def test_coach_with_an_unknown_time_zone_gets_a_clear_error(editor_client):
    user = UserFactory()
    response = editor_client.post(_url(Coach, "add"), _coach_data(user, time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"] == [
        "“Mars/Olympus” is not a time zone we know. Pick one from the list, such as America/Toronto."
    ]
    assert not Coach.objects.exists()


def test_coach_form_lists_zones_as_people_say_them_and_shows_an_old_name_as_its_current_one(
    editor_client,
):
    coach = CoachFactory(time_zone="Asia/Calcutta")

    edit_url = reverse("wagtailsnippets_coaching_coach:edit", args=[coach.pk])
    html = editor_client.get(edit_url).content.decode()

    assert 'value="Asia/Calcutta"' not in html
    assert '<option value="Asia/Kolkata" selected>India (Kolkata) · GMT+5:30</option>' in html


@pytest.mark.parametrize(
    ("mode", "expected"), [("", "Who you’ll work with"), ("card", "What’s included")]
)
def test_editor_previews_an_unsaved_package(editor_client, mode, expected):
    service = ServiceFactory(name="CASPer preparation")
    CoachFactory(display_name="Dr. Previewed", services=[service])
    url = _url(Package, "preview_on_add")
    data = _package_data(items=[{"service": service.pk, "quantity": "2"}], price="345")

    assert editor_client.post(url, data).json()["is_valid"] is True
    response = editor_client.get(url, {"mode": mode})

    html = response.content.decode()
    assert response.status_code == 200
    assert "CASPer Ready" in html
    assert "2 ×" in html
    assert expected in html
    assert not Package.objects.exists()


def test_unsold_package_can_be_deleted_with_its_items(editor_client):
    package = PackageFactory(items=2)
    services = [item.service_id for item in package.items.all()]
    response = editor_client.post(_url(Package, "delete", package.pk))
    assert response.status_code == 302
    assert not Package.objects.filter(pk=package.pk).exists()
    assert Service.objects.filter(pk__in=services).count() == 2


def test_review_service_without_turnaround_gets_a_field_error(editor_client):
    response = editor_client.post(
        _url(Service, "add"),
        _service_data(kind="review", duration_minutes="", turnaround_days="", single_price=""),
    )
    assert response.context["form"].errors["turnaround_days"] == [
        "Say how many days a review takes."
    ]


def test_coach_listing_filters_by_service(editor_client):
    casper = ServiceFactory(name="CASPer preparation")
    CoachFactory(display_name="Dr. Casper", services=[casper])
    CoachFactory(display_name="Dr. Other", services=[ServiceFactory()])
    html = editor_client.get(_url(Coach, "list"), {"services": casper.pk}).content.decode()
    assert "Dr. Casper" in html
    assert "Dr. Other" not in html


def test_a_login_gets_one_coach_profile_with_a_friendly_message(editor_client):
    existing = CoachFactory(display_name="Dr. First")
    response = editor_client.post(
        _url(Coach, "add"), _coach_data(existing.user, slug="second-profile")
    )
    assert response.context["form"].errors["user"] == [
        f"{existing.user.email} already has a coach profile (Dr. First). Each login has one profile."
    ]
    assert Coach.objects.count() == 1


def test_package_perks_keep_their_kind_and_a_kind_is_named_once(editor_client):
    service = ServiceFactory()
    twice = _package_data(
        items=[{"service": service.pk, "quantity": "1"}],
        perks=inline_formset(
            [
                {"kind": "school_guide", "text": "School guide"},
                {"kind": "school_guide", "text": "The guide again"},
            ]
        ),
    )
    response = editor_client.post(_url(Package, "add"), twice)
    assert response.status_code == 200
    assert "is unlocked by more than one perk line" in response.content.decode()
    assert not Package.objects.exists()

    once = _package_data(
        items=[{"service": service.pk, "quantity": "1"}],
        perks=inline_formset(
            [
                {"kind": "school_guide", "text": "School guide"},
                {"kind": "", "text": "A friendly coach"},
            ]
        ),
    )
    assert editor_client.post(_url(Package, "add"), once).status_code == 302
    perks = Package.objects.get().perks.order_by("sort_order")
    assert [(perk.kind, perk.text) for perk in perks] == [
        ("school_guide", "School guide"),
        ("", "A friendly coach"),
    ]
