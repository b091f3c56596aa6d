"""Entitlements: the right to use one perk (school guide, library, ...) from a start to an end.

A package's perks become entitlements when it is paid for: one row per perk and order line,
keyed by `source` so a replayed or racing fulfilment grants nothing twice. Staff can grant a
row by hand (source empty, a reason recorded). A row is never deleted: a full refund or staff
ends it early, recording when, why and who. A member may use a perk while any active row
covers now; access lasts until the latest end among them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import PerkKind


class EntitlementQuerySet(models.QuerySet):
    def current(self, *, at=None):
        """Rows that give access at `at` (default now): started, not ended, not ended early."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, ended_early_at__isnull=True)

    def not_ended(self, *, at=None):
        """Rows that give access now or will later (a grant that starts in the future)."""
        at = at or timezone.now()
        return self.filter(ends_at__gt=at, ended_early_at__isnull=True)


class Entitlement(models.Model):
    """One member's access to one perk for a period, from an order line or a staff grant."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entitlements"
    )
    perk = models.CharField(max_length=32, choices=PerkKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # "order-line:<id>:perk:<kind>" for a purchase; empty for a staff grant.
    source = models.CharField(max_length=80, blank=True, default="")
    source_label = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Staff member who granted it by hand (empty for a purchase).",
    )
    grant_reason = models.CharField(max_length=300, blank=True)
    ended_early_at = models.DateTimeField(null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)
    # Claimed by a conditional UPDATE so each notice goes out exactly once.
    notice_30d_sent_at = models.DateTimeField(null=True, blank=True)
    notice_7d_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_at", "perk"]
        indexes = [models.Index(fields=["member", "ends_at"], name="members_ent_member_ends")]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="members_entitlement_source_once"
            ),
            models.CheckConstraint(
                name="members_entitlement_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
            ),
        ]
        permissions = [("end_entitlement", "Can end an entitlement early")]

    def __str__(self):
        return f"{self.get_perk_display()} for {self.member} until {self.ends_at:%Y-%m-%d}"

    @property
    def is_manual(self) -> bool:
        return not self.source

    def get_admin_url(self) -> str:
        return reverse("entitlement:inspect", args=[self.pk])


from members.webinar_models import Webinar, WebinarRegistration  # noqa: E402, F401  (webinars)
