from django import template

from medpath.cms.blocks import heading_anchor as make_heading_anchor

register = template.Library()


@register.filter
def heading_anchor(text) -> str:
    """The id of a heading block, matching the "On this page" links."""
    return make_heading_anchor(str(text))
