"""Demo guidance content: the MedPath home page, the "IMG pathways in Ontario" section, the
policy pages (policies_demo.py), the main menu and the footer.

Idempotent: pages are found by slug and created only when missing, so a second run adds no
page and no revision, and an editor's later changes to a demo page survive a reload. Delete a
page in the admin to have its demo copy recreated.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site

from coaching.models import Package

from .models import (
    POLICY_SLUGS,
    FooterSettings,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    HomePageFeaturedPage,
    MainMenuItem,
    NavigationSettings,
)
from .policies_demo import ensure_policy_pages

PACKAGES_URL = "/packages/"
SECTION_SLUG = "ontario-img"

SOURCE_NOTE = (
    "<p>The facts on this page come from Ontario government guidance last updated in July "
    "2020. Positions, programs and eligibility rules change, so confirm every detail with the "
    "organisations named here before you make plans.</p>"
)


# Small builders for StreamField raw data, so the copy below reads like the page it makes.
def heading(text):
    return {"type": "heading", "value": text}


def text(html):
    return {"type": "rich_text", "value": html}


def callout(title, html, tone="info"):
    return {"type": "callout", "value": {"tone": tone, "title": title, "text": html}}


def steps(title, items):
    return {
        "type": "steps",
        "value": {
            "heading": title,
            "steps": [{"title": t, "meta": meta, "text": html} for t, meta, html in items],
        },
    }


def faq(items, title="Questions and answers"):
    return {
        "type": "faq",
        "value": {
            "heading": title,
            "questions": [{"question": q, "answer": a} for q, a in items],
        },
    }


def cta(title, body, label, url=PACKAGES_URL):
    return {
        "type": "call_to_action",
        "value": {"heading": title, "text": body, "page": None, "url": url, "button_label": label},
    }


def package(slug):
    """A package card; the slug becomes the package's id when the page is created."""
    return {"type": "package", "value": {"package_slug": slug}}


def contact_card(organisation, address, hours, phones, email="", website=""):
    return {
        "type": "contact_card",
        "value": {
            "organisation": organisation,
            "address": address,
            "hours": hours,
            "phone_numbers": [
                {"label": label, "number": number, "extension": ext}
                for label, number, ext in phones
            ],
            "email": email,
            "website": website,
        },
    }


HOME = {
    "title": "Home",
    "seo_title": "MedPath: guidance and coaching for Canadian medical applicants",
    "search_description": (
        "Free, plain-language guidance on the IMG pathway in Ontario, plus one-to-one "
        "coaching for medical school and residency applications, booked in your own time zone."
    ),
    "hero_heading": "Your route into Canadian medicine, made clearer",
    "intro": (
        "MedPath explains how international medical graduates and applicants to Canadian "
        "medical schools get from application to practice, and offers one-to-one coaching "
        "when you want an experienced adviser beside you."
    ),
    "hero_button_label": "See coaching packages",
    "hero_button_url": PACKAGES_URL,
    "featured_heading": "Start with the free guidance",
    "body": [
        heading("What MedPath offers"),
        text(
            "<p><b>Free guidance.</b> Our guidance pages are written for international medical "
            "graduates (IMGs) and for anyone applying to medical school in Canada. They explain "
            "the routes to a licence, how the residency match works and what you agree to in "
            "return for a funded position. You can read all of them without an account.</p>"
            "<p><b>Coaching packages.</b> When you want personal help, choose a package: "
            "application strategy sessions, reviews of your autobiographical sketch and "
            "reference letters, CASPer preparation and mock interviews in MMI, MPI and panel "
            "formats.</p>"
            "<p><b>Booking that respects your time zone.</b> Our applicants live all over the "
            "world. Every available session is shown in your own local time, with your coach's "
            "time beside it, so you never have to convert times in your head.</p>"
        ),
        steps(
            "How it works",
            [
                (
                    "Read the guidance",
                    "Free",
                    "<p>Work out which route suits your training, your experience and your "
                    "residency status in Canada.</p>",
                ),
                (
                    "Choose a package",
                    "",
                    "<p>Pick the coaching that fits where you are now, from a single strategy "
                    "session to a full application and interview programme.</p>",
                ),
                (
                    "Book in your time zone",
                    "",
                    "<p>Pick a coach and a time that suit you. You receive a confirmation with a "
                    "calendar invite and a reminder before each session.</p>",
                ),
                (
                    "Meet your coach online",
                    "",
                    "<p>Sessions take place by video, so you can prepare from anywhere.</p>",
                ),
            ],
        ),
        callout(
            "General information, not regulatory advice",
            "<p>Our guidance summarises public information to help you plan. Licensing bodies, "
            "matching services and governments change their rules, so always confirm the "
            "details with them before you apply.</p>",
        ),
        faq(
            [
                (
                    "Is the guidance really free?",
                    "<p>Yes. Every guidance page is free to read, with no account and no "
                    "sign-up.</p>",
                ),
                (
                    "Do I need an account?",
                    "<p>Only to buy a package and book sessions. Your account keeps your "
                    "sessions, receipts and remaining credits in one place.</p>",
                ),
                (
                    "I live outside Canada. Can I still book a session?",
                    "<p>Yes. Set your time zone once and every available time is shown in your "
                    "local time, with the coach's local time next to it.</p>",
                ),
                (
                    "Can MedPath get me a residency position?",
                    "<p>No one can promise that. Medical schools choose their residents. Our "
                    "coaching helps you present your training and experience as clearly and "
                    "convincingly as possible.</p>",
                ),
            ]
        ),
        cta(
            "Ready for one-to-one help?",
            "Compare our coaching packages for medical school and residency applications, then "
            "book your sessions at times that suit you.",
            "Compare packages",
        ),
    ],
}

