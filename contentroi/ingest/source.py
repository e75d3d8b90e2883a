"""Step 1, bytes: the source (path, bytes or file-like) made a file on disk, its kind
(.xlsx by its zip signature, else text), its text encoding decided in Python (BOM, strict
UTF-8, GB18030, charset-normalizer last) and anything but UTF-8 transcoded, streamed."""
from __future__ import annotations

import codecs
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import bounds
from .result import RefusedFile, Source

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class _Workspace:
    """A temporary directory holding the materialised source and derived files."""

    def __init__(self, source: Source, file_name: str | None):
        self._tmp = tempfile.TemporaryDirectory(prefix="contentroi-ingest-")
        self.dir = Path(self._tmp.name)
        try:
            self.path, self.name = self._materialise(source, file_name)
        except BaseException:
            self._tmp.cleanup()
            raise

    def _materialise(self, source: Source, file_name: str | None) -> tuple[Path, str]:
        if isinstance(source, (str, os.PathLike)):
            p = Path(source)
            if not p.is_file():
                raise RefusedFile(f"cannot open the file {p}: it does not exist or is not a file")
            return p, file_name or p.name
        dest = self.dir / "source.bin"
        if isinstance(source, (bytes, bytearray, memoryview)):
            dest.write_bytes(bytes(source))
            return dest, file_name or "upload"
        if hasattr(source, "read"):
            if hasattr(source, "seek"):
                try:
                    source.seek(0)
                except (OSError, ValueError):
                    pass
            with open(dest, "wb") as out:
                shutil.copyfileobj(source, out, bounds.CHUNK_BYTES)
            name = file_name or os.path.basename(str(getattr(source, "name", "") or "")) or "upload"
            return dest, name
        raise TypeError(f"cannot read a file from {type(source).__name__}")

    def new_path(self, suffix: str) -> Path:
        return self.dir / f"{uuid.uuid4().hex}{suffix}"

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> "_Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _kind(path: Path, name: str) -> str:
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return "xlsx"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RefusedFile("this is an old binary Excel file (.xls); save it as .xlsx or CSV and upload that")
    if name.lower().endswith((".xlsx", ".xlsm")) and magic:
        raise RefusedFile("the file is named .xlsx but is not an Excel workbook")
    return "csv"


@dataclass
class _Encoding:
    label: str        # reported name
    codec: str        # Python codec used to decode
    errors: str = "strict"
    transcode: bool = True
    note: str | None = None   # said in the load message


def _detect_encoding(head: bytes, complete: bool) -> _Encoding:
    if head.startswith(codecs.BOM_UTF8):
        return _Encoding("utf-8-sig", "utf-8-sig", transcode=False)
    if head.startswith(codecs.BOM_UTF16_LE):
        return _Encoding("utf-16-le", "utf-16")
    if head.startswith(codecs.BOM_UTF16_BE):
        return _Encoding("utf-16-be", "utf-16")
    # BOM-less UTF-16: ASCII text shows as every other byte NUL.
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > 3 * even:
            return _Encoding("utf-16-le", "utf-16-le")
        if even > 3 * odd:
            return _Encoding("utf-16-be", "utf-16-be")
    try:
        text = codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
        if not _gbk_posing_as_utf8(text, head, complete):
            return _Encoding("utf-8", "utf-8", transcode=False)
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=complete)
        return _Encoding("gb18030", "gb18030")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few bad bytes (a damaged export): keep the UTF-8 text.
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if len(_NON_ASCII.findall(text)) - bad >= max(1, bad):
        return _Encoding("utf-8", "utf-8", errors="replace",
                         note="some bytes were not valid UTF-8 and were replaced by \ufffd")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
    except Exception:  # pragma: no cover - library trouble
        best = None
    if best is None or not best.encoding:
        raise RefusedFile("cannot tell the text encoding of the file; save it as UTF-8 CSV (or .xlsx) and try again")
    return _Encoding(best.encoding, best.encoding, errors="replace",
                     note=f"the text encoding was guessed as {best.encoding}")


def _gbk_posing_as_utf8(text: str, head: bytes, complete: bool) -> bool:
    """A short GBK text can be valid UTF-8 by chance ('群' = C8 BA = 'Ⱥ').

    Chinese in UTF-8 takes three bytes; GBK pairs read as UTF-8 give two-byte
    characters (Latin Extended-B, Hebrew, ...). So: no character of three
    bytes or more, some two-byte characters outside the common accented
    Latin letters, and the bytes read as GB18030 give Chinese -> GB18030."""
    odd = False
    for ch in set(_NON_ASCII.findall(text)):
        o = ord(ch)
        if o >= 0x800:
            return False
        if not 0xA0 <= o <= 0x17F:
            odd = True
    if not odd:
        return False
    try:
        g = codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in g)



