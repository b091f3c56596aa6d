"""Recordings made seekable by a remux, never a re-encode (`core.media`): a browser-like WebM
(no Duration, no Cues, a late first timestamp) comes out with a true duration and Cues and the
same packets; an MP4 comes out with `moov` before `mdat`; Ogg stays Ogg; anything PyAV cannot
read, or that is not one of our containers, is `UploadRejected("unreadable")` and nothing else.
The samples are real media made by `core.media.make_sample` (160x120, 1–2 s)."""

import io
import random
import struct

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import media
from core.uploads import UploadRejected, check_recording, sniff_media

SIZE = {"width": 160, "height": 120}


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """One file of each kind, made once for the module."""
    folder = tmp_path_factory.mktemp("media")
    kinds = {
        # As Chrome and Firefox write it: live, and starting late.
        "browser.webm": {"container": "webm", "live": True, "start_seconds": 1.0},
        "browser-audio.webm": {"container": "webm", "live": True, "video": False},
        "plain.webm": {"container": "webm"},
        "safari.mp4": {"container": "mp4"},
        "answer.ogg": {"container": "ogg", "video": False},
    }
    for name, options in kinds.items():
        media.make_sample(folder / name, seconds=2, **SIZE, **options)
    return folder


def _packets(path) -> dict[str, list[bytes]]:
    """Every real packet's bytes, by stream type."""
    found: dict[str, list[bytes]] = {}
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.size:
                found.setdefault(packet.stream.type, []).append(bytes(packet))
    return found


def _first_timestamps(path) -> list[float]:
    with av.open(str(path)) as container:
        firsts = {}
        for packet in container.demux():
            if packet.size and packet.pts is not None:
                firsts.setdefault(packet.stream.index, float(packet.pts * packet.time_base))
        return sorted(firsts.values())


