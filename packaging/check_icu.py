"""Checks the bundle's reduced ICU data: Qt must compute the same as with PySide6's full data.

Runs one probe twice in fresh processes of the build's Python, once with PySide6's own
libicudata and once with the reduced one loaded first (LD_PRELOAD: same soname, so QtCore takes
it), and compares what QtCore asks ICU for: collation in many locales (what QFileDialog sorts
with), time-zone names (QTimeZone, QLocale's long date formats) and locale case mapping. Two
differences are intended and allowed: codecs that need ICU's conversion tables (Shift_JIS,
windows-1252, ...) are no longer available, while UTF-8/16/32, Latin-1 and ASCII still are; and
GMT offsets in time-zone names are written in Latin digits in locales with their own digits
(ar: "غرينتش+2" instead of "غرينتش+٢"), because the locales' number data is not kept.

    python packaging/check_icu.py REDUCED/libicudata.so.NN
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

PROBE = r'''
import functools
from PySide6.QtCore import (QCollator, QCoreApplication, QDate, QDateTime, QLocale, QStringDecoder, QTime,
                            QTimeZone, Qt, qInstallMessageHandler)
messages = []
qInstallMessageHandler(lambda mode, context, text: messages.append(text))
app = QCoreApplication([])
print("data", next(line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line))
words = ["Äpfel", "apple", "Zebra", "zebra", "Ørsted", "Åland", "ça", "cote", "côte", "coté", "file10", "file9",
         "中文", "日本", "한국", "ıi", "İI", "Ångström", "ch", "cz", "hz", "Ll", "lz", "ñ", "nz", "öl", "oz", "þ", "ß"]
for name in ["C", "en_US", "de_DE", "sv_SE", "da_DK", "tr_TR", "es_ES", "cs_CZ", "fr_FR", "zh_CN", "ja_JP", "ko_KR",
             "is_IS", "pl_PL", "ar_EG", "xx_YY"]:
    for numeric in (False, True):
        collator = QCollator(QLocale(name))
        collator.setNumericMode(numeric)
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive if numeric else Qt.CaseSensitivity.CaseSensitive)
        print("collation", name, numeric, " ".join(sorted(words, key=functools.cmp_to_key(collator.compare))))
for zone_id in [b"Europe/Berlin", b"America/New_York", b"Asia/Kolkata", b"UTC", b"Australia/Lord_Howe", b"US/Pacific"]:
    zone = QTimeZone(zone_id)
    moment = QDateTime(QDate(2024, 7, 1), QTime(12, 0), zone)
    for name in ["en_US", "de_DE", "ja_JP", "ar_EG"]:
        locale = QLocale(name)
        print("zone", zone_id.decode(), name, zone.isValid(), zone.displayName(moment, QTimeZone.NameType.LongName, locale),
              "|", zone.displayName(moment, QTimeZone.NameType.ShortName, locale),
              "|", zone.displayName(QTimeZone.TimeType.GenericTime, QTimeZone.NameType.LongName, locale),
              "|", zone.abbreviation(moment), zone.offsetFromUtc(moment),
              "|", locale.toString(moment, QLocale.FormatType.LongFormat))
print("zone count", len(QTimeZone.availableTimeZoneIds()))
for name in ["UTF-8", "UTF-16", "UTF-32", "ISO-8859-1", "US-ASCII", "Shift_JIS", "windows-1252"]:
    print("codec", name, QStringDecoder(name).isValid())
for name, text in [("tr_TR", "istanbul IŞIK"), ("de_DE", "straße"), ("el_GR", "άδεια"), ("lt_LT", "i̇̀"),
                   ("nl_NL", "ijsland"), ("en_US", "ǆemal")]:
    print("case", name, QLocale(name).toUpper(text), QLocale(name).toLower(text))
for text in messages:
    print("message", text)
'''

#: Codecs that ICU computes without tables (or Qt without ICU): they must stay available.
TABLE_FREE_CODECS = {"UTF-8", "UTF-16", "UTF-32", "ISO-8859-1", "US-ASCII"}


def probe(preload: str | None) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = preload
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"check_icu: the probe failed:\n{done.stderr[-2000:]}")
    return done.stdout.splitlines()


def latin_digits(line: str) -> str:
    return "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c for c in line)


def differences(full: list[str], reduced: list[str]) -> list[str]:
    problems = []
    if len(full) != len(reduced):
        return [f"{len(full)} lines with the full data, {len(reduced)} with the reduced data"]
    for before, after in zip(full[1:], reduced[1:]):  # line 0 names the data library
        if before.startswith("codec "):
            name, valid = after.split()[1], after.split()[2] == "True"
            if name in TABLE_FREE_CODECS and not valid:
                problems.append(f"{name} is no longer available: {after}")
        elif before.startswith("zone ") and latin_digits(before) == latin_digits(after):
            continue
        elif before != after:
            problems.append(f"full:    {before}\n  reduced: {after}")
    return problems


def main(reduced_library: str) -> int:
    reduced_library = os.path.abspath(reduced_library)
    full, reduced = probe(None), probe(reduced_library)
    if reduced[0] != f"data {reduced_library}":
        print(f"check_icu: the reduced data was not the one loaded ({reduced[0]})", file=sys.stderr)
        return 1
    problems = differences(full, reduced)
    for problem in problems:
        print(f"check_icu: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_icu: Qt collates, names time zones and maps case the same with {reduced_library}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
