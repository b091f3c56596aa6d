"""Demo catalogue: the services, packages and coaches of a Canadian admissions-coaching
practice, with generated coach portraits and testimonials whose names are invented."""

import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model

from coaching.models import (
    Coach,
    Package,
    PackageItem,
    PackagePerk,
    PerkKind,
    Service,
    ServiceKind,
    Testimonial,
)

SERVICES = [
    # slug, name, kind, minutes, turnaround days, single price (cents), short description
    (
        "md-application-strategy",
        "MD application strategy session",
        ServiceKind.LIVE,
        120,
        None,
        29500,
        "A two-hour plan for your whole MD application: timeline, schools, activities and the story that ties them together.",
    ),
    (
        "abs-strategy",
        "ABS strategy session",
        ServiceKind.LIVE,
        60,
        None,
        15500,
        "Choose and frame the experiences for your autobiographical sketch so each entry earns its place.",
    ),
    (
        "school-selection",
        "School selection and competitiveness session",
        ServiceKind.LIVE,
        60,
        None,
        15500,
        "An honest read of where you are competitive, school by school, and where to apply this cycle.",
    ),
    (
        "reference-letter-review",
        "Reference letter review",
        ServiceKind.LIVE,
        60,
        None,
        14500,
        "Go through who should write for you and what a strong letter covers, with your drafts on screen.",
    ),
    (
        "casper-preparation",
        "CASPer preparation",
        ServiceKind.LIVE,
        90,
        None,
        19500,
        "Timed scenario practice with feedback on how you reason, prioritise and communicate under pressure.",
    ),
    (
        "mock-interview-mmi",
        "Mock interview: MMI",
        ServiceKind.LIVE,
        60,
        None,
        17500,
        "A full multiple-mini-interview circuit with station-by-station feedback.",
    ),
    (
        "mock-interview-panel",
        "Mock interview: panel and MPI",
        ServiceKind.LIVE,
        60,
        None,
        17500,
        "Practice for panel and modified personal interviews, from the opening question to your closing remarks.",
    ),
    (
        "application-review",
        "ABS and application edit/review",
        ServiceKind.REVIEW,
        None,
        5,
        None,
        "Written edits and comments on your ABS entries and application essays, returned within five working days.",
    ),
    # --- residency (CaRMS) for international medical graduates ---
    (
        "carms-strategy",
        "CaRMS application strategy session",
        ServiceKind.LIVE,
        60,
        None,
        17500,
        "Plan your CaRMS application as an international medical graduate: programs and disciplines, the timeline, and how to present training from abroad.",
    ),
    (
        "carms-letter-cv-review",
        "CaRMS personal letter and CV review",
        ServiceKind.REVIEW,
        None,
        5,
        19500,
        "Written edits on your CaRMS personal letters and CV, with a suggested version you can compare word by word, returned within five working days.",
    ),
    (
        "residency-interview-practice",
        "Residency interview practice",
        ServiceKind.LIVE,
        60,
        None,
        17500,
        "A mock residency interview in the format Canadian programs use, with feedback on how you speak about your training and your fit for the program.",
    ),
]

SCHOOL_GUIDE = (PerkKind.SCHOOL_GUIDE, "Canadian MD school guide")
REVISIONS = (PerkKind.APPLICATION_REVISIONS, "Application revisions for the package term")
PRACTICE = (PerkKind.PRACTICE_TESTS, "CASPer practice tests")
QUESTION_BANK = (PerkKind.QUESTION_BANK, "Mock interview question bank")
WEBINARS = (PerkKind.WEBINARS, "Live webinars and recordings")
LIBRARY = (PerkKind.RESOURCE_LIBRARY, "E-books and resources")
UNLIMITED_ACCESS = [SCHOOL_GUIDE, REVISIONS, PRACTICE, QUESTION_BANK, WEBINARS, LIBRARY]

