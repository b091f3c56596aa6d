"""Wagtail admin permission policies shared by apps whose records change only through services."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyModelPolicy(ModelPermissionPolicy):
    """Records that change only through their app's services (orders, reviews), never by
    editing them in a form: nobody, superusers included, may add, edit or delete one; viewing
    follows the model's permissions."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)
