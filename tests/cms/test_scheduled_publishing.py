from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from medpath.cms.models import GuidancePage
from medpath.cms.tasks import publish_scheduled_pages

from .factories import GuidancePageFactory


@pytest.mark.django_db
def test_a_page_scheduled_for_the_future_goes_live_when_the_task_runs_after_that_time(
    client, section
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = GuidancePageFactory(parent=section, slug="scheduled", draft=True)
        page.go_live_at = start + timedelta(hours=2)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
        assert page.has_unpublished_changes

        publish_scheduled_pages()  # too early: nothing happens
        assert not GuidancePage.objects.get(pk=page.pk).live
        assert client.get("/img-pathways/scheduled/").status_code == 404

    with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=False):
        publish_scheduled_pages()
        page.refresh_from_db()
        assert page.live
        assert client.get("/img-pathways/scheduled/").status_code == 200

        publish_scheduled_pages()  # running again (or late) is harmless
        assert GuidancePage.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_a_page_with_an_expiry_time_is_unpublished_when_the_task_runs_after_it(section):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = GuidancePageFactory(parent=section, slug="expiring")
        page.expire_at = start + timedelta(days=1)
        page.save_revision().publish()
        assert GuidancePage.objects.get(pk=page.pk).live
    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        publish_scheduled_pages()
        page.refresh_from_db()
        assert not page.live and page.expired
