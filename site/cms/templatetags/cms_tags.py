"""Header menu and footer from the editable settings, and the policy pages' addresses: a fixed
number of queries per request."""

from django import template

from medpath.cms.navigation import (
    footer_for_request,
    main_menu_for_request,
    policy_urls_for_request,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Menu links as dicts: label, href and `current` ("page", "true" or "")."""
    return main_menu_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def site_footer(context):
    return footer_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def policy_urls(context):
    """{slug: url} of the published policy pages ("terms", "privacy", "refunds")."""
    return policy_urls_for_request(context.get("request"))