# -- streaming validation / transcoding ------------------------------------
_BLANK_LINE = re.compile(rb"\n\r?\n")
_NOT_NEWLINE = re.compile(rb"[^\r\n]")


class _BlankTracker:
    """Notices an empty line that has content after it (DuckDB skips such a
    line but counts it in its record numbers)."""

    def __init__(self):
        self.tail = b""
        self.pending = False
        self.found = False
        self.lf = 0
        self.crlf = 0
        self.cr = 0

    @property
    def mixed_newlines(self) -> bool:
        """Some lines end CRLF and some LF, or a CR stands alone (old Mac line
        ends, or a stray CR in a field): DuckDB's strict parser raises on a
        lone CR in an LF file, and blank-line tracking only knows LF."""
        return 0 < self.crlf < self.lf or self.cr > self.crlf

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        buf = self.tail + chunk
        self.lf += chunk.count(b"\n")
        self.crlf += buf.count(b"\r\n") - self.tail.count(b"\r\n")
        self.cr += chunk.count(b"\r")
        if not self.found:
            if self.pending and _NOT_NEWLINE.search(chunk):
                self.found = True
            else:
                m = _BLANK_LINE.search(buf)
                if m:
                    if _NOT_NEWLINE.search(buf, m.end()):
                        self.found = True
                    else:
                        self.pending = True
        self.tail = buf[-2:]



_UTF8_WIDE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")  # a 3-byte UTF-8 character (CJK)


def _utf8_start(data: bytes, block: int = 1 << 16) -> int | None:
    """Where ``data`` (read as GB18030) turns into UTF-8 text: the offset of the first
    line after which every line up to a block of UTF-8 Chinese decodes as UTF-8; None
    when no such block is found. GBK text is almost never valid UTF-8, while UTF-8
    Chinese often is valid GB18030 (read as other characters, without an error)."""
    for o in range(0, len(data), block):
        blk = data[o:o + block]
        start = blk.find(b"\n") + 1 if o else 0
        end = blk.rfind(b"\n") + 1 or len(blk)
        seg = blk[start:end]
        if seg.isascii() or not _UTF8_WIDE.search(seg):
            continue
        try:
            seg.decode("utf-8")
            pos = o + start
        except UnicodeDecodeError:  # a mixed block: is its last line UTF-8?
            last = seg.rfind(b"\n", 0, len(seg) - 1) + 1
            try:
                seg[last:].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not _UTF8_WIDE.search(seg, last):
                continue
            pos = o + start + last
        # walk back over the lines before it that are UTF-8 too
        while pos > 0:
            prev = data.rfind(b"\n", 0, pos - 1) + 1
            try:
                data[prev:pos].decode("utf-8")
            except UnicodeDecodeError:
                break
            pos = prev
        return pos
    return None


def _transcode(src: Path, dst: Path, enc: _Encoding) -> _BlankTracker:
    """Decode ``src`` with ``enc`` and write UTF-8 with LF line ends to ``dst``."""
    dec = codecs.getincrementaldecoder(enc.codec)(enc.errors)
    tracker = _BlankTracker()
    tracker.utf8_line = None  # type: ignore[attr-defined]
    first, held_cr = True, False
    lines = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        while True:
            chunk = f.read(bounds.CHUNK_BYTES)
            if enc.codec == "gb18030" and tracker.utf8_line is None and not chunk.isascii():  # type: ignore
                at = _utf8_start(chunk)
                if at is not None:
                    tracker.utf8_line = lines + chunk.count(b"\n", 0, at) + 1  # type: ignore
            lines += chunk.count(b"\n")
            text = dec.decode(chunk, final=not chunk)
            if held_cr:
                text, held_cr = "\r" + text, False
            if chunk and text.endswith("\r"):
                text, held_cr = text[:-1], True
            if first and text:
                text, first = text.lstrip("\ufeff"), False
            # every line end becomes LF; a lone CR (also one inside quotes) too
            data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
            tracker.feed(data)
            out.write(data)
            if not chunk:
                break
    return tracker

