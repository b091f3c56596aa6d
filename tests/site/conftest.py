from tests.cms.conftest import guidance, home, section  # noqa: F401  (pages for the page cache)
from tests.members.area import library, resource  # noqa: F401  (a members' teaser page)
