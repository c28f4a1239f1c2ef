"""Checks a file must pass before it is parsed, so no file's shape can tie up the server.

Each check is linear in the file's bytes and refuses with a message saying what is wrong:
an empty file; a CSV that is really a workbook or binary data; a workbook whose zip is
damaged, or whose parts unpack past the limits; an XML token longer than any cell can hold
(Python's expat re-parses a token at every buffer it spans: quadratic time); a CSV header
or row wider than a sheet can be, or a line longer than the limit. The limits are in
rba.config.FILE_LIMITS.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib

from rba import config
from rba.messages import N_, Message
from rba.problems import InputRejected, Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
#: Markup that is one token however many < and > it holds.
_WHOLE_TOKENS = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_OPENERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
#: A stored number openpyxl cannot read ("NaN", "inf", "-Infinity"...).
_NOT_FINITE = re.compile(rb"<v>\s*[-+]?(?:nan|inf(?:inity)?)\s*</v>", re.I)


def reject(file: str, message: Message, sheet: str = "") -> InputRejected:
    """A refusal of the whole file (or sheet), naming it."""
    return InputRejected([Problem(file, sheet, None, None, None, message)])


def check_not_empty(data: bytes, file: str) -> None:
    """Refuse a file with no bytes (or only white space)."""
    if not data.strip():
        raise reject(file, Message(N_("the file is empty")))


def sniff_csv(data: bytes, file: str) -> str | None:
    """The encoding a CSV's bytes show (UTF-16 by its byte-order mark or its zero bytes),
    or None to decide from the text; refuse a workbook or binary data named .csv."""
    if data.startswith(ZIP_MAGIC):
        raise reject(file, Message(N_(
            "this is an Excel workbook (.xlsx), not a CSV: name it .xlsx and import it again")))
    if data.startswith(OLE_MAGIC):
        raise reject(file, Message(N_(
            "this is an old Excel workbook (.xls), not a CSV: save it as .xlsx or CSV in Excel")))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if not head.count(0):
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    if head.count(0) <= max(8, len(head) // 100):
        return None  # a stray NUL in a cell: the cell's check names it
    raise reject(file, Message(N_(
        "this is not a text file (it holds binary data): export the sheet as CSV, or import "
        "the .xlsx workbook")))


def check_csv_shape(text: str, delimiter: str, file: str, sheet: str) -> None:
    """Refuse a CSV with a header or row wider than a sheet can be, or a line longer than
    the limit, before any parser builds its columns."""
    limits = config.FILE_LIMITS
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > limits.line_chars:
            raise InputRejected([Problem(file, sheet, number, None, None, Message(
                N_("the line is {length:,} characters long; the limit is {limit:,}"),
                length=len(line), limit=limits.line_chars))])
        if line.count(delimiter) >= limits.columns:
            # Count real cells: delimiters inside quotes (in a note, say) do not count.
            width = max((len(r) for r in csv.reader(io.StringIO(line), delimiter=delimiter)),
                        default=0)
            if width > limits.columns:
                raise InputRejected([Problem(file, sheet, number, None, None, Message(
                    N_("{columns:,} columns; the limit is {limit}"), columns=width,
                    limit=limits.columns))])


def check_workbook(data: bytes, file: str) -> bool:
    """Refuse a damaged workbook, a zip bomb, a part past the limits or an oversize XML
    token; say whether any worksheet holds formulas."""
    limits = config.FILE_LIMITS
    if not data.startswith(ZIP_MAGIC):
        raise reject(file, Message(N_("not a .xlsx workbook (it is not a zip archive)")))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise reject(file, Message(N_("not a .xlsx workbook (it is not a zip archive)"))
                     ) from exc
    formulas = False
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.workbook_bytes:
            raise reject(file, Message(
                N_("the workbook unpacks to {size:,} bytes; the limit is {limit:,}"),
                size=total, limit=limits.workbook_bytes))
        for info in infos:
            if info.file_size > limits.part_bytes:
                raise reject(file, Message(
                    N_("the workbook's part {part} unpacks to {size:,} bytes; the limit is "
                       "{limit:,}"), part=info.filename, size=info.file_size,
                    limit=limits.part_bytes))
            try:
                body = _read_part(archive, info, limits.part_bytes)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                    RuntimeError, ValueError) as exc:
                raise reject(file, Message(
                    N_("the workbook is damaged ({part}: {error}): open it in Excel, save "
                       "it again and import the saved copy"), part=info.filename,
                    error=str(exc) or type(exc).__name__)) from exc
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            longest = oversize_token(body, limits.xml_token_bytes)
            if longest:
                raise reject(file, Message(
                    N_("the workbook's part {part} holds one piece of XML of {size:,} bytes; "
                       "the limit is {limit:,} (no cell holds that much)"),
                    part=info.filename, size=longest, limit=limits.xml_token_bytes))
            if info.filename.startswith("xl/worksheets/"):
                formulas = formulas or b"<f>" in body or b"<f " in body
                found = _NOT_FINITE.search(body)
                if found is not None:
                    raise reject(file, Message(
                        N_("a cell holds {value} where a number is stored: expected a "
                           "number (part {part})"),
                        value=found.group()[3:-4].decode("ascii", "replace").strip(),
                        part=info.filename))
    return formulas


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A part's bytes, never more than ``limit`` whatever its header claims (CRC checked)."""
    with archive.open(info) as stream:
        body = stream.read(limit + 1)
    if len(body) > limit:
        raise ValueError(f"unpacks past {limit:,} bytes")
    return body


def oversize_token(xml: bytes, limit: int) -> int:
    """Bytes of the first token of an XML document longer than ``limit`` (0 if none): a
    comment, CDATA section or processing instruction as a whole (an unfinished one runs to
    the end), else the text from one < to the next (a tag and the text after it)."""
    for match in _WHOLE_TOKENS.finditer(xml):
        if match.end() - match.start() > limit:
            return match.end() - match.start()
    for opener, closer in _OPENERS:
        start = xml.rfind(opener)
        if start >= 0 and xml.find(closer, start + len(opener)) < 0 and (
                len(xml) - start > limit):
            return len(xml) - start
    run = re.compile(rb"[^<]{%d,}" % limit).search(xml)
    return 0 if run is None else run.end() - run.start() + 1
