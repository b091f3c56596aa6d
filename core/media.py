"""Recordings made seekable: probe a recording, remux it (stream copy, never a re-encode), and
make small real media files for tests, fixtures and the demo.

Browsers' MediaRecorder writes WebM (Chrome, Firefox) as a live stream: the Segment and its
Clusters have an unknown size, there is no Duration and no Cues, so a player cannot show the
length or seek. `remux` copies every audio and video packet into a fresh file of the same
family whose muxer writes what a player needs: WebM with a Duration and Cues, MP4 with the
`moov` index moved before the media (`+faststart`, so playback starts before the whole file
arrives), Ogg as Ogg. The packets are copied as they are, so quality and codecs are unchanged
and the job costs little CPU.

PyAV (the `av` wheel, which bundles ffmpeg) does the reading and writing; no system package is
needed. Anything PyAV cannot read is refused with `UploadRejected` (code "unreadable").
"""

from __future__ import annotations

import array
import logging
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
import av.error

from core.uploads import UploadRejected, sniff_media

logger = logging.getLogger(__name__)

# The one ffmpeg demuxer each family (as core.uploads.sniff_media names it by the first bytes)
# is opened with: never ffmpeg's guess, so an upload cannot reach a demuxer that follows
# references to other files or URLs (an HLS playlist, a concat list).
DEMUXERS = {"webm": "matroska", "mp4": "mov", "ogg": "ogg"}
# What the WebM muxer accepts; a Matroska recording with anything else (Chrome can record
# H.264 into "video/webm") is written by the Matroska muxer, same EBML family.
WEBM_CODECS = {"vp8", "vp9", "av1", "opus", "vorbis"}
MUXER_OPTIONS = {
    # A browser's WebM may start at any timestamp: the copy's first one is 0, so the Duration
    # the muxer writes is the recording's length.
    "webm": {"avoid_negative_ts": "make_zero"},
    # MP4 and Ogg keep their own start (an edit list, a granule offset: the encoder's priming
    # samples), which shifting would add to the length.
    "mp4": {"movflags": "+faststart"},
    "ogg": {},
}
SUFFIXES = {"webm": ".webm", "mp4": ".mp4", "ogg": ".ogg"}
# What a failure to read or write media can raise inside PyAV, besides its own errors.
READ_ERRORS = (av.error.FFmpegError, EOFError, ValueError, OverflowError, UnicodeDecodeError)
UNREADABLE = "That recording cannot be read (it may be damaged or not a recording). Record again."

# EBML element ids (Matroska/WebM), marker bits kept.
EBML_HEADER, SEGMENT, CUES = 0x1A45DFA3, 0x18538067, 0x1C53BB6B


@dataclass(frozen=True)
class MediaInfo:
    """What a recording is: its container family ("webm", "mp4", "ogg"), its duration in
    seconds when the container states one (None for a browser's live WebM), whether it has
    video and audio, whether it is `seekable` (a stated duration and, for WebM, Cues), and its
    streams' codec names in stream order."""

    container: str
    duration_seconds: float | None
    has_video: bool
    has_audio: bool
    seekable: bool
    codecs: tuple[str, ...] = ()


# --- probe -----------------------------------------------------------------------------------


def probe(path_or_file) -> MediaInfo:
    """What the recording at a path (or in a binary file object, read from its start and left
    there) is. Guarantees: returns a `MediaInfo` for a WebM/Matroska, MP4/MOV or Ogg file with
    at least one audio or video packet; anything else (truncated header, another format, a PDF,
    HTML, NUL bytes, an empty file) raises `UploadRejected` with code "unreadable", never
    another error. A missing path raises `FileNotFoundError` (a caller's mistake, not a bad
    upload)."""
    _check_exists(path_or_file)
    try:
        source, family = _open_input(path_or_file)
        with source:
            streams = _media_streams(source)
            if next(_packets(source, streams), None) is None:
                raise UploadRejected(UNREADABLE, code="unreadable")
            duration = source.duration / av.time_base if source.duration else None
            codecs = tuple(stream.codec_context.name for stream in streams)
            types = {stream.type for stream in streams}
    except READ_ERRORS as error:
        raise UploadRejected(UNREADABLE, code="unreadable") from error
    finally:
        _rewind(path_or_file)
    seekable = duration is not None and (family != "webm" or _has_cues(path_or_file))
    return MediaInfo(family, duration, "video" in types, "audio" in types, seekable, codecs)


