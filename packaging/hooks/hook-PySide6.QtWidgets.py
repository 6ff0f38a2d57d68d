"""Replaces PyInstaller's hook for PySide6.QtWidgets: the same files, less the Qt plugins and translations
the app never loads (packaging/bundle_contents.py says which are kept). Filtering here, before
PyInstaller follows each file's library dependencies, keeps out what only those plugins need
(GTK, Wayland, OpenGL, QtNetwork)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

import bundle_contents

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = bundle_contents.only_needed_qt_files(binaries)
datas = bundle_contents.only_needed_qt_files(datas)
