"""Read the navigation and footer settings into plain dicts for the header and footer.

Each is computed once per request and cached on it: the menu costs two queries (the setting
and its links with their pages), the footer two (the setting and every linked page at once).
Without a request (an error page rendered bare) nothing touches the database.
"""

from dataclasses import dataclass

from .models import FooterSettings, NavigationSettings


@dataclass(frozen=True)
class MenuLink:
    label: str
    href: str
    current: str = ""  # aria-current value: "page" for this page, "true" for its section


def _page_href(page, request) -> str:
    if page is None or not page.live:
        return ""
    return page.get_url(request) or ""


def aria_current(href: str, path: str) -> str:
    """A link's aria-current seen from `path`: "page", "true" (a page below it) or ""."""
    if not href.startswith("/"):
        return ""
    if href == path:
        return "page"
    if href != "/" and path.startswith(href.rstrip("/") + "/"):
        return "true"
    return ""


def main_menu_for_request(request) -> list[MenuLink]:
    if request is None:
        return []
    cached = getattr(request, "_medpath_main_menu", None)
    if cached is not None:
        return cached
    navigation = NavigationSettings.load(request_or_site=request)
    links = []
    for item in navigation.menu_items.select_related("link_page").order_by("sort_order"):
        href = _page_href(item.link_page, request) if item.link_page_id else item.link_url
        if href:
            links.append(MenuLink(item.label, href, aria_current(href, request.path)))
    request._medpath_main_menu = links
    return links


def footer_for_request(request) -> dict | None:
    if request is None:
        return None
    cached = getattr(request, "_medpath_footer", None)
    if cached is not None:
        return cached
    footer = FooterSettings.load(request_or_site=request)
    columns = []
    for column in footer.columns:
        links = []
        for link in column.value["links"]:
            href = _page_href(link["page"], request) if link["page"] else link["url"]
            if href:
                links.append(MenuLink(link["label"], href, aria_current(href, request.path)))
        if links:
            columns.append({"heading": column.value["heading"], "links": links})
    result = {
        "about_text": footer.about_text,
        "contact_email": footer.contact_email,
        "legal_line": footer.legal_line,
        "columns": columns,
    }
    request._medpath_footer = result
    return result
