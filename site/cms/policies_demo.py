"""Demo policy pages: terms of service, privacy and refunds, at /terms/, /privacy/, /refunds/.

The text describes what the site really does (booking/policy.py for cancelling and moving a
session, payments for refunds, the retention settings for files) and makes no promise the
code or the staff could not keep. Editors change it in the admin like any other page; a page
already there is left as it is (idempotent).
"""

from datetime import date

from .models import HomePage, PolicyPage

LAST_UPDATED = date(2026, 12, 1)

TERMS = {
    "title": "Terms of service",
    "summary": (
        "The agreement between you and MedPath when you create an account, buy coaching or "
        "book a session. Please read it before you pay."
    ),
    "body": """
<h2>Who we are</h2>
<p>MedPath is a Canadian coaching business. We help people applying to medical school and to
residency in Canada prepare their applications and interviews. Our coaches are physicians and
admissions advisers; they are not regulators, admissions offices or immigration advisers, and
coaching never guarantees an offer, a match or a licence.</p>

<h2>Your account</h2>
<ul>
<li>You need an account with a verified email address to buy or book.</li>
<li>Keep your password to yourself. Tell us at once if you think someone else has used your
account.</li>
<li>Give us accurate details, including the time zone you live in: we show every session time
in it.</li>
</ul>

<h2>Prices and payment</h2>
<ul>
<li>Prices are in Canadian dollars (CAD). Ontario HST at 13% is added at checkout to taxable
items, and the checkout shows the tax and the full total before you pay.</li>
<li>Payments are taken by our payment provider, Stripe. We never see or store your card
number.</li>
<li>A promotion code only counts if you apply it at checkout before paying; it cannot be added
afterwards.</li>
<li>Your receipt is emailed to you and kept on your dashboard.</li>
</ul>

<h2>Packages and credits</h2>
<p>A package gives you a credit for each session or review it includes, plus any members'
perks it lists. Credits and perks last for the package's term, which starts on the day you
pay and is shown on the package page. Credits that are not used by the end of the term
expire.</p>

<h2>Booking, moving and cancelling sessions</h2>
<ul>
<li>You choose a time from your coach's free times. Sessions take place by video, at the link
in your confirmation email.</li>
<li>You can move or cancel a session up to the notice period shown for its service (for most
sessions, 24 hours before it starts). What cancelling in time gives back is set out in our
refund policy; your booking page always says what cancelling now would do.</li>
<li>A session cancelled after that point, or missed, counts as used.</li>
<li>If MedPath has to cancel a session (your coach falls ill, say), you get it back to book
again.</li>
</ul>

<h2>Document reviews</h2>
<p>Send your documents through the site and a reviewer returns written feedback by the due
date shown when you send them. You may withdraw a review until a reviewer starts on it, and
its credit comes back. Your documents stay yours: we use them only to review them for you.</p>

<h2>Fair use</h2>
<p>Perks described as unlimited are for your own preparation; timed practice has a fair-use
limit of attempts a month, shown on the practice page. Please do not share your account, copy our materials for
others or record sessions without your coach's agreement.</p>

<h2>Changes to these terms</h2>
<p>If we change these terms, we update the date at the top of this page. The terms that
applied when you paid continue to apply to that purchase.</p>

<h2>Contact</h2>
<p>Questions about these terms: write to hello@medpath.example.</p>
""",
}