def _check_exists(path_or_file) -> None:
    if isinstance(path_or_file, str | os.PathLike) and not Path(path_or_file).is_file():
        raise FileNotFoundError(path_or_file)


def _open_input(path_or_file):
    """The PyAV input container and the family its first bytes announce, or `UploadRejected`."""
    with _binary(path_or_file) as handle:
        family = sniff_media(handle.read(16))
    if family is None:
        raise UploadRejected(UNREADABLE, code="unreadable")
    source = path_or_file if hasattr(path_or_file, "read") else os.fspath(path_or_file)
    return av.open(source, "r", format=DEMUXERS[family]), family


def _rewind(path_or_file) -> None:
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)


def _media_streams(source) -> list:
    """The audio and video streams, or `UploadRejected` when there are none."""
    streams = [stream for stream in source.streams if stream.type in ("audio", "video")]
    if not streams:
        raise UploadRejected(UNREADABLE, code="unreadable")
    return streams


def _packets(source, streams):
    """The real packets of these streams (not the empty ones that mark the end)."""
    for packet in source.demux(streams):
        if packet.size:
            yield packet


def _has_cues(path_or_file) -> bool:
    """Whether a Matroska file has a whole Cues element among the Segment's top-level children.
    A child of unknown size (a browser's live Cluster) ends the walk: none can follow it
    that we could find without parsing the media."""
    with _binary(path_or_file) as handle:
        end = handle.seek(0, os.SEEK_END)
        handle.seek(0)
        try:
            if _read_id(handle) != EBML_HEADER:
                return False
            handle.seek(_read_size(handle), os.SEEK_CUR)
            if _read_id(handle) != SEGMENT:
                return False
            _read_size(handle)
            while (element := _read_id(handle)) is not None:
                size = _read_size(handle)
                if size is None:
                    return False
                if element == CUES:
                    return handle.tell() + size <= end
                handle.seek(size, os.SEEK_CUR)
        except (ValueError, TypeError):
            return False
    return False


class _binary:
    """A file object at its start: the one given (rewound again on the way out), or one opened
    from the path."""

    def __init__(self, path_or_file):
        self.given = path_or_file if hasattr(path_or_file, "read") else None
        self.path = None if self.given else path_or_file

    def __enter__(self):
        self.handle = self.given or open(self.path, "rb")  # noqa: SIM115 (closed in __exit__)
        self.handle.seek(0)
        return self.handle

    def __exit__(self, *exc):
        if self.given:
            self.given.seek(0)
        else:
            self.handle.close()


def _read_vint(handle) -> tuple[int, int] | None:
    """An EBML variable-length integer: (raw value with its marker bit, length), None at EOF."""
    first = handle.read(1)
    if not first:
        return None
    if first[0] == 0:
        raise ValueError("not an EBML integer")
    length = 9 - first[0].bit_length()
    rest = handle.read(length - 1)
    if len(rest) != length - 1:
        return None
    return int.from_bytes(first + rest, "big"), length


def _read_id(handle) -> int | None:
    found = _read_vint(handle)
    return found[0] if found else None


def _read_size(handle) -> int | None:
    """An element's size, None when unknown (all value bits set), `ValueError` at EOF."""
    found = _read_vint(handle)
    if found is None:
        raise ValueError("EOF in an element size")
    raw, length = found
    value = raw & ((1 << (7 * length)) - 1)
    return None if value == (1 << (7 * length)) - 1 else value


# --- remux -----------------------------------------------------------------------------------


