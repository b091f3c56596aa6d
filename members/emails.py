"""Members' notifications, rendered and queued by the one email sender."""

from core.emails import send_templated_email


def send_perk_ending(entitlement) -> None:
    member = entitlement.member
    send_templated_email(
        to=member.email,
        subject=f"Your access to the {entitlement.get_perk_display()} ends soon",
        template="members/perk_ending",
        context={"recipient": member, "entitlement": entitlement},
        time_zone=member.time_zone,
    )
