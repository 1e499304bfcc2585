"""Just enough of an ELF reader for packaging: a shared library's needed libraries and its symbols.

Read straight from the file (64-bit little-endian ELF, as on x86-64 and arm64 Linux), so that the
spec does not lean on PyInstaller's internals or on the output format of binutils.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

SHT_DYNSYM, SHT_DYNAMIC, DT_NEEDED = 11, 6, 1


@dataclass(frozen=True)
class Section:
    kind: int
    address: int
    offset: int
    size: int
    link: int
    entry_size: int


@dataclass(frozen=True)
class Symbol:
    name: str
    offset: int  # in the file
    size: int


class ElfFile:
    """One 64-bit little-endian ELF file, read once."""

    def __init__(self, path: Path) -> None:
        self.data = Path(path).read_bytes()
        if self.data[:4] != b"\x7fELF" or self.data[4] != 2 or self.data[5] != 1:
            raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
        shoff, = struct.unpack_from("<Q", self.data, 0x28)
        entry_size, count = struct.unpack_from("<HH", self.data, 0x3A)
        self.sections = []
        for i in range(count):
            _, kind, _, address, offset, size, link, _, _, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", self.data, shoff + i * entry_size)
            self.sections.append(Section(kind, address, offset, size, link, entsize))

    def _string(self, table: Section, at: int) -> str:
        start = table.offset + at
        return self.data[start:self.data.index(b"\0", start)].decode()

    def needed(self) -> list[str]:
        """The DT_NEEDED names: the libraries the dynamic loader loads with this one."""
        names = []
        for section in self.sections:
            if section.kind == SHT_DYNAMIC:
                for at in range(section.offset, section.offset + section.size, 16):
                    tag, value = struct.unpack_from("<qQ", self.data, at)
                    if tag == DT_NEEDED:
                        names.append(self._string(self.sections[section.link], value))
        return names

    def defined_symbols(self) -> list[Symbol]:
        """The dynamic symbols this file defines, with where their bytes are in the file."""
        symbols = []
        for section in self.sections:
            if section.kind != SHT_DYNSYM:
                continue
            for at in range(section.offset, section.offset + section.size, section.entry_size):
                name_at, _, _, index, value, size = struct.unpack_from("<IBBHQQ", self.data, at)
                if 0 < index < len(self.sections):
                    home = self.sections[index]
                    symbols.append(Symbol(self._string(self.sections[section.link], name_at),
                                          value - home.address + home.offset, size))
        return symbols
