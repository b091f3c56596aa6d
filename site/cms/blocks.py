"""StreamField blocks for guidance pages.

Every body block lives in `GuidanceStreamBlock`, so another app can add one block type in one
place (subclass it, or append to its child blocks in a migration-aware way).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks

from coaching.blocks import PackageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


def validate_link_url(value: str) -> None:
    """Accept an absolute http(s) URL or a path on this site ("/packages/"), nothing else."""
    if value.startswith("/") and not value.startswith("//"):
        if any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise ValidationError("A site path cannot contain spaces or control characters.")
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise ValidationError(
            "Enter a full web address (https://…) or a path on this site starting with “/”."
        ) from error


def validate_extension(value: str) -> None:
    if value and not value.isdigit():
        raise ValidationError("An extension is digits only.")


class LinkURLBlock(blocks.CharBlock):
    """A URL that may also be a site-relative path, which Wagtail's URLBlock refuses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("validators", [validate_link_url])
        super().__init__(**kwargs)


class HeadingBlock(blocks.CharBlock):
    """A section heading (h2); listed in the page's "On this page" navigation."""

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        form_classname = "title"


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: information or a warning."""

    tone = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("warning", "Warning")], default="info"
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160)
    meta = blocks.CharBlock(
        max_length=60, required=False, help_text="Optional label such as “Year 1” or “6 months”."
    )
    text = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES, required=False)


class StepsBlock(blocks.StructBlock):
    """An ordered list of steps, rendered as a numbered timeline."""

    heading = blocks.CharBlock(max_length=160, required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"


class PhoneNumberBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, help_text="For example “Toronto” or “Toll-free”.")
    number = blocks.RegexBlock(
        regex=r"^\+?[0-9][0-9 ().-]{5,30}$",
        max_length=32,
        error_messages={"invalid": "Enter a phone number made of digits, spaces, ( ) . - and +."},
        help_text="Include the country code for international callers, e.g. +1 416-555-0100.",
    )
    extension = blocks.CharBlock(
        max_length=10,
        required=False,
        validators=[validate_extension],
    )


def tel_href(number: str, extension: str = "") -> str:
    """`tel:` URI for a displayed phone number, a dialling pause before any extension.

    Numbers without a country code are North American (this is a Canadian site): ten digits
    get +1, eleven starting with 1 get +.
    """
    digits = re.sub(r"[^0-9+]", "", number)
    if not digits.startswith("+"):
        if len(digits) == 10:
            digits = "+1" + digits
        elif len(digits) == 11 and digits.startswith("1"):
            digits = "+" + digits
    return f"tel:{digits},{extension}" if extension else f"tel:{digits}"


class ContactCardBlock(blocks.StructBlock):
    organisation = blocks.CharBlock(max_length=160)
    address = blocks.TextBlock(required=False, help_text="One line per address line.")
    hours = blocks.CharBlock(max_length=160, required=False)
    phone_numbers = blocks.ListBlock(PhoneNumberBlock(), min_num=0, default=[])
    email = blocks.EmailBlock(required=False)
    website = blocks.URLBlock(required=False)

    class Meta:
        icon = "mail"
        template = "blocks/contact_card_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["phones"] = [
            {
                "label": phone["label"],
                "number": phone["number"],
                "extension": phone["extension"],
                "href": tel_href(phone["number"], phone["extension"]),
            }
            for phone in value["phone_numbers"]
        ]
        return context


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)


class FAQBlock(blocks.StructBlock):
    """Questions and answers, each a native <details>/<summary> disclosure."""

    heading = blocks.CharBlock(max_length=160, required=False, default="Questions and answers")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent invitation to act, linking to a page on the site or to a URL (exactly one)."""

    heading = blocks.CharBlock(max_length=160)
    text = blocks.TextBlock(required=False, max_length=600)
    page = blocks.PageChooserBlock(required=False, help_text="Link to a page on this site…")
    url = LinkURLBlock(
        required=False,
        label="URL",
        help_text="…or to an address: https://… or a path on this site such as /packages/.",
    )
    button_label = blocks.CharBlock(max_length=60, default="Find out more")

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        has_page, has_url = bool(value.get("page")), bool(value.get("url"))
        if has_page == has_url:
            message = (
                "Choose a page or enter a URL, not both."
                if has_page
                else "Choose a page or enter a URL for the button."
            )
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(message),
                    "url": ValidationError(message),
                },
                non_block_errors=[ValidationError(message)],
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        page = value.get("page")
        context["href"] = page.get_url(request) if page else value.get("url")
        return context


class GuidanceStreamBlock(blocks.StreamBlock):
    """The body of guidance and home pages: add new block types here."""

    heading = HeadingBlock()
    rich_text = RichTextBlock(features=RICH_TEXT_FEATURES)
    callout = CalloutBlock()
    steps = StepsBlock()
    contact_card = ContactCardBlock()
    faq = FAQBlock()
    call_to_action = CallToActionBlock()
    package = PackageBlock()


def heading_anchor(text: str) -> str:
    """The id a heading block gets, shared by the block template and "On this page"."""
    return "section-" + (slugify(text) or "untitled")


class TableOfContents:
    """The headings of a StreamField body, for the "On this page" list (no queries)."""

    def __init__(self, body):
        self.body = body

    @cached_property
    def entries(self) -> list[dict[str, str]]:
        return [
            {"text": str(child.value), "anchor": heading_anchor(str(child.value))}
            for child in self.body
            if child.block_type == "heading"
        ]
