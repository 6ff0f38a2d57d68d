"""Replaces PyInstaller's hook for the PySide6 package: the same, without the Windows OpenGL
fallbacks (opengl32sw.dll, a 20 MB software OpenGL, and the Direct3D shader compiler). The app's
widgets are drawn by Qt's raster engine; nothing in it uses OpenGL or Qt's RHI."""

from PyInstaller.utils.hooks import check_requirement
from PyInstaller.utils.hooks.qt import ensure_single_qt_bindings_package, pyside6_library_info

import bundle_contents

ensure_single_qt_bindings_package("PySide6")

if pyside6_library_info.version is not None:
    hiddenimports = ["shiboken6", "inspect"]
    # PySide6 6.4+ needs this for the | and & operators of Qt's key and modifier enums.
    if check_requirement("PySide6 >= 6.4.0"):
        hiddenimports += ["PySide6.support.deprecated"]
    binaries = bundle_contents.without_opengl_fallbacks(pyside6_library_info.collect_extra_binaries())
