"""Replaces PyInstaller's hook for PySide6.QtGui: see bundle_contents.qt_module_contents."""

import bundle_contents

hiddenimports, binaries, datas = bundle_contents.qt_module_contents(__file__)
