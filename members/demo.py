"""Demo school guide and question bank. Idempotent: rows are found by slug (schools) or text
(questions) and created only when missing, so an editor's later changes survive a reload.

Schools carry only the facts the project was given (city, province, language, program
length, and the route: OMSAS in Ontario, the school itself elsewhere); every other fact stays
unknown, shown as "check with the school", until an editor verifies it.
"""

from members.models import Language, Province, Question, Route, School

EN, FR, BOTH = Language.ENGLISH, Language.FRENCH, Language.BOTH

SCHOOLS = [
    # (slug, name, university, city, province, language, years)
    (
        "memorial",
        "Memorial University of Newfoundland",
        "Memorial University of Newfoundland",
        "St. John's",
        Province.NL,
        EN,
        4,
    ),
    ("dalhousie", "Dalhousie University", "Dalhousie University", "Halifax", Province.NS, EN, 4),
    ("laval", "Université Laval", "Université Laval", "Québec City", Province.QC, FR, 4),
    (
        "sherbrooke",
        "Université de Sherbrooke",
        "Université de Sherbrooke",
        "Sherbrooke",
        Province.QC,
        FR,
        4,
    ),
    (
        "montreal",
        "Université de Montréal",
        "Université de Montréal",
        "Montréal",
        Province.QC,
        FR,
        4,
    ),
    ("mcgill", "McGill University", "McGill University", "Montréal", Province.QC, EN, 4),
    ("ottawa", "University of Ottawa", "University of Ottawa", "Ottawa", Province.ON, BOTH, 4),
    ("queens", "Queen's University", "Queen's University", "Kingston", Province.ON, EN, 4),
    (
        "toronto",
        "University of Toronto (Temerty Faculty of Medicine)",
        "University of Toronto",
        "Toronto",
        Province.ON,
        EN,
        4,
    ),
    (
        "mcmaster",
        "McMaster University (Michael G. DeGroote School of Medicine)",
        "McMaster University",
        "Hamilton",
        Province.ON,
        EN,
        3,
    ),
    (
        "western",
        "Western University (Schulich School of Medicine & Dentistry)",
        "Western University",
        "London",
        Province.ON,
        EN,
        4,
    ),
    ("nosm", "NOSM University", "NOSM University", "Sudbury and Thunder Bay", Province.ON, EN, 4),
    (
        "tmu",
        "Toronto Metropolitan University School of Medicine",
        "Toronto Metropolitan University",
        "Brampton",
        Province.ON,
        EN,
        4,
    ),
    (
        "manitoba",
        "University of Manitoba (Max Rady College of Medicine)",
        "University of Manitoba",
        "Winnipeg",
        Province.MB,
        EN,
        4,
    ),
    (
        "saskatchewan",
        "University of Saskatchewan",
        "University of Saskatchewan",
        "Saskatoon",
        Province.SK,
        EN,
        4,
    ),
    ("alberta", "University of Alberta", "University of Alberta", "Edmonton", Province.AB, EN, 4),
    (
        "calgary",
        "University of Calgary (Cumming School of Medicine)",
        "University of Calgary",
        "Calgary",
        Province.AB,
        EN,
        3,
    ),
    (
        "ubc",
        "University of British Columbia",
        "University of British Columbia",
        "Vancouver (with other sites in the province)",
        Province.BC,
        EN,
        4,
    ),
]

# (format, category, prompt, coach's note) — written for MedPath.
QUESTIONS = [
    (
        "mmi",
        "ethics",
        "A patient in the emergency department asks you, a medical student, not to tell the team "
        "that they have been drinking before driving in. What do you do?",
        "Name the tension (trust and confidentiality against safety and honesty with the team). "
        "Gather facts before acting, talk with the patient first, explain why the team needs to "
        "know, escalate to the supervising physician, and show you know your limits as a student.",
    ),
    (
        "mmi",
        "ethics",
        "A friend in your program asks you to sign them in for a mandatory lecture they are "
        "skipping. How do you respond?",
        "Decline clearly but kindly; recognise professionalism and honesty as the stake; ask why "
        "they are missing it (illness, stress) and point to support; explain what you would do if "
        "it kept happening without turning the answer into an accusation.",
    ),
    (
        "mmi",
        "health_policy",
        "Some provinces let pharmacists prescribe for minor ailments. Discuss the benefits and "
        "the risks.",
        "Balanced answer: access and wait times, especially rural; pharmacists' training; "
        "fragmented records and missed diagnoses as risks; safeguards such as scope limits, "
        "referral rules and shared records. A clear, reasoned position at the end.",
    ),
    (
        "mmi",
        "health_policy",
        "A remote community has had no family physician for a year. What could a province do?",
        "Shows understanding of rural recruitment and retention: training in rural settings, "
        "return-of-service agreements, team-based care, virtual care with its limits, and "
        "listening to the community itself. Avoids one-line fixes.",
    ),
    (
        "mmi",
        "teamwork",
        "You are given a set of building blocks and must instruct a partner, who cannot see "
        "them, to build the same shape. (Debrief: how did that go?)",
        "In the debrief, reflect honestly: what worked in the instructions, where communication "
        "broke down, how you checked understanding, and what you would change. Credit the "
        "partner and connect it to handovers in clinical teams.",
    ),
    (
        "mmi",
        "personal",
        "Tell us about a time you received criticism you thought was unfair.",
        "Specific situation, brief; how you reacted in the moment; what you did to understand the "
        "other view; what part of the feedback proved useful; what changed in your behaviour. "
        "No blaming, and a real lesson.",
    ),
    (
        "panel",
        "motivation",
        "Why medicine, and why not nursing, pharmacy or another health profession?",
        "Personal and specific experiences, not generic helping statements; shows respect for the "
        "other professions and knowledge of what a physician's role adds (diagnosis, "
        "responsibility, leadership of care); links to what the applicant has already done.",
    ),
    (
        "panel",
        "motivation",
        "Why do you want to study at this school in particular?",
        "Evidence of research: the school's curriculum, community, mission or distributed sites; "
        "a genuine link to the applicant's experience or goals; avoids reciting the website.",
    ),
    (
        "panel",
        "teamwork",
        "Describe a team you were part of that did not work well. What was your role?",
        "Owns their part; describes the problem without blaming; concrete steps taken (clarifying "
        "roles, a difficult conversation, asking for help); the result and the lesson for working "
        "in clinical teams.",
    ),
    (
        "panel",
        "personal",
        "What is one weakness you are working on, and how?",
        "A real weakness, not a disguised strength; evidence of self-awareness; concrete steps and "
        "progress so far; why it matters for a future physician.",
    ),
    (
        "panel",
        "health_policy",
        "How should Canada make better use of international medical graduates already living here?",
        "Knows the pathways (residency through CaRMS, assessment programs, practice-ready "
        "assessment) and the bottlenecks (limited positions, evaluation requirements); weighs "
        "patient safety against access; suggests measured, realistic changes.",
    ),
    (
        "mpi",
        "ethics",
        "A colleague seems to be coming to work impaired. Nobody else has noticed. What do you do?",
        "Patient safety first; do not ignore it; speak privately with the colleague if safe, and "
        "report to the appropriate supervisor or body; compassion for the colleague (support and "
        "treatment, not punishment alone); knows the duty to report.",
    ),
    (
        "mpi",
        "personal",
        "Walk us through your autobiographical sketch: which experience shaped you most?",
        "Picks one experience and goes deep: what they did, what was hard, what they learned and "
        "how it shows in later choices. Consistent with the written application, adds what the "
        "sketch could not say.",
    ),
    (
        "mpi",
        "motivation",
        "Where do you see yourself ten years after graduating?",
        "Realistic and open: an area of interest with reasons, a kind of community or practice, "
        "continued learning; shows awareness that plans change during training.",
    ),
    (
        "mpi",
        "teamwork",
        "Tell us about a time you had to lead people who did not report to you.",
        "Influence without authority: listening, finding shared goals, clear communication, "
        "sharing credit; a result and what they would do differently.",
    ),
]


def load() -> None:
    for slug, name, university, city, province, language, years in SCHOOLS:
        School.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "university": university,
                "city": city,
                "province": province,
                "language": language,
                "program_years": years,
                "route": Route.OMSAS if province == Province.ON else Route.DIRECT,
            },
        )
    for question_format, category, text, note in QUESTIONS:
        Question.objects.get_or_create(
            text=text,
            defaults={"format": question_format, "category": category, "coach_note": note},
        )