def remux(source, destination) -> MediaInfo:
    """Copy every audio and video stream of `source` (a path or a binary file object) into a
    new file of the same family at `destination` (a path, replaced only on success, or a
    writable binary file object, written from its current position), and return the probe of
    the result. Guarantees: no re-encode (the same packets and codecs); a WebM's timestamps
    shifted so the first is 0; timestamps made increasing where a recorder left them out of
    order, a packet with no timestamp at all dropped; WebM out has a Duration and Cues, MP4 out
    has `moov` before `mdat`; the work goes through a temporary file beside the destination,
    never wholly through memory. A source that cannot be read raises `UploadRejected`
    ("unreadable")."""
    family = probe(source).container
    destination_dir = None if hasattr(destination, "write") else Path(destination).parent
    descriptor, temporary = tempfile.mkstemp(suffix=SUFFIXES[family], dir=destination_dir)
    os.close(descriptor)
    try:
        _remux_to(source, temporary, family)
        info = probe(temporary)
        if destination_dir is None:
            with open(temporary, "rb") as written:
                shutil.copyfileobj(written, destination)
        else:
            os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return info


def _remux_to(source, path: str, family: str) -> None:
    """Write the copy of `source` to the file at `path`."""
    try:
        reader, _ = _open_input(source)
        with reader:
            streams = _media_streams(reader)
            muxer = _muxer_for(family, streams)
            with av.open(path, "w", format=muxer, options=MUXER_OPTIONS[family]) as writer:
                outputs = {s.index: writer.add_stream_from_template(s) for s in streams}
                copied = _copy_packets(reader, writer, streams, outputs, strict=family == "mp4")
    except READ_ERRORS as error:
        raise UploadRejected(UNREADABLE, code="unreadable") from error
    finally:
        _rewind(source)
    if not copied:
        raise UploadRejected(UNREADABLE, code="unreadable")


def _muxer_for(family: str, streams) -> str:
    if family == "webm":
        names = {stream.codec_context.name for stream in streams}
        return "webm" if names <= WEBM_CODECS else "matroska"
    return family


def _copy_packets(reader, writer, streams, outputs, *, strict: bool) -> int:
    """Mux the real packets of `streams` into `outputs` (by input stream index); the number
    written. A packet with neither pts nor dts is dropped; a missing one is set from the other;
    a dts that goes back (or, for a `strict` muxer like MP4's, repeats) is moved just past the
    last one. A read error after some packets ends the copy there (a recording cut short is
    kept as far as it goes)."""
    last_dts: dict[int, int] = {}
    copied = dropped = 0
    packets = _packets(reader, streams)
    while True:
        try:
            packet = next(packets, None)
        except READ_ERRORS:
            if not copied:
                raise
            logger.warning("media: read error after %d packets; the copy ends there", copied)
            break
        if packet is None:
            break
        index = packet.stream.index
        if not _fix_timestamps(packet, last_dts.get(index), strict=strict):
            dropped += 1
            continue
        last_dts[index] = packet.dts
        packet.stream = outputs[index]
        writer.mux(packet)
        copied += 1
    if dropped:
        logger.warning("media: %d packets without timestamps dropped", dropped)
    return copied


def _fix_timestamps(packet, last_dts: int | None, *, strict: bool) -> bool:
    """Make the packet's pts and dts usable by a muxer; False when it has neither."""
    if packet.pts is None and packet.dts is None:
        return False
    if packet.pts is None:
        packet.pts = packet.dts
    if packet.dts is None:
        packet.dts = packet.pts
    if last_dts is not None and (packet.dts < last_dts or (strict and packet.dts == last_dts)):
        packet.dts = last_dts + 1
        packet.pts = max(packet.pts, packet.dts)
    return True


# --- samples ---------------------------------------------------------------------------------

SAMPLE_RATE = 48000
FRAMES_PER_SECOND = 15


