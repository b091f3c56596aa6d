"""Whether the person logged in is a coach, remembered in their session.

The header offers coaches a "Coach" item on every page, and logging in takes them to their
area. Asking the database on every page would cost every logged-in visitor a query, so the
answer is worked out once, when they log in (`user_logged_in`), and lives as long as the
session does: a coach profile made for someone already logged in shows from their next login.
"""

from coaching.selectors import has_coach_profile

SESSION_KEY = "medpath_is_coach"


def remember_roles(request, user) -> bool:
    """Look the answer up once and keep it in the session."""
    value = has_coach_profile(user=user)
    request.session[SESSION_KEY] = value
    return value


def remember_roles_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember_roles(request, user)


def is_coach(request) -> bool:
    """True for a logged-in coach; no query except for a session from before this existed."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    value = request.session.get(SESSION_KEY)
    if value is None:
        value = remember_roles(request, user)
    return value
