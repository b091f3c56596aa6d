"""`{% load money %}` then `{{ order.total_cents|money:order.currency }}` → `CA$310.50`."""

from django import template

from core.money import DEFAULT_CURRENCY, format_money

register = template.Library()


@register.filter
def money(cents, currency=DEFAULT_CURRENCY):
    """Integer cents shown in a currency (CAD when none is given); no amount shows nothing."""
    if cents is None or cents == "":
        return ""
    return format_money(int(cents), currency or DEFAULT_CURRENCY)
