"""`{% load lists %}` then `{% for header in "When,Applicant"|split:"," %}`: a list written in a template."""

from django import template

register = template.Library()


@register.filter
def split(value, separator=","):
    """The parts of a string between separators (a header list given to `includes/table.html`)."""
    return str(value).split(separator)
