"""What every workbook of the addon shares: texts written as texts, and file
names any system takes. No ORM here."""

import re

import xlsxwriter

# a text typed by a user (``=HYPERLINK(...)``, ``http://...``) stays a text:
# never a live formula or link in the reader's spreadsheet
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def workbook(stream):
    """An in-memory workbook writing into ``stream`` with ``OPTIONS``."""
    return xlsxwriter.Workbook(stream, OPTIONS)


def file_stem(text, default):
    """``text`` as the stem of a file name every system and browser takes: no
    path separators (a region's path "China / East China"), no characters that
    end a URL's path (``?``, ``#``), no control characters; ``default`` when
    nothing is left."""
    stem = re.sub(r'[\\/?#%*:|"<>\x00-\x1f]+', "-", text or "")
    stem = re.sub(r"\s+", " ", stem).strip(" .-")
    return stem[:100] or default
