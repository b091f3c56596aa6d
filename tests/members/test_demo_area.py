"""Demo content of the members' area: only the given school facts, questions, the library."""

import pytest
from wagtail.documents import get_document_model

from coaching.models import PerkKind
from medpath.cms import members_demo
from medpath.cms.members import MembersLibraryPage, MembersResourcePage
from members import demo
from members.models import Province, Question, Route, School
from members.selectors import document_perk

pytestmark = pytest.mark.django_db


def test_schools_carry_only_the_given_facts_and_load_once():
    demo.load()
    demo.load()
    assert School.objects.count() == 18 and Question.objects.count() == len(demo.QUESTIONS)
    for school in School.objects.all():
        expected = Route.OMSAS if school.province == Province.ON else Route.DIRECT
        assert school.route == expected
        assert (school.casper_required, school.interview_format, school.deadlines) == ("", "", "")
        assert school.last_verified_on is None
    assert School.objects.get(slug="mcmaster").program_years == 3
    assert School.objects.get(slug="ottawa").get_language_display() == "English and French streams"


def test_library_pages_and_ebook_load_once():
    members_demo.load()
    members_demo.load()
    library = MembersLibraryPage.objects.get()
    assert library.url == "/members/"
    perks = set(MembersResourcePage.objects.values_list("perk", flat=True))
    assert {PerkKind.RESOURCE_LIBRARY, PerkKind.QUESTION_BANK} <= perks
    ebook = get_document_model().objects.get()
    assert document_perk(ebook) == PerkKind.RESOURCE_LIBRARY
    with ebook.open_file() as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")


def test_hand_written_pdf_has_a_correct_cross_reference_table():
    data = members_demo.pdf_bytes(["Hello (world)"])
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref_at:].startswith(b"xref")
    offsets = [int(line[:10]) for line in data[xref_at:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
