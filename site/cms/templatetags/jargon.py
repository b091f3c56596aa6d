"""`{% explain_jargon %}…{% endexplain_jargon %}`: jargon explained at its first use inside."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

from medpath.cms.jargon import explain_first_uses

register = template.Library()


class ExplainJargonNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # A node's output is never escaped again; the notes themselves are escaped text.
        return explain_first_uses(self.nodelist.render(context))


@register.tag
def explain_jargon(parser, token):
    """Wraps a page's main content (templates/base.html); see medpath.cms.jargon."""
    nodelist = parser.parse(("endexplain_jargon",))
    parser.delete_first_token()
    return ExplainJargonNode(nodelist)


@register.filter(is_safe=True, needs_autoescape=True)
def user_text(value, autoescape=True):
    """Text a person typed (a booking note, a brief, an answer), escaped, with its line breaks,
    and marked so the jargon pass leaves it exactly as written."""
    return format_html("<span data-no-jargon>{}</span>", linebreaksbr(value, autoescape))