PRIVACY = {
    "title": "Privacy",
    "summary": (
        "What personal information MedPath keeps, why, who sees it and how long we keep it."
    ),
    "body": """
<h2>What we keep</h2>
<ul>
<li><b>Your account:</b> your name, email address, password (stored only in scrambled form)
and time zone.</li>
<li><b>Your bookings and orders:</b> the sessions you booked, the notes you add for your coach,
what you bought and what you paid.</li>
<li><b>Documents you send for review</b> and the feedback you receive, and recordings you make
in practice stations.</li>
</ul>
<p>We do not receive your card details: Stripe, our payment provider, handles them.</p>

<h2>Why we keep it</h2>
<p>We use your information to run your account, take your payments, book your sessions, send
you confirmations, reminders and receipts, and let your coaches prepare. We do not sell it and
we do not use it for advertising.</p>

<h2>Who sees it</h2>
<ul>
<li>Your coach sees your name, your time zone and the notes and documents for the sessions and
reviews they take on.</li>
<li>A small number of MedPath staff see orders and bookings to help you and to issue
refunds.</li>
<li>Service providers that work for us: Stripe for payments and our email and hosting
providers. They use your information only to provide their service to us.</li>
</ul>

<h2>How long we keep it</h2>
<ul>
<li>Files you send for review are deleted 180 days after the review closes; the record that
the review happened stays.</li>
<li>Practice recordings are deleted 180 days after your coach returns their scores.</li>
<li>Orders and receipts are kept for as long as tax law requires businesses to keep their
records.</li>
</ul>

<h2>Your choices</h2>
<p>Canadian privacy law lets you ask to see the personal information we hold about you and to
have mistakes corrected. You can change your name and time zone yourself on your profile page.
To ask for a copy of your information or to close your account, write to
hello@medpath.example; we answer within 30 days.</p>

<h2>Cookies</h2>
<p>We use only the cookies the site needs to work, such as the one that keeps you logged in
and the one that protects forms against misuse. We use no advertising or tracking cookies.</p>
""",
}

REFUNDS = {
    "title": "Refund policy",
    "summary": (
        "What you get back if you cancel a session, change your mind about a package or a "
        "session cannot go ahead."
    ),
    "body": """
<h2>Cancelling a session in time</h2>
<p>Each service has a notice period, shown on its package page and on your booking (for most
sessions, 24 hours before the start). If you cancel before that point:</p>
<ul>
<li>a session booked with a package credit: the credit gets that session back, so you can book
it again;</li>
<li>a session you paid for on its own: you get a credit for another session of the same
service, to book whenever suits you within the credit's term.</li>
</ul>
<p>You can also move a session to another free time up to the same point, as often as you
need.</p>

<h2>Cancelling late or missing a session</h2>
<p>A session cancelled after its notice period has started, or missed, counts as used and
nothing is given back. If something serious stopped you from attending, write to us: we look
at every case.</p>

<h2>When we cancel</h2>
<p>If MedPath cancels a session, you always get it back to book again. If a time
you were paying for was taken before your payment finished, we refund the payment in full
automatically and email you to say so.</p>

<h2>Refunds of packages and single sessions</h2>
<ul>
<li>Ask for a refund by writing to hello@medpath.example with your order reference (on your
receipt). Staff can refund an order in full or in part.</li>
<li>A full refund cancels the upcoming sessions bought with that order, removes its unused
credits and ends the members' perks that came with it. Reviews a reviewer has not started are
withdrawn.</li>
<li>A partial refund, for example for the unused part of a package, leaves your sessions,
credits and perks as they are.</li>
<li>Sessions already held and reviews already returned are not refunded.</li>
</ul>

<h2>How the money comes back</h2>
<p>Refunds go back to the card you paid with, in Canadian dollars; a full refund returns
everything you paid, HST included. Your bank usually shows the refund within 5 to 10 business
days.</p>

<h2>Questions</h2>
<p>Write to hello@medpath.example with your order reference, which is on your receipt.</p>
""",
}

POLICIES = {"terms": TERMS, "privacy": PRIVACY, "refunds": REFUNDS}


def ensure_policy_pages(home: HomePage) -> dict[str, PolicyPage]:
    """The three policy pages under `home`, created (and published) only when missing."""
    pages = {}
    for slug, spec in POLICIES.items():
        page = PolicyPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = PolicyPage(
                slug=slug,
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"].strip(),
                last_updated=LAST_UPDATED,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages
