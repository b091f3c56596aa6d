"""Factories for guidance pages. Pages are created in the tree with `parent=`; live unless
`draft=True`."""

import factory
from wagtail.models import Page

from medpath.cms.models import GuidanceIndexPage, GuidancePage, HomePage


class _PageFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    live = True

    class Meta:
        abstract = True

    class Params:
        draft = factory.Trait(live=False)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or Page.get_first_root_node()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if page.live:
            revision.publish()
        return page


class HomePageFactory(_PageFactory):
    title = "Home"
    hero_heading = "Your route into Canadian medicine"
    intro = "Free guidance and one-to-one coaching."

    class Meta:
        model = HomePage


class GuidanceIndexPageFactory(_PageFactory):
    intro = "<p>Routes to practice for international medical graduates.</p>"

    class Meta:
        model = GuidanceIndexPage


class GuidancePageFactory(_PageFactory):
    summary = "How the residency match works for international graduates."
    body = factory.LazyFunction(
        lambda: [{"type": "rich_text", "value": "<p>Apply through the national match.</p>"}]
    )

    class Meta:
        model = GuidancePage
