# Replaces PyInstaller's own hook for PySide6.QtGui (a spec's hookspath wins): the same
# collection, less the plugins the kiosk never loads. They go before the dependency analysis,
# so the libraries only they link (GTK3 and its chain for the GTK theme, Qt Pdf for the PDF
# image reader, the virtual keyboard, EGLFS, Qt Svg) are never collected either.
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Kept on Linux (other systems name their plugins differently and keep PyInstaller's choice):
# the window on X11 (xcb and its GL integration) or Wayland (`kiosk run` accepts both),
# offscreen for `doctor` and the headless demo, compose and IBus input (the admin screen's
# text fields), and the desktop portal theme for the admin's folder dialog. The window draws
# its frames from numpy and saves PNG screenshots, both built into QtGui: no image format
# or icon engine plugin is loaded.
KEEP = (
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations/",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    "platformthemes/libqxdgdesktopportal.so",
    "wayland-shell-integration/",
    "wayland-graphics-integration-client/",
    # Adwaita draws its buttons from SVG (Qt Svg); Bradient is Qt's default.
    "wayland-decoration-client/libbradient.so",
)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
if sys.platform.startswith("linux"):
    binaries = [(src, dest) for src, dest in binaries if any(k in f"{dest}/{src.rsplit('/', 1)[-1]}" for k in KEEP)]
