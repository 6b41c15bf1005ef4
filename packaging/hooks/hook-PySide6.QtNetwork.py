# Replaces PyInstaller's own hook for PySide6.QtNetwork (see hook-PySide6.QtGui.py): QtNetwork
# comes in only because QtMultimedia links it. The kiosk's HTTP goes through requests and
# Python's ssl, so Qt's TLS backends, its network-information plugins and the OpenSSL copies
# PyInstaller's hook adds for Qt are never loaded.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if "/plugins/" not in f"/{dest}/"]