PACKAGES = [
    # slug, name, price (cents), popular, validity months, summary, items, perks
    (
        "casper-ready",
        "CASPer Ready",
        34500,
        False,
        6,
        "Two coached CASPer sessions plus practice tests, for applicants whose situational judgement test is coming up.",
        [("casper-preparation", 2)],
        [PRACTICE, LIBRARY],
    ),
    (
        "interview-ready",
        "Interview Ready",
        59500,
        False,
        6,
        "Mock interviews in the MMI and panel formats, with feedback you can act on before interview day.",
        [("mock-interview-mmi", 2), ("mock-interview-panel", 1)],
        [QUESTION_BANK, WEBINARS],
    ),
    (
        "application-essentials",
        "Application Essentials",
        79500,
        True,
        12,
        "Strategy, ABS planning and a written review of your application: the core of a strong first submission.",
        [("md-application-strategy", 1), ("abs-strategy", 1), ("application-review", 1)],
        [SCHOOL_GUIDE, REVISIONS],
    ),
    (
        "complete-md-pathway",
        "Complete MD Pathway",
        189500,
        False,
        12,
        "Everything from school selection to interview day, with unlimited access to our resources for a full year.",
        [
            ("md-application-strategy", 1),
            ("school-selection", 1),
            ("abs-strategy", 2),
            ("reference-letter-review", 1),
            ("application-review", 2),
            ("casper-preparation", 2),
            ("mock-interview-mmi", 2),
            ("mock-interview-panel", 1),
        ],
        UNLIMITED_ACCESS,
    ),
    (
        "residency-application-imgs",
        "Residency Application for IMGs",
        99500,
        False,
        12,
        "For international medical graduates applying through CaRMS: strategy, reviews of your personal letters and CV, and interview practice.",
        [
            ("carms-strategy", 1),
            ("carms-letter-cv-review", 2),
            ("residency-interview-practice", 2),
        ],
        [REVISIONS, WEBINARS],
    ),
]

# The marketing text editors write in the admin (Package.description), keyed on slug.
DESCRIPTIONS = {
    "casper-ready": (
        "<p>CASPer rewards applicants who reason clearly about people under time pressure. "
        "In two coached sessions you work through realistic scenarios against the clock, then "
        "unpick each answer with your coach: what you noticed, what you weighed, and how you "
        "said it.</p><p>Between sessions, the practice tests let you rehearse on your own so the "
        "format holds no surprises on test day.</p>"
    ),
    "interview-ready": (
        "<p>Interview day is a performance you can rehearse. You get two full multiple-mini-"
        "interview circuits and one panel or modified personal interview, each run the way "
        "Canadian schools run them, followed by specific feedback on content, structure and "
        "presence.</p><p>Use the question bank and the recorded webinars to keep practising "
        "between mock interviews.</p>"
    ),
    "application-essentials": (
        "<p>Most applicants who fall short do so on strategy, not effort. This package starts "
        "with a two-hour planning session covering your timeline, the schools that fit your "
        "profile and the story your application should tell. A focused session on the "
        "autobiographical sketch follows, and then written edits on the draft you submit.</p>"
        "<p>You also get our guide to Canadian MD programs and can send revisions for the whole "
        "year the package runs.</p>"
    ),
    "complete-md-pathway": (
        "<p>For applicants who want a coach beside them for the whole cycle. You start with "
        "strategy and school selection, build your autobiographical sketch and reference plan, "
        "get two rounds of written review, and finish with CASPer and interview preparation.</p>"
        "<p>For twelve months you also have unlimited use of every MedPath resource: the school "
        "guide, practice tests, question bank, webinars and e-books.</p>"
    ),
    "residency-application-imgs": (
        "<p>A residency application through CaRMS is a set of documents each program reads "
        "closely: a CV, a personal letter written for the program or discipline, and reference "
        "letters. For an international medical graduate, those documents also have to explain a "
        "path that programs may not know.</p><p>You start with a strategy session on programs, "
        "disciplines and timing, send your letters and CV for two written reviews (with as many "
        "revision rounds as you need for a year), and finish with two mock residency "
        "interviews.</p>"
    ),
}