def _top_level_boxes(data: bytes) -> list[str]:
    """The types of an MP4's top-level boxes, in file order."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        elif size == 0:
            size = len(data) - offset
        boxes.append(kind.decode("latin-1"))
        offset += size
    return boxes


# --- WebM as browsers write it ---------------------------------------------------------------


def test_a_browsers_webm_has_no_duration_and_cannot_be_sought(samples):
    info = media.probe(samples / "browser.webm")

    assert info == media.MediaInfo(
        container="webm",
        duration_seconds=None,
        has_video=True,
        has_audio=True,
        seekable=False,
        codecs=("vp8", "opus"),
    )
    assert _first_timestamps(samples / "browser.webm")[0] >= 0.9


def test_remux_gives_a_browsers_webm_its_duration_and_cues(samples, tmp_path):
    out = tmp_path / "seekable.webm"

    info = media.remux(samples / "browser.webm", out)

    assert info.container == "webm"
    assert info.seekable
    assert info.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert (info.has_video, info.has_audio, info.codecs) == (True, True, ("vp8", "opus"))
    assert media.probe(out) == info
    # The copy starts at 0, so the stated duration is the recording's length.
    assert _first_timestamps(out)[0] == pytest.approx(0, abs=0.05)


def test_remux_copies_the_packets_it_does_not_encode_them(samples, tmp_path):
    out = tmp_path / "seekable.webm"
    media.remux(samples / "browser.webm", out)

    before, after = _packets(samples / "browser.webm"), _packets(out)

    assert set(after) == {"video", "audio"}
    assert after["video"] == before["video"]
    assert after["audio"] == before["audio"]


def test_an_audio_only_answer_is_made_seekable_too(samples, tmp_path):
    assert not media.probe(samples / "browser-audio.webm").seekable

    info = media.remux(samples / "browser-audio.webm", tmp_path / "answer.webm")

    assert info.seekable
    assert (info.has_video, info.has_audio, info.codecs) == (False, True, ("opus",))
    assert info.duration_seconds == pytest.approx(2.0, abs=0.2)


def test_a_webm_written_by_a_plain_muxer_is_already_seekable(samples, tmp_path):
    info = media.probe(samples / "plain.webm")

    assert info.seekable
    assert info.duration_seconds == pytest.approx(2.0, abs=0.2)
    again = media.remux(samples / "plain.webm", tmp_path / "again.webm")
    assert again.seekable
    assert again.codecs == info.codecs
    # ffmpeg versions count the Opus encoder's delay differently (a few milliseconds).
    assert again.duration_seconds == pytest.approx(info.duration_seconds, abs=0.05)


# --- MP4 and Ogg -----------------------------------------------------------------------------


def test_remux_moves_an_mp4s_index_before_its_media(samples, tmp_path):
    out = tmp_path / "faststart.mp4"
    before = _top_level_boxes((samples / "safari.mp4").read_bytes())

    info = media.remux(samples / "safari.mp4", out)

    after = _top_level_boxes(out.read_bytes())
    assert before.index("moov") > before.index("mdat")
    assert after.index("moov") < after.index("mdat")
    assert info.container == "mp4"
    assert info.seekable
    assert info.codecs == media.probe(samples / "safari.mp4").codecs
    assert info.codecs[1] == "aac"
    assert info.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert _packets(out) == _packets(samples / "safari.mp4")


def test_an_ogg_answer_stays_ogg(samples, tmp_path):
    out = tmp_path / "answer.ogg"

    info = media.remux(samples / "answer.ogg", out)

    assert info.container == "ogg"
    assert info.seekable
    assert (info.has_video, info.has_audio) == (False, True)
    assert info.codecs in {("opus",), ("vorbis",)}
    assert info.duration_seconds == pytest.approx(2.0, abs=0.2)
    assert _packets(out) == _packets(samples / "answer.ogg")


# --- what the upload check and the probe agree on --------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("browser.webm", "video/webm"),
        ("plain.webm", "video/webm"),
        ("safari.mp4", "video/mp4"),
        ("browser-audio.webm", "audio/webm"),
        ("answer.ogg", "audio/ogg"),
    ],
)
def test_the_upload_check_agrees_with_the_probe(samples, name, content_type):
    data = (samples / name).read_bytes()
    info = media.probe(samples / name)

    assert sniff_media(data[:16]) == info.container
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    assert check_recording(upload, max_bytes=2**20, video=info.has_video) == content_type


# --- file objects, in place ------------------------------------------------------------------


def test_probe_and_remux_work_on_file_objects(samples):
    source = io.BytesIO((samples / "browser.webm").read_bytes())
    destination = io.BytesIO()

    info = media.remux(source, destination)

    assert info.seekable
    assert source.tell() == 0
    destination.seek(0)
    assert media.probe(destination) == info
    assert destination.tell() == 0


def test_remux_may_replace_the_file_it_reads(samples, tmp_path):
    path = tmp_path / "answer.webm"
    path.write_bytes((samples / "browser.webm").read_bytes())

    info = media.remux(path, path)

    assert info.seekable
    assert media.probe(path) == info
    assert [p.name for p in tmp_path.iterdir()] == ["answer.webm"]


# --- what cannot be read ---------------------------------------------------------------------


def _unreadable(samples) -> dict[str, bytes]:
    mp4 = (samples / "safari.mp4").read_bytes()
    webm = (samples / "browser.webm").read_bytes()
    return {
        "an MP4 cut before its index": mp4[: len(mp4) // 2],
        "a WebM cut inside its header": webm[:60],
        "a WebM's header and nothing after": webm[:40] + b"\x00" * 200,
        "a PDF": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        "an HTML page": b"<!doctype html><html><body><video src=a.webm></video></body></html>",
        "NUL bytes": b"\x00" * 4096,
        "an empty file": b"",
        "an HLS playlist": b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://127.0.0.1/a.ts\n",
        "an Ogg page header only": b"OggS" + b"\x00" * 60,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "an MP4 cut before its index",
        "a WebM cut inside its header",
        "a WebM's header and nothing after",
        "a PDF",
        "an HTML page",
        "NUL bytes",
        "an empty file",
        "an HLS playlist",
        "an Ogg page header only",
    ],
)
def test_what_cannot_be_read_is_refused_as_unreadable(samples, tmp_path, kind):
    path = tmp_path / "upload.bin"
    path.write_bytes(_unreadable(samples)[kind])

    with pytest.raises(UploadRejected) as probed:
        media.probe(path)
    with pytest.raises(UploadRejected) as remuxed:
        media.remux(path, tmp_path / "out.webm")

    assert probed.value.code == remuxed.value.code == "unreadable"
    assert not (tmp_path / "out.webm").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["upload.bin"]


@pytest.mark.parametrize("name", ["browser.webm", "safari.mp4", "answer.ogg"])
def test_damaged_files_are_read_or_refused_never_an_error(samples, name):
    """Cut anywhere or with bytes flipped: a `MediaInfo` (what is left is still media) or
    `UploadRejected("unreadable")`; remux likewise."""
    data = (samples / name).read_bytes()
    rng = random.Random(name)
    damaged = [data[:cut] for cut in (4, 16, 100, 300, len(data) // 3, len(data) - 7)]
    for _ in range(6):
        flipped = bytearray(data)
        for _ in range(12):
            flipped[rng.randrange(16, len(flipped))] = rng.randrange(256)
        damaged.append(bytes(flipped))

    for content in damaged:
        try:
            media.probe(io.BytesIO(content))
            media.remux(io.BytesIO(content), io.BytesIO())
        except UploadRejected as refused:
            assert refused.code == "unreadable"


def test_a_webm_cut_short_is_kept_as_far_as_it_goes(samples, tmp_path):
    data = (samples / "browser.webm").read_bytes()
    path = tmp_path / "cut.webm"
    path.write_bytes(data[: len(data) // 2])

    info = media.remux(path, tmp_path / "kept.webm")

    assert info.seekable
    assert 0.3 < info.duration_seconds < 1.7


def test_a_missing_path_is_the_callers_mistake(tmp_path):
    with pytest.raises(FileNotFoundError):
        media.probe(tmp_path / "nothing.webm")


# --- timestamps a recorder left out ----------------------------------------------------------


def _packet(pts, dts):
    packet = av.Packet(b"\x00" * 8)
    packet.pts, packet.dts = pts, dts
    return packet


def test_a_packet_without_timestamps_is_dropped_and_a_missing_one_is_filled_in():
    assert media._fix_timestamps(_packet(None, None), None, strict=False) is False

    from_dts = _packet(None, 40)
    assert media._fix_timestamps(from_dts, 20, strict=False)
    assert (from_dts.pts, from_dts.dts) == (40, 40)

    from_pts = _packet(60, None)
    assert media._fix_timestamps(from_pts, 40, strict=False)
    assert (from_pts.pts, from_pts.dts) == (60, 60)


def test_timestamps_that_go_back_are_moved_just_past_the_last():
    back = _packet(30, 30)
    assert media._fix_timestamps(back, 40, strict=False)
    assert (back.pts, back.dts) == (41, 41)

    repeat = _packet(40, 40)
    media._fix_timestamps(repeat, 40, strict=False)
    assert repeat.dts == 40  # WebM and Ogg take a repeated dts
    media._fix_timestamps(repeat, 40, strict=True)
    assert repeat.dts == 41  # MP4 does not


# --- samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"container": "ogg", "video": True},
        {"container": "mp4", "live": True},
        {"container": "avi"},
        {"width": 161},
    ],
)
def test_a_sample_that_cannot_be_made_is_refused(tmp_path, options):
    with pytest.raises(ValueError):
        media.make_sample(tmp_path / "x", seconds=1, **options)