SECTION = {
    "title": "IMG pathways in Ontario",
    "seo_title": "IMG pathways in Ontario: routes to practice for international graduates",
    "search_description": (
        "How international medical graduates can train, be assessed and register to practise "
        "in Ontario: direct registration, CaRMS residency, advanced positions, practice-ready "
        "assessment and return of service."
    ),
    "intro": (
        "<p>How international medical graduates (IMGs) can train, be assessed and register to "
        "practise medicine in Ontario: the routes, who runs each step, and what you commit to in "
        "return. These pages draw on provincial guidance last updated in July 2020, so check "
        "current rules with the organisations named before you act.</p>"
    ),
    "body": [
        cta(
            "Talk your options through with a coach",
            "A strategy session helps you match your training and experience to the right route "
            "and build a realistic timeline.",
            "See coaching packages",
        ),
    ],
}

GUIDANCE_PAGES = [
    {
        "slug": "overview",
        "title": "Overview: how IMGs enter practice in Ontario",
        "seo_title": "How international medical graduates enter practice in Ontario",
        "search_description": (
            "Ontario funds about 200 training and assessment positions for IMGs a year, about "
            "half in family medicine. Who selects candidates, and which route may fit you."
        ),
        "summary": (
            "Ontario funds about 200 training and assessment positions for international "
            "medical graduates every year. Here is how they are divided, who selects the "
            "candidates and which route may suit you."
        ),
        "body": [
            callout("Based on information from 2020", SOURCE_NOTE, tone="warning"),
            heading("More positions than anywhere else in Canada"),
            text(
                "<p>Each year Ontario opens about 200 new postgraduate training and assessment "
                "positions to international medical graduates. That is more than all the other "
                "provinces put together, which is why so many IMGs focus their plans on "
                "Ontario.</p>"
                "<p>The positions come in two kinds:</p>"
                "<ul><li><b>Residency positions</b>, either at entry level or at an advanced "
                "level for doctors who have already completed part of their postgraduate "
                "training;</li>"
                "<li><b>Practice-ready assessments</b>, in which an experienced physician's "
                "skills are assessed in supervised clinical work.</li></ul>"
            ),
            heading("Family medicine and other specialties"),
            text(
                "<p>Roughly half of the positions are in family medicine, where residency lasts "
                "two years. Every other specialty takes longer: plan for at least four years of "
                "residency.</p>"
            ),
            heading("Who chooses the candidates"),
            text(
                "<p>The Ministry of Health funds the positions, but it does not place or select "
                "anyone. Ontario's medical schools decide which candidates they accept.</p>"
            ),
            heading("Which route may fit you"),
            steps(
                "",
                [
                    (
                        "Check whether you can register directly",
                        "Some IMGs",
                        "<p>Doctors already certified elsewhere in Canada, or fully certified or "
                        "trained in accredited programs in the United States, may be able to "
                        "apply straight to the CPSO.</p>",
                    ),
                    (
                        "Apply for entry-level residency through CaRMS",
                        "Citizens and permanent residents",
                        "<p>First-year residency positions are filled through the national "
                        "match. A CEHPEA evaluation can strengthen your application.</p>",
                    ),
                    (
                        "Apply for an advanced position or a practice-ready assessment",
                        "Experienced physicians",
                        "<p>Doctors with postgraduate training or recent practice apply through "
                        "CEHPEA.</p>",
                    ),
                    (
                        "Complete your return of service",
                        "Five years",
                        "<p>Every ministry-funded position comes with an agreement to practise "
                        "full time in an eligible Ontario community.</p>",
                    ),
                ],
            ),
            cta(
                "Not sure which route is yours?",
                "A strategy session with a MedPath coach maps your training and experience to "
                "the right route and timeline.",
                "See coaching packages",
            ),
        ],
    },
    {
        "slug": "direct-registration-cpso",
        "title": "Registering directly with the CPSO",
        "seo_title": "Direct registration with the CPSO for international medical graduates",
        "search_description": (
            "Some IMGs can apply straight to the College of Physicians and Surgeons of Ontario "
            "without a ministry-funded training position. Who may qualify."
        ),
        "summary": (
            "Some international medical graduates can skip ministry-funded training and apply "
            "straight to the College of Physicians and Surgeons of Ontario."
        ),
        "body": [
            text(
                "<p>Not every IMG has to compete for a ministry-funded training or assessment "
                "position. If your training and certification already meet the College of "
                "Physicians and Surgeons of Ontario (CPSO) standard, you may be able to apply to "
                "the College directly.</p>"
            ),
            heading("Who may qualify"),
            text(
                "<p>The 2020 guidance gave these examples of doctors who may use the direct "
                "route:</p>"
                "<ul><li>physicians certified in another Canadian province or territory;</li>"
                "<li>physicians trained in the United States who have met every US "
                "certification requirement;</li>"
                "<li>physicians who completed accredited postgraduate training in the United "
                "States.</li></ul>"
                "<p>The list is not complete, and the College decides each application on its "
                "own merits.</p>"
            ),
            callout(
                "Ask the College first",
                "<p>The CPSO sets and revises its own registration policies. Read its current "
                "requirements, or contact it, before you rule this route in or out.</p>",
            ),
            heading("If the direct route is not open to you"),
            text(
                "<p>Most IMGs do not fit the direct route. They apply instead for a residency "
                "position through CaRMS, or for an advanced position or a practice-ready "
                "assessment through CEHPEA. Both are explained elsewhere in this section.</p>"
            ),
            faq(
                [
                    (
                        "Does the direct route involve a return-of-service agreement?",
                        "<p>In the 2020 guidance, return of service was tied to ministry-funded "
                        "training and assessment positions. If you register without one of those "
                        "positions, ask the College and the ministry which conditions apply to "
                        "you.</p>",
                    ),
                    (
                        "Who can help me decide whether I qualify?",
                        "<p>If you live in Ontario, the HealthForceOntario Access Centre offers "
                        "free advice on licensure and registration.</p>",
                    ),
                ]
            ),
            cta(
                "Prepare your application with a coach",
                "Get a second pair of eyes on your documents and your plan before you apply.",
                "See coaching packages",
            ),
        ],
    },
    {
        "slug": "carms-entry-level-residency",
        "title": "Entry-level residency through CaRMS",
        "seo_title": "CaRMS entry-level residency for IMGs in Ontario, and the CEHPEA evaluation",
        "search_description": (
            "IMGs who are Canadian citizens or permanent residents apply for first-year "
            "residency through CaRMS. Where the CEHPEA evaluation fits in."
        ),
        "summary": (
            "IMGs who are Canadian citizens or permanent residents can apply for first-year "
            "residency positions through the Canadian Resident Matching Service. Here is where "
            "the CEHPEA evaluation fits."
        ),
        "body": [
            text(
                "<p>Entry-level positions are first-year residency places. International medical "
                "graduates who are Canadian citizens or permanent residents, and who meet the "
                "eligibility criteria, compete for them through CaRMS, the Canadian Resident "
                "Matching Service.</p>"
            ),
            heading("The CEHPEA evaluation"),
            text(
                "<p>The Centre for the Evaluation of Health Professionals Educated Abroad "
                "(CEHPEA) evaluates international medical graduates. Its evaluation can make a "
                "CaRMS application stronger, and some programs insist on it. Check what each "
                "program you are interested in requires well before applications open.</p>"
            ),
            heading("From eligibility to a residency position"),
            steps(
                "",
                [
                    (
                        "Confirm that you are eligible",
                        "Before you apply",
                        "<p>You need Canadian citizenship or permanent residence and must meet "
                        "the criteria the programs publish.</p>",
                    ),
                    (
                        "Arrange the evaluations your programs ask for",
                        "Months ahead",
                        "<p>Find out which programs require the CEHPEA evaluation and leave "
                        "enough time to complete it.</p>",
                    ),
                    (
                        "Apply through CaRMS",
                        "Application window",
                        "<p>Send your application to the programs you choose through CaRMS.</p>",
                    ),
                    (
                        "Interview, rank and match",
                        "Interview season",
                        "<p>Programs interview the applicants they are interested in, and the "
                        "medical schools decide whom to accept.</p>",
                    ),
                    (
                        "Sign your return-of-service agreement",
                        "Before residency",
                        "<p>Ministry-funded IMG positions come with a commitment to five years "
                        "of practice in an eligible Ontario community.</p>",
                    ),
                ],
            ),
            callout(
                "Medical schools make the decisions",
                "<p>The ministry funds positions but does not choose residents. Each medical "
                "school reviews its applicants and decides for itself.</p>",
            ),
            faq(
                [
                    (
                        "Can I apply through CaRMS before I become a permanent resident?",
                        "<p>The 2020 guidance opened this route to Canadian citizens and "
                        "permanent residents only. Check CaRMS's current eligibility rules "
                        "against your own situation.</p>",
                    ),
                    (
                        "Is the CEHPEA evaluation compulsory?",
                        "<p>For some programs, yes. For others it is optional, but it can still "
                        "strengthen your application.</p>",
                    ),
                    (
                        "How long will residency take?",
                        "<p>Family medicine residency lasts two years. Most other specialties "
                        "take four years or more.</p>",
                    ),
                ]
            ),
            cta(
                "Get interview-ready",
                "Practise MMI, MPI and panel interviews with a coach and have your application "
                "documents reviewed before you submit them.",
                "Explore interview coaching",
            ),
            package("interview-ready"),
        ],
    },
    {
        "slug": "advanced-positions-and-practice-ready-assessment",
        "title": "Advanced positions and practice-ready assessment",
        "seo_title": "Advanced residency positions and practice-ready assessment (PRA) in Ontario",
        "search_description": (
            "Physicians with postgraduate training or recent practice abroad can apply through "
            "CEHPEA for an advanced residency position or a six-month practice-ready assessment."
        ),
        "summary": (
            "Physicians with postgraduate training or recent practice abroad may apply for an "
            "advanced residency position or a six-month practice-ready assessment, both through "
            "CEHPEA."
        ),
        "body": [
            text(
                "<p>If you have already trained or practised as a physician, starting residency "
                "from the first year may not be your only option. Ontario also funds positions "
                "that recognise experience: advanced residency positions and practice-ready "
                "assessments. You apply for both through CEHPEA.</p>"
            ),
            heading("Advanced residency positions"),
            text(
                "<p>An advanced position starts in the second year of postgraduate training or "
                "later. You then complete the one to four further years that your specialty "
                "requires. To be considered, you need at least one year of postgraduate "
                "education in that same specialty.</p>"
            ),
            heading("Practice-ready assessment"),
            text(
                "<p>A practice-ready assessment (PRA) is meant for physicians with recent "
                "experience in practice. For six months you work under supervision at an Ontario "
                "medical school while your clinical performance is assessed. The outcome decides "
                "whether you can go straight into practice or need more training first.</p>"
            ),
            callout(
                "Only some specialties are open each year",
                "<p>CEHPEA assesses eligibility only in specialties where the medical schools "
                "have reported room for new trainees. If your specialty is not on the list in a "
                "given year, this route may not be open to you that year.</p>",
                tone="warning",
            ),
            heading("What the route looks like"),
            steps(
                "",
                [
                    (
                        "Check which specialties are open",
                        "Each year",
                        "<p>Find out where schools have capacity before you prepare an "
                        "application.</p>",
                    ),
                    (
                        "Apply through CEHPEA",
                        "",
                        "<p>CEHPEA assesses whether you are eligible for an advanced position "
                        "or a practice-ready assessment.</p>",
                    ),
                    (
                        "Train or be assessed",
                        "6 months to 4 years",
                        "<p>A PRA lasts six months; an advanced position adds one to four years "
                        "of residency.</p>",
                    ),
                    (
                        "Practise under your return-of-service agreement",
                        "Five years",
                        "<p>As with every ministry-funded IMG position, you commit to full-time "
                        "practice in an eligible Ontario community.</p>",
                    ),
                ],
            ),
            faq(
                [
                    (
                        "How is a practice-ready assessment different from residency?",
                        "<p>Residency is training. A PRA is an assessment of a physician who is "
                        "already practising: six months of supervised clinical work that "
                        "decides whether you are ready to practise in Ontario.</p>",
                    ),
                    (
                        "What happens if my assessment finds I need more training?",
                        "<p>The assessment can conclude that you should complete further "
                        "training before you enter practice, rather than moving straight into "
                        "practice.</p>",
                    ),
                    (
                        "Can I apply for an advanced position in a new specialty?",
                        "<p>You need at least one year of postgraduate education in the "
                        "specialty you apply for.</p>",
                    ),
                ]
            ),
            cta(
                "Plan your application",
                "A strategy session helps you weigh an advanced position against a "
                "practice-ready assessment and present your experience well.",
                "See coaching packages",
            ),
        ],
    },
    {
        "slug": "return-of-service",
        "title": "Return of service",
        "seo_title": "Return of service for international medical graduates in Ontario",
        "search_description": (
            "Every ministry-funded IMG training or assessment position in Ontario carries a "
            "return-of-service agreement: five years of full-time practice in an eligible "
            "community."
        ),
        "summary": (
            "Every ministry-funded IMG training or assessment position comes with a commitment: "
            "five years of full-time practice in an eligible Ontario community."
        ),
        "body": [
            text(
                "<p>When Ontario funds your residency or your practice-ready assessment, you "
                "agree to give something back. Every ministry-funded IMG training or assessment "
                "position carries a return-of-service (ROS) agreement with the Ministry of "
                "Health: once your training or assessment is complete, you practise full time "
                "for five years in an eligible Ontario community.</p>"
            ),
            callout(
                "Read the agreement before you accept a position",
                "<p>Return of service is a binding commitment that shapes where you live and "
                "work for five years. Make sure you understand the terms, and which communities "
                "count as eligible, before you accept.</p>",
                tone="warning",
            ),
            heading("How return of service fits your timeline"),
            steps(
                "",
                [
                    (
                        "Accept a ministry-funded position",
                        "Before training",
                        "<p>An entry-level or advanced residency position, or a practice-ready "
                        "assessment.</p>",
                    ),
                    (
                        "Sign the return-of-service agreement",
                        "",
                        "<p>The agreement is made with the Ministry of Health.</p>",
                    ),
                    (
                        "Complete your training or assessment",
                        "6 months to 5 years or more",
                        "<p>Six months for a PRA, two years for family medicine residency and "
                        "four or more for other specialties.</p>",
                    ),
                    (
                        "Practise in an eligible community",
                        "Years 1 to 5",
                        "<p>Five years of full-time practice in an Ontario community that the "
                        "agreement recognises.</p>",
                    ),
                ],
            ),
            faq(
                [
                    (
                        "Does every IMG have to do a return of service?",
                        "<p>According to the 2020 guidance, the agreement comes with every "
                        "ministry-funded training or assessment position. Doctors who register "
                        "directly with the CPSO without such a position should ask which "
                        "conditions apply to them.</p>",
                    ),
                    (
                        "Can I work part time during my return of service?",
                        "<p>The commitment described in 2020 was for full-time practice. Ask "
                        "about any exceptions before you sign, not after.</p>",
                    ),
                ]
            ),
        ],
    },
    {
        "slug": "healthforceontario-access-centre",
        "title": "The HealthForceOntario Access Centre",
        "seo_title": "HealthForceOntario Access Centre: free advice for IMGs in Ontario",
        "search_description": (
            "The HealthForceOntario Access Centre gives IMGs living in Ontario free "
            "case-management advice on licensure and registration. Address, hours and phone "
            "numbers."
        ),
        "summary": (
            "A free advisory service for international medical graduates who live in Ontario, "
            "with one-to-one case management on licensure and registration."
        ),
        "body": [
            text(
                "<p>The HealthForceOntario Access Centre opened in December 2006 to help "
                "international medical graduates find their way through licensure. It is part "
                "of HealthForceOntario, the province's strategy for its health workforce.</p>"
                "<p>If you are an international medical graduate living in Ontario, the Access "
                "Centre's advisers can look at your case and explain your options for licensure "
                "and registration, free of charge.</p>"
            ),
            heading("How the Access Centre can help"),
            text(
                "<ul><li>Explaining which route to practice may suit your training and "
                "experience;</li>"
                "<li>Helping you understand the requirements of the regulatory bodies and "
                "programs involved;</li>"
                "<li>Following your case as it develops, rather than answering a single "
                "question.</li></ul>"
            ),
            heading("Contact details"),
            contact_card(
                "HealthForceOntario Marketing and Recruitment Agency",
                "163 Queen Street, 2nd Floor\nToronto, ON M5A 1S1",
                "8:30 am to 5:00 pm Eastern time",
                [
                    ("Toronto", "416-862-2200", ""),
                    ("Toll-free in North America", "1-800-596-4046", ""),
                    ("International callers", "1-800-596-4046", "4"),
                ],
            ),
            callout(
                "Contact details date from 2020",
                "<p>Confirm the address, hours and numbers on the organisation's own website "
                "before you call or visit.</p>",
            ),
            faq(
                [
                    (
                        "Who can use the Access Centre?",
                        "<p>International medical graduates who live in Ontario.</p>",
                    ),
                    (
                        "Does it cost anything?",
                        "<p>No. The case-management advice is free.</p>",
                    ),
                    (
                        "Can the Access Centre find me a residency position?",
                        "<p>No. It advises you on licensure and registration; medical schools "
                        "decide who fills their positions.</p>",
                    ),
                ]
            ),
            cta(
                "Want help with your applications as well?",
                "MedPath coaches review your documents and prepare you for interviews, wherever "
                "you live.",
                "See coaching packages",
            ),
        ],
    },
]

