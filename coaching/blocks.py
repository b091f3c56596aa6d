"""StreamField blocks that put the catalogue on content pages."""

from wagtail.snippets.blocks import SnippetChooserBlock


class PackageBlock(SnippetChooserBlock):
    """A package card chosen by the editor; price and contents always come from the Package.

    An inactive (or deleted) package renders nothing for visitors, and a short note for
    editors in preview, so a page never shows a card for something that is not on sale.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Package")
        kwargs.setdefault(
            "help_text", "Shows the package’s card with its current price and a Buy button."
        )
        super().__init__("coaching.Package", **kwargs)

    def bulk_to_python(self, values):
        # One query for every package card on the page, with what the cards show prefetched,
        # so a page's query count does not grow with the number of package blocks.
        from coaching.selectors import package_cards

        by_id = package_cards().in_bulk([value for value in values if value is not None])
        return [by_id.get(value) for value in values]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["package"] = value if value is not None and value.active else None
        context["show_editor_note"] = bool(getattr(request, "is_preview", False))
        return context

    class Meta:
        icon = "tag"
        template = "blocks/package_block.html"
