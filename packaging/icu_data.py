"""Builds a smaller ICU data library for the bundle, holding only what Qt asks ICU for.

PySide6's libicudata.so.73 is 31 MB: one array, exported as the symbol ``icudt73_dat``, in ICU's
"common data" format (a header, a table of contents sorted by item name, then the items). QtCore
is its only user in the bundle, and QtCore calls ICU for four things only (``nm -D --undefined-only
libQt6Core.so.6``): collation (QCollator: QFileDialog sorts file names with it), time-zone names
(QTimeZone::displayName, QLocale's long date formats), text codecs by name (QStringDecoder), and
locale-aware case mapping. So this keeps the collation data, the time-zone data and names and the
locale tree's indexes; case mapping needs none (its tables are compiled into libicuuc). Dropped:
the legacy codecs' tables (*.cnv: Qt's own UTF-8/16/32 and Latin-1 do not use ICU; a decoder
asked for e.g. Shift_JIS now says it is invalid), break-iteration dictionaries, transliteration,
number spell-out, and the names of languages, regions, currencies and units, none of which QtCore
can reach: 31 MB become 7.6 MB. ``packaging/check_icu.py`` (run by build.sh) checks that Qt computes
the same with both data libraries, but for two intended losses: those codecs, and native digits
in time-zone names' GMT offsets (ar: "غرينتش+2" for "غرينتش+٢"), which need each locale's bundle.

The new library has the same soname and exports the same symbol; binutils (``as``, ``ld``, which
PyInstaller and build.sh's ``strip`` need anyway) embed the reduced array with ``.incbin``.

    python packaging/icu_data.py SOURCE.so OUT.so
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from elf_files import ElfFile

#: Items kept, as regular expressions on the item's name inside the package (e.g. "coll/de.res").
KEEP = (
    r"coll/.*",                        # collation: every locale's tailoring and the root (ucadata.icu)
    r"zone/.*",                        # time-zone display names, every locale
    r"(zoneinfo64|metaZones|timezoneTypes|windowsZones)\.res",  # the zones themselves
    r"(res_index|root|pool|supplementalData|likelySubtags|metadata)\.res",  # locale tree and fallback
    r"(keyTypeData|numberingSystems)\.res",  # zone aliases (Asia/Kolkata), digits of "GMT+2"
    r"cnvalias\.icu",                  # codec names: a request by name fails cleanly without tables
)


def _items(common: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, bytes) items of an ICU common-data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", common, 0)
    if (magic1, magic2) != (0xDA, 0x27) or common[12:16] != b"CmnD":  # DataHeader, format "CmnD"
        raise ValueError("not an ICU common-data package")
    toc = common[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    starts = sorted({data_at for _, data_at in entries}) + [len(toc)]
    items = []
    for name_at, data_at in entries:  # an item runs to the next item's start (or the end)
        name = toc[name_at:toc.index(b"\0", name_at)].decode("ascii")
        items.append((name, toc[data_at:starts[starts.index(data_at) + 1]]))
    return common[:header_size], items


def _package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common-data package of these items (kept in their sorted order), 16-byte aligned."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    data_at = -(-(table_size + len(names)) // 16) * 16
    entries, blobs, name_at = [], [], table_size
    for name, blob in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = blob + b"\0" * (-len(blob) % 16)
        blobs.append(padded)
        data_at += len(padded)
    table = struct.pack("<I", len(items)) + b"".join(entries) + names
    table += b"\0" * (-len(table) % 16)
    return header + table + b"".join(blobs)


def reduce_icu_data(source: Path, out: Path, keep: tuple[str, ...] = KEEP) -> tuple[int, int]:
    """Writes the reduced library to ``out``; returns (items kept, items in the source)."""
    if not re.fullmatch(r"libicudata\.so\.\d+", source.name):
        raise ValueError(f"{source}: expected ICU's data library, named by its soname")
    library = ElfFile(source)
    symbol = next(s for s in library.defined_symbols() if re.fullmatch(r"icudt\d+_dat", s.name))
    header, items = _items(library.data[symbol.offset:symbol.offset + symbol.size])
    rule = re.compile("|".join(f"(?:{k})" for k in keep))
    kept = [(name, blob) for name, blob in items if rule.fullmatch(name.split("/", 1)[1])]
    with tempfile.TemporaryDirectory() as work:
        dat, asm, obj = Path(work) / "icudt.dat", Path(work) / "icudt.s", Path(work) / "icudt.o"
        dat.write_bytes(_package(header, kept))
        asm.write_text(f"""\t.section .rodata
\t.globl {symbol.name}
\t.type {symbol.name}, %object
\t.balign 16
{symbol.name}:
\t.incbin "{dat}"
\t.size {symbol.name}, . - {symbol.name}
\t.section .note.GNU-stack,"",%progbits
""")
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        subprocess.run(["ld", "-shared", "-soname", source.name, "-z", "noexecstack", "-o", str(out), str(obj)],
                       check=True)
    return len(kept), len(items)


if __name__ == "__main__":
    kept, total = reduce_icu_data(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"ICU data: kept {kept} of {total} items, {Path(sys.argv[2]).stat().st_size / 1e6:.1f} MB")
