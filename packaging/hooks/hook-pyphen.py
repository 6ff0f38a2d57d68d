"""Replaces the community hook for Pyphen (WeasyPrint's hyphenation), which collects the dictionaries
of some seventy languages (6 MB). The report never hyphenates (no `hyphens: auto` in
report_templates/report.css), so only English is kept, for the day it does."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("pyphen", includes=["dictionaries/hyph_en*"])
