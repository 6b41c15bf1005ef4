# Replaces PyInstaller's own hook for PySide6.QtMultimedia (see hook-PySide6.QtGui.py). The
# kiosk plays its verdict sounds with QSoundEffect and asks QMediaDevices for an output: on
# Linux both live in libQt6Multimedia itself (PulseAudio), without a backend plugin. The FFmpeg
# backend, for media playback and capture the kiosk does not do, links Qt's own FFmpeg, Qt
# Quick and QML (about 35 MB); without it Qt logs once that no backend was found and plays
# the sounds all the same (the bundle test's "sounds" check). Nor does the kiosk import
# QtMultimediaWidgets, which PyInstaller's hook adds.
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
if sys.platform.startswith("linux"):
    binaries = [(src, dest) for src, dest in binaries if "/plugins/multimedia" not in f"/{dest}"]
