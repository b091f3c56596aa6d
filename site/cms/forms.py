"""The page editor's form: the publishing schedule says which zone its times are in."""

from wagtail.admin.forms import WagtailAdminPageForm

from core.timezones import active_zone_name, zone_label

SCHEDULE_FIELDS = ("go_live_at", "expire_at")


class MedPathPageForm(WagtailAdminPageForm):
    """Wagtail's page form with "Go-live" and "Expiry" naming the editor's zone.

    Wagtail builds and reads the form in the editor's zone (its profile follows the account's
    MedPath zone, `medpath.accounts.admin_clock`), so "21:09" typed by an editor in Toronto is
    21:09 Toronto time; the help text says so, with the zone's current offset.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = active_zone_name()
        for name in SCHEDULE_FIELDS:
            field = self.fields.get(name)
            if field is not None:
                field.help_text = (
                    f"In your time zone, {zone_label(zone)} ({zone}). "
                    "Change your zone on your MedPath profile (/accounts/profile/)."
                )
