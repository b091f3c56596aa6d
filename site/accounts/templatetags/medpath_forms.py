"""Render form fields with the design system's markup: `{% load medpath_forms %}`.

`{% form_field form.email %}` renders one field (label, input, help text, errors);
`{% form_fields form %}` renders a whole form: non-field errors, hidden fields, then every
visible field. Both use `templates/includes/form_field.html`, so every form on the site looks
and behaves the same (labels tied to inputs, help text and errors linked with
`aria-describedby`, Django adds `aria-invalid`).
"""

from django import forms, template

register = template.Library()

CHECKBOX_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.inclusion_tag("includes/form_field.html")
def form_field(field, label=None):
    widget = field.field.widget
    # Every field has a visible label; a placeholder repeating it looks like a filled-in value.
    widget.attrs.pop("placeholder", None)
    return {
        "field": field,
        "label": label if label is not None else field.label,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_group": isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)),
    }


@register.inclusion_tag("includes/form_fields.html")
def form_fields(form):
    return {"form": form}


@register.filter
def field_type(field):
    """The widget's input type ("email", "checkbox", "select", …) for styling decisions."""
    widget = field.field.widget
    return getattr(widget, "input_type", None) or widget.__class__.__name__.lower()
