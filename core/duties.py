"""Staff duties: what a MedPath employee may do beyond their own items, one function per duty.

- content, `can_edit_content`: groups Editors and Moderators (Wagtail's own); pages, the
  catalogue, the members' area's content, practice sets.
- coaching, `can_handle_coaching`: group "Coaching staff"; every review, practice attempt and
  webinar host page (attendees, attendance, recording), staff changes to bookings, applicants'
  shortlists for their sessions.
- money, `can_handle_money`: group "Finance"; orders and refunds, and what a full refund takes
  back.

A duty belongs to active accounts in the duty's group, and to every active superuser. Nothing
else grants one: `is_staff` alone (the Django admin's flag) does not, and a model permission
given to one person does not. The groups also hold the Django/Wagtail model permissions fit
for their duty (data migration `accounts.0003_staff_duty_groups`), so both admins show each
group only its own part.

A coach's own items are no duty: the reviewer assigned to a review, the coach who claimed an
attempt, a webinar's hosts keep their access where those items are decided.
"""

from __future__ import annotations

EDITOR_GROUPS = frozenset({"Editors", "Moderators"})
COACHING_STAFF_GROUP = "Coaching staff"
FINANCE_GROUP = "Finance"

# One read of the user's groups per user object (that is, per request), like Django's own
# permission cache.
_CACHE_ATTR = "_medpath_group_names"


def _group_names(user) -> frozenset[str]:
    names = getattr(user, _CACHE_ATTR, None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _CACHE_ATTR, names)
    return names


def _holds(user, groups: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return not _group_names(user).isdisjoint(groups)


def can_edit_content(user) -> bool:
    """Editors: guidance pages, the catalogue, the members' library, school guide and questions."""
    return _holds(user, EDITOR_GROUPS)


def can_handle_coaching(user) -> bool:
    """Coaching staff: every applicant's reviews and practice attempts, every webinar's host
    pages and attendance, and staff changes to bookings (cancel, move, mark)."""
    return _holds(user, frozenset({COACHING_STAFF_GROUP}))


def can_handle_money(user) -> bool:
    """Finance: orders, refunds and what a full refund takes back (sessions, credits, perks)."""
    return _holds(user, frozenset({FINANCE_GROUP}))


def has_a_duty(user) -> bool:
    """Any staff duty: what every MedPath employee may see, such as whether background work
    runs (the admin's Background jobs page)."""
    return _holds(user, EDITOR_GROUPS | {COACHING_STAFF_GROUP, FINANCE_GROUP})
