"""`{% entrance_reason as reason %}` and `url|with_reason:reason` for the log-in and sign-up
pages (see medpath.accounts.entrance)."""

from django import template

from medpath.accounts import entrance

register = template.Library()


@register.simple_tag(takes_context=True)
def entrance_reason(context):
    return entrance.entrance_reason(context.get("request"))


@register.filter
def with_reason(url, reason):
    return entrance.with_reason(str(url), reason)
