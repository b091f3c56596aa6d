"""The glossary at /glossary/: a guidance page the demo creates, one anchor per term."""

import pytest

from medpath.cms import glossary_demo
from medpath.cms.jargon import TERMS
from medpath.cms.models import GuidancePage
from medpath.management.commands.load_demo import LOADERS

pytestmark = pytest.mark.django_db


def test_the_demo_glossary_has_every_term_under_its_own_anchor(client, home):
    glossary_demo.load()

    response = client.get("/glossary/")

    assert response.status_code == 200
    html = response.content.decode()
    for term in TERMS:
        assert f'<h2 id="{term.anchor}">{term.term}</h2>' in html
        assert f'<a href="#{term.anchor}">{term.term}</a>' in html  # "On this page"
        assert term.expansion.lower() in html.lower()


def test_the_glossary_is_loaded_by_load_demo_once(home):
    assert glossary_demo in LOADERS
    glossary_demo.load()
    glossary_demo.load()
    assert GuidancePage.objects.filter(slug="glossary").count() == 1
