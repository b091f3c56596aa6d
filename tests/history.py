"""Reading an object's history (`core.history`) in tests: its entries, their short action names."""

from core.history import entries_for


def entries(obj):
    """`obj`'s history entries, oldest first (a queryset of Wagtail log entries)."""
    return entries_for(obj)


def actions(obj) -> list[str]:
    """The actions of `obj`'s history, oldest first, without the app's prefix."""
    return [action.split(".", 1)[1] for action in entries_for(obj).values_list("action", flat=True)]


def last(obj):
    """The newest entry of `obj`'s history."""
    return entries_for(obj).last()
