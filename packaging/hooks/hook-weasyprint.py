"""Replaces the community hook for WeasyPrint, which looks for Pango & co with ctypes and copies the
build machine's /etc/fonts. The spec adds the libraries itself, from the places each OS's build
keeps them (packaging/bundle_contents.py), and the app brings its own Fontconfig configuration."""

from PyInstaller.utils.hooks import collect_data_files

# WeasyPrint's default style sheets and its sRGB profile for PDF/A.
datas = collect_data_files("weasyprint")