# Label, then a page slug in the guidance section ("" for the section itself), a policy page's
# slug, or a URL.
MENU = [
    ("Guidance", {"page": ""}),
    ("Packages", {"url": PACKAGES_URL}),
    ("Book a session", {"url": "/book/"}),
    ("Search", {"url": "/search/"}),
]

FOOTER_ABOUT = (
    "MedPath offers free guidance and one-to-one coaching for people applying to medical "
    "school and residency in Canada, wherever in the world they live."
)
FOOTER_COLUMNS = [
    (
        "Guidance",
        [
            ("IMG pathways in Ontario", {"page": ""}),
            ("Overview", {"page": "overview"}),
            ("Return of service", {"page": "return-of-service"}),
        ],
    ),
    (
        "Coaching",
        [
            ("Packages", {"url": PACKAGES_URL}),
            ("Book a session", {"url": "/book/"}),
            ("Your dashboard", {"url": "/dashboard/"}),
        ],
    ),
    (
        "Help",
        [
            ("Search", {"url": "/search/"}),
            ("Glossary of terms", {"url": "/glossary/"}),
            ("HealthForceOntario Access Centre", {"page": "healthforceontario-access-centre"}),
        ],
    ),
    (
        "Policies",
        [
            ("Terms of service", {"page": "terms"}),
            ("Privacy", {"page": "privacy"}),
            ("Refund policy", {"page": "refunds"}),
        ],
    ),
]
FOOTER_LEGAL = (
    "Guidance on this site is general information, not legal, immigration or regulatory advice."
)


