import pytest
from django.core.management import call_command

from coaching.models import Coach, Package, PackageItem, PackagePerk, Service


def _counts():
    return tuple(
        model.objects.count() for model in (Service, Package, PackageItem, PackagePerk, Coach)
    )


@pytest.mark.django_db
def test_demo_catalogue_loads_twice_without_changing_anything():
    call_command("load_demo", force=True, quiet_logins=True)
    first = _counts()
    call_command("load_demo", force=True, quiet_logins=True)
    assert _counts() == first
    assert Package.objects.active().order_by("price_cents").first().price_cents == 34500
    zones = set(Coach.objects.values_list("time_zone", flat=True))
    assert zones == {"America/Toronto", "Europe/London"}


@pytest.mark.django_db
def test_demo_coaches_get_generated_portraits_stored_like_uploads_credentials_and_languages():
    from PIL import Image
    from wagtail.images import get_image_model

    call_command("load_demo", force=True, quiet_logins=True)
    photos = {}
    for coach in Coach.objects.select_related("photo"):
        assert coach.photo is not None
        assert coach.photo.file.storage.exists(coach.photo.file.name)
        with coach.photo.open_file() as stored:
            assert Image.open(stored).size == (640, 640)
        assert coach.credentials
        assert len(coach.language_list) >= 2
        photos[coach.slug] = coach.photo_id
    images = get_image_model().objects.count()

    call_command("load_demo", force=True, quiet_logins=True)

    assert dict(Coach.objects.values_list("slug", "photo_id")) == photos
    assert get_image_model().objects.count() == images


@pytest.mark.django_db
def test_demo_replaces_a_portrait_whose_file_has_gone_but_keeps_an_editors_photo(make_photo):
    call_command("load_demo", force=True, quiet_logins=True)
    priya = Coach.objects.get(slug="priya-raman")
    priya.photo.file.storage.delete(priya.photo.file.name)
    tom = Coach.objects.get(slug="tom-whitfield")
    uploaded = make_photo("Tom's own photo")
    Coach.objects.filter(pk=tom.pk).update(photo=uploaded)

    call_command("load_demo", force=True, quiet_logins=True)

    priya.refresh_from_db()
    assert priya.photo.file.storage.exists(priya.photo.file.name)
    assert Coach.objects.get(slug="tom-whitfield").photo_id == uploaded.pk


@pytest.mark.django_db
def test_demo_testimonials_say_their_names_are_invented_and_claim_no_outcomes():
    from coaching.models import Testimonial

    call_command("load_demo", force=True, quiet_logins=True)
    testimonials = list(Testimonial.objects.all())

    assert len(testimonials) >= 3
    assert Testimonial.objects.filter(package__isnull=True).exists()
    assert Testimonial.objects.filter(package__isnull=False).exists()
    for testimonial in testimonials:
        assert "invented name" in testimonial.context
        quote = testimonial.quote.lower()
        for claim in ("match", "admitted", "accepted", "got in", "offer", "%", "guarantee"):
            assert claim not in quote, (claim, testimonial.name)
