"""Blocks only members' resources use: a document to download and a video.

Both point at documents; a document in a gated collection is served only to people with its
perk (members' `before_serve_document` hook), so these blocks never expose a public file URL.
A video plays from this site or is a plain link to an outside host: nothing on the page fetches
from the internet when it renders.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from .blocks import GuidanceStreamBlock

VIDEO_EXTENSIONS = {"mp4", "webm"}


class DocumentDownloadBlock(blocks.StructBlock):
    """An e-book or worksheet to download, with what it is."""

    document = DocumentChooserBlock()
    label = blocks.CharBlock(
        max_length=120, required=False, help_text="Defaults to the document's title."
    )
    description = blocks.TextBlock(max_length=400, required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_download_block.html"


class VideoBlock(blocks.StructBlock):
    """A video file uploaded as a document (MP4 or WebM), or a link to a video elsewhere."""

    title = blocks.CharBlock(max_length=160)
    video = DocumentChooserBlock(required=False, help_text="An MP4 or WebM file.")
    external_url = blocks.URLBlock(
        required=False,
        label="Or a link to the video elsewhere",
        help_text="Shown as a link (never embedded), so the page loads nothing from that site.",
    )
    caption = blocks.TextBlock(max_length=400, required=False)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        video, url = value.get("video"), value.get("external_url")
        errors = {}
        if bool(video) == bool(url):
            message = "Choose a video file or give a link, exactly one."
            errors = {"video": ValidationError(message), "external_url": ValidationError(message)}
        elif video and video.file_extension.lower() not in VIDEO_EXTENSIONS:
            errors = {"video": ValidationError("Choose an MP4 or WebM file.")}
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class MembersStreamBlock(GuidanceStreamBlock):
    """Everything guidance pages offer, plus downloads and videos."""

    document = DocumentDownloadBlock()
    video = VideoBlock()
