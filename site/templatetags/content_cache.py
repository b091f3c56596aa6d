"""`{% cached_content %}…{% endcached_content %}`: a page's main content from the shared cache.

templates/base.html wraps the main content (with its jargon notes) in it. A view or page that
puts `content_cache_variant` in the context says that what renders inside is the same for
every request for this address with that variant (`MedPathPage.content_cache_variant`:
"anonymous" for anonymous visitors of a page); the
rendered HTML is then kept under the content generation of `medpath.page_cache`, so anything a
page shows changing (a page published, a package edited) renders it afresh, as it does the
whole-page cache. Unlike whole pages, it also serves requests the page cache cannot: a visitor
with a session cookie or a query string. Without the key, or with `CONTENT_CACHE_SECONDS` at 0,
the content renders every time.
"""

from django import template
from django.conf import settings

from medpath.page_cache import GENERATION_KEY, cached_fragment, content_key

register = template.Library()


class CachedContentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        variant = context.get("content_cache_variant")
        request = context.get("request")
        if not variant or request is None or settings.CONTENT_CACHE_SECONDS <= 0:
            return self.nodelist.render(context)
        return cached_fragment(
            content_key(request, variant),
            lambda: self.nodelist.render(context),
            GENERATION_KEY,
            settings.CONTENT_CACHE_SECONDS,
            request=request,
        )


@register.tag
def cached_content(parser, token):
    nodelist = parser.parse(("endcached_content",))
    parser.delete_first_token()
    return CachedContentNode(nodelist)
