"""`{% explain_jargon %}…{% endexplain_jargon %}`: jargon explained at its first use inside."""

from django import template

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