def make_sample(
    path,
    *,
    seconds: float,
    container: str = "webm",
    video: bool = True,
    width: int = 320,
    height: int = 240,
    live: bool = False,
    start_seconds: float = 0.0,
) -> MediaInfo:
    """Write a real recording of `seconds` to `path` and return its probe: a moving bar over a
    gradient (15 frames a second, when `video`) and a 440 Hz tone (mono, 48 kHz), encoded with
    what the PyAV wheel has: WebM VP8 + Opus (or Vorbis), MP4 H.264 (libx264, else MPEG-4
    Part 2) + AAC with `moov` after `mdat` (as a plain muxer writes it), Ogg Opus (or Vorbis,
    audio only). With `live` (WebM only) it is written as a browser writes it: no Duration, no
    Cues, not seekable. `start_seconds` makes the first timestamps start later than 0, as some
    recorders do."""
    if container not in SUFFIXES:
        raise ValueError(f"container must be one of {sorted(SUFFIXES)}")
    if container == "ogg" and video:
        raise ValueError("an Ogg sample is audio only")
    if live and container != "webm":
        raise ValueError("only a WebM sample can be written live")
    if width % 2 or height % 2:
        raise ValueError("width and height must be even")
    options = {"live": "1"} if live else {}
    with av.open(os.fspath(path), "w", format=container, options=options) as output:
        picture = _add_video_stream(output, container, width, height) if video else None
        sound = _add_audio_stream(output, container)
        first = round(start_seconds * SAMPLE_RATE)
        for start, count in _chunks(round(seconds * SAMPLE_RATE), 960):
            if picture is not None:
                _write_video(output, picture, start, start + count, start_seconds)
            output.mux(sound.encode(_tone(first + start, count, sound.layout.name)))
        for stream in (picture, sound):
            if stream is not None:
                output.mux(stream.encode(None))
    return probe(path)


def _first_codec(*names: str) -> str:
    for name in names:
        try:
            av.codec.Codec(name, "w")
        except (av.codec.codec.UnknownCodecError, ValueError):
            continue
        return name
    raise RuntimeError(f"this PyAV build has none of the encoders {names}")


def _add_video_stream(output, container: str, width: int, height: int):
    if container == "webm":
        stream = output.add_stream(_first_codec("libvpx", "libvpx-vp9"), rate=FRAMES_PER_SECOND)
        stream.options = {"deadline": "realtime", "cpu-used": "8"}
    else:
        stream = output.add_stream(_first_codec("libx264", "mpeg4"), rate=FRAMES_PER_SECOND)
        if stream.codec_context.name == "libx264":
            stream.options = {"preset": "ultrafast"}
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    return stream


def _add_audio_stream(output, container: str):
    if container == "mp4":
        return output.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
    stream = output.add_stream(_first_codec("libopus", "libvorbis", "vorbis"), rate=SAMPLE_RATE)
    stream.layout = "mono" if stream.codec_context.name != "vorbis" else "stereo"
    if stream.codec_context.name == "vorbis":
        stream.codec_context.options = {"strict": "experimental"}
    return stream


def _chunks(total: int, size: int):
    for start in range(0, total, size):
        yield start, min(size, total - start)


def _write_video(output, stream, start: int, end: int, start_seconds: float) -> None:
    """The frames that fall in audio samples [start, end) of the sample."""
    first = round(start_seconds * FRAMES_PER_SECOND)
    per_frame = SAMPLE_RATE // FRAMES_PER_SECOND
    for number in range(-(-start // per_frame), -(-end // per_frame)):
        frame = _test_pattern(number, stream.width, stream.height)
        frame.pts = first + number
        output.mux(stream.encode(frame))


def _test_pattern(number: int, width: int, height: int):
    """A gradient with a white bar that moves 4 pixels a frame, tinted each second."""
    frame = av.VideoFrame(width, height, "yuv420p")
    bar = (number * 4) % width
    luma, blue, red = frame.planes
    row = bytearray(luma.line_size)
    for x in range(width):
        row[x] = 235 if bar <= x < bar + 16 else 16 + 200 * x // width
    luma.update(bytes(row) * height)
    tint = 40 if (number // FRAMES_PER_SECOND) % 2 else -40
    blue.update(bytes([128 + tint]) * blue.buffer_size)
    red.update(bytes([128 - tint]) * red.buffer_size)
    return frame


def _tone(start: int, count: int, layout: str):
    """`count` samples of a 440 Hz tone from sample `start` (s16, one plane, every channel)."""
    channels = 2 if layout == "stereo" else 1
    samples = array.array(
        "h",
        (
            int(8000 * math.sin(2 * math.pi * 440 * (start + k // channels) / SAMPLE_RATE))
            for k in range(count * channels)
        ),
    )
    frame = av.AudioFrame(format="s16", layout=layout, samples=count)
    data = samples.tobytes()
    frame.planes[0].update(data.ljust(frame.planes[0].buffer_size, b"\0"))
    frame.sample_rate = SAMPLE_RATE
    frame.pts = start
    return frame