def _publish_new(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_child(parent: Page, model, slug: str, fields: dict):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    return _publish_new(parent, model(slug=slug, **fields))


def _with_package_ids(body: list[dict]) -> list[dict]:
    """Swap each package block's slug for the package's id (the catalogue is loaded first)."""
    slugs = [block["value"]["package_slug"] for block in body if block["type"] == "package"]
    ids = dict(Package.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return [
        {"type": "package", "value": ids[block["value"]["package_slug"]]}
        if block["type"] == "package"
        else block
        for block in body
    ]


def _ensure_home() -> HomePage:
    """The MedPath home page as the default site's root, replacing Wagtail's "Welcome" page."""
    home = HomePage.objects.first()
    if home is None:
        home = _publish_new(Page.get_first_root_node(), HomePage(slug="medpath", **HOME))
    # The site's host and port come from SITE_URL, so sitemap and Open Graph URLs are right.
    site_url = urlsplit(settings.SITE_URL)
    wanted = {
        "hostname": site_url.hostname or "localhost",
        "port": site_url.port or (443 if site_url.scheme == "https" else 80),
        "root_page": home,
        "site_name": "MedPath",
    }
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(is_default_site=True, **wanted)
    elif any(getattr(site, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(site, field, value)
        site.save()
    # Wagtail's placeholder is a bare `Page` directly under the root; leave anything else alone.
    placeholder_type = ContentType.objects.get_for_model(Page)
    for placeholder in Page.objects.filter(
        depth=2, content_type=placeholder_type, numchild=0, sites_rooted_here__isnull=True
    ):
        placeholder.delete()
    return home


def _link_target(spec: dict, section: GuidanceIndexPage, pages: dict[str, Page]) -> dict:
    if "url" in spec:
        return {"page": None, "url": spec["url"]}
    return {"page": pages[spec["page"]] if spec["page"] else section, "url": ""}


def _seed_navigation(section, pages) -> None:
    navigation = NavigationSettings.load()
    if navigation.menu_items.exists():
        return
    for order, (label, spec) in enumerate(MENU):
        target = _link_target(spec, section, pages)
        MainMenuItem.objects.create(
            navigation=navigation,
            sort_order=order,
            label=label,
            link_page=target["page"],
            link_url=target["url"],
        )


def _footer_column(column_heading, links, section, pages) -> dict:
    items = []
    for label, spec in links:
        target = _link_target(spec, section, pages)
        items.append(
            {
                "label": label,
                "page": target["page"].pk if target["page"] else None,
                "url": target["url"],
            }
        )
    return {"type": "column", "value": {"heading": column_heading, "links": items}}


def _add_policies_column(footer, section, pages) -> None:
    """A footer seeded before the policy pages existed gets their column, once: only while no
    column links any of them (so a second run, or an editor's own links, change nothing)."""
    policy_ids = {pages[slug].pk for slug in POLICY_SLUGS}
    linked = {
        link["page"].pk
        for column in footer.columns
        for link in column.value["links"]
        if link["page"]
    }
    if linked & policy_ids:
        return
    heading, links = next(column for column in FOOTER_COLUMNS if column[0] == "Policies")
    footer.columns = [*footer.columns.raw_data, _footer_column(heading, links, section, pages)]
    footer.save()


def _seed_footer(section, pages) -> None:
    footer = FooterSettings.load()
    if footer.columns or footer.about_text:
        _add_policies_column(footer, section, pages)
        return
    footer.about_text = FOOTER_ABOUT
    footer.contact_email = "hello@medpath.example"
    footer.legal_line = FOOTER_LEGAL
    footer.columns = [
        _footer_column(column_heading, links, section, pages)
        for column_heading, links in FOOTER_COLUMNS
    ]
    footer.save()


def load() -> HomePage:
    home = _ensure_home()
    section = _ensure_child(home, GuidanceIndexPage, SECTION_SLUG, SECTION)
    pages = {}
    for spec in GUIDANCE_PAGES:
        fields = {key: value for key, value in spec.items() if key != "slug"}
        fields["body"] = _with_package_ids(fields["body"])
        pages[spec["slug"]] = _ensure_child(section, GuidancePage, spec["slug"], fields)
    if not home.featured_pages.exists():
        # Through a revision, so the admin's edit form (which loads the latest revision) has them.
        home.featured_pages = [
            HomePageFeaturedPage(page=page, sort_order=order)
            for order, page in enumerate([pages["overview"], section, pages["return-of-service"]])
        ]
        home.save_revision().publish()
    pages.update(ensure_policy_pages(home))
    _seed_navigation(section, pages)
    _seed_footer(section, pages)
    return home
