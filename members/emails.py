"""Members' notifications, rendered and queued by the one email sender."""

from core.emails import send_to_person


def send_perk_ending(entitlement) -> None:
    send_to_person(
        entitlement.member,
        subject=f"Your access to the {entitlement.get_perk_display()} ends soon",
        template="members/perk_ending",
        context={"entitlement": entitlement},
    )
