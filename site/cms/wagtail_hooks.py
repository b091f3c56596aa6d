from wagtail import hooks
from wagtail.rich_text.pages import PageLinkHandler

from .rich_text import prefetched_pages


class PrefetchedPageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler, answering from the render's prefetch when it can."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]):
        pages = prefetched_pages([str(attrs.get("id")) for attrs in attrs_list])
        return pages if pages is not None else super().get_many(attrs_list)


# After Wagtail's own registration (order 0), so this handler replaces its "page" link type.
@hooks.register("register_rich_text_features", order=10)
def register_prefetched_page_links(features):
    features.register_link_type(PrefetchedPageLinkHandler)