LOCATIONS = {"priya-raman": "Toronto (ON)", "tom-whitfield": "London (UK)"}
# A coach's own fixed video link wins over a new room per session (booking.meetings): Tom keeps
# his; Priya's sessions each get their own room.
OWN_MEETING_LINKS = {"tom-whitfield": "https://meet.medpath.example/tom-whitfield"}

# Invented, plausible credentials; no claims about applicants' results.
CREDENTIALS = {
    "priya-raman": "MD, CCFP (family medicine) · File reviewer and interviewer for six admissions cycles",
    "tom-whitfield": "MBBS · Internal medicine resident, third year · Coaching CASPer since 2021",
}
LANGUAGES = {"priya-raman": "English, French, Tamil", "tom-whitfield": "English, Spanish"}
# Calm two-tone backgrounds and an ink for each generated portrait.
AVATAR_COLOURS = {
    "priya-raman": ("#d7ebe6", "#b9d9d1", "#1d5448"),
    "tom-whitfield": ("#dfe3f1", "#c3cae5", "#2c3a6b"),
}
AVATAR_SIZE = 640

# The names are invented for the demo (so is each person), and the admin's help text says so;
# the quotes describe the coaching, never an admission or a match.
DEMO_NOTE = "demo quote, invented name"
TESTIMONIALS = [
    # name, context, package slug (None: general), quote
    (
        "Nadia K.",
        "MD applicant, Ontario",
        None,
        "I arrived with a long list of activities and no idea which ones mattered. I left the "
        "first session with a plan for every ABS entry and a calendar I could actually keep.",
    ),
    (
        "Arjun P.",
        "IMG applicant, India",
        None,
        "Booking from Kolkata was simple: every time was shown in my zone with my coach’s "
        "beside it, so nobody had to do time-zone arithmetic.",
    ),
    (
        "Omar S.",
        "IMG applicant, 2025 CaRMS",
        "residency-application-imgs",
        "My coach helped me explain years of practice abroad in a way a Canadian program "
        "could follow. The comments on my personal letters were specific, line by line.",
    ),
    (
        "Lena M.",
        "MD applicant, British Columbia",
        "interview-ready",
        "The mock MMI felt like a real circuit, timer and all, and the feedback after each "
        "station told me what to keep and what to cut.",
    ),
    (
        "Grace T.",
        "MD applicant, Alberta",
        "casper-ready",
        "I used to freeze when the timer started. Working through scenarios against the "
        "clock, then talking through my reasoning, made the format feel familiar.",
    ),
]

COACHES = [
    # user email, slug, name, zone, headline, bio, services
    (
        "coach.toronto@example.com",
        "priya-raman",
        "Dr. Priya Raman",
        "America/Toronto",
        "Family physician and former admissions interviewer",
        "<p>Priya trained in family medicine in Ontario and has spent six admissions cycles interviewing "
        "and reviewing files. She helps applicants turn scattered experiences into a clear, honest "
        "application, and she is known for blunt, kind feedback on mock interviews.</p>",
        [
            "md-application-strategy",
            "abs-strategy",
            "school-selection",
            "mock-interview-mmi",
            "mock-interview-panel",
            "application-review",
            "carms-letter-cv-review",
        ],
    ),
    (
        "coach.london@example.com",
        "tom-whitfield",
        "Dr. Tom Whitfield",
        "Europe/London",
        "Internal medicine resident and CASPer coach",
        "<p>Tom completed medical school abroad and went through Canadian residency applications as an "
        "international graduate himself. He coaches CASPer and interviews, and works with IMGs on "
        "reference letters and on explaining a non-Canadian training path.</p>",
        [
            "casper-preparation",
            "mock-interview-mmi",
            "mock-interview-panel",
            "reference-letter-review",
            "abs-strategy",
            "carms-strategy",
            "carms-letter-cv-review",
            "residency-interview-practice",
        ],
    ),
]


def load() -> None:
    """Create or update the demo catalogue. Keyed on slugs, so running it twice changes nothing."""
    services = {}
    for order, (slug, name, kind, minutes, days, single, short) in enumerate(SERVICES):
        services[slug], _ = Service.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "duration_minutes": minutes,
                "turnaround_days": days,
                "single_price_cents": single,
                "short_description": short,
                "sort_order": order,
                "active": True,
            },
        )

    for order, (slug, name, price, popular, months, summary, items, perks) in enumerate(PACKAGES):
        package, _ = Package.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "price_cents": price,
                "is_most_popular": popular,
                "validity_months": months,
                "summary": summary,
                "description": DESCRIPTIONS[slug],
                "sort_order": order,
                "active": True,
            },
        )
        for position, (service_slug, quantity) in enumerate(items):
            PackageItem.objects.update_or_create(
                package=package,
                service=services[service_slug],
                defaults={"quantity": quantity, "sort_order": position},
            )
        PackageItem.objects.filter(package=package).exclude(
            service__slug__in=[slug for slug, _ in items]
        ).delete()
        PackagePerk.objects.filter(package=package).exclude(
            kind__in=[kind for kind, _ in perks]
        ).delete()
        for position, (kind, text) in enumerate(perks):
            PackagePerk.objects.update_or_create(
                package=package, kind=kind, defaults={"text": text, "sort_order": position}
            )

    User = get_user_model()
    for order, (email, slug, name, zone, headline, bio, service_slugs) in enumerate(COACHES):
        user = User.objects.get(email=email)
        coach, _ = Coach.objects.update_or_create(
            slug=slug,
            defaults={
                "user": user,
                "display_name": name,
                "time_zone": zone,
                "headline": headline,
                "location": LOCATIONS[slug],
                "credentials": CREDENTIALS[slug],
                "languages": LANGUAGES[slug],
                "bio": bio,
                "meeting_url": OWN_MEETING_LINKS.get(slug, ""),
                "sort_order": order,
                "active": True,
            },
        )
        coach.services.set([services[s] for s in service_slugs])
        coach.save()
        _ensure_photo(coach)

    for order, (name, context, package_slug, quote) in enumerate(TESTIMONIALS):
        Testimonial.objects.update_or_create(
            name=name,
            defaults={
                "context": f"{context} · {DEMO_NOTE}",
                "package": Package.objects.get(slug=package_slug) if package_slug else None,
                "quote": quote,
                "active": True,
                "sort_order": order,
            },
        )


def _ensure_photo(coach: Coach) -> None:
    """Give a demo coach a generated portrait unless they have a photo whose file exists.

    A photo an editor uploaded is kept; one whose file has gone from storage (a wiped media
    folder) is replaced, so the pages never show a broken image.
    """
    photo = coach.photo
    if photo is not None and photo.file.storage.exists(photo.file.name):
        return
    if photo is not None:
        photo.delete()  # its renditions too; Coach.photo is SET_NULL
    background, shade, ink = AVATAR_COLOURS[coach.slug]
    image = get_image_model()(
        title=f"{coach.display_name} (generated demo portrait)",
        file=ContentFile(
            avatar_png(coach.initials, background=background, shade=shade, ink=ink),
            name=f"coach-{coach.slug}.png",
        ),
    )
    image._set_image_file_metadata()  # size and hash, as Wagtail's upload form does
    image.save()
    Coach.objects.filter(pk=coach.pk).update(photo=image)


def avatar_png(initials: str, *, background: str, shade: str, ink: str) -> bytes:
    """A square generated portrait: initials on a calm colour above a soft shoulder line
    (it reads as a portrait in the pages' round crop)."""
    size = AVATAR_SIZE
    picture = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((size * 0.1, size * 0.74, size * 0.9, size * 1.45), fill=shade)
    font = ImageFont.load_default(size=round(size * 0.3))
    draw.text((size / 2, size * 0.44), initials, font=font, fill=ink, anchor="mm")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
