"""The window's language: load a compiled translation and swap it while the app runs.

Source text in the code is English; `kiosk/assets/i18n/<lang>.qm` carries Korean and
English (built by `scripts/i18n.py`). `install_language(app, "ko")` replaces the
translators installed before, so switching from the status bar needs no restart.

Qt then sends every widget a `QEvent.LanguageChange`. The pattern for view authors: set
every text in one `retranslate()` method, call it at the end of `__init__` and from
`changeEvent`; never keep a translated string anywhere else (it would stay in the old
language):

    class VerdictView(Retranslating, QWidget):  # changeEvent calls retranslate()
        def __init__(self, parent=None):
            super().__init__(parent)
            self._title = QLabel(self)
            self.retranslate()

        def retranslate(self):
            self._title.setText(self.tr("Admitted"))

Texts chosen by a value (a Reason, a health state) live in a table of
`QT_TRANSLATE_NOOP("Context", "English")` and are shown through
`QCoreApplication.translate("Context", text)` inside `retranslate()`. Texts that carry
numbers use Qt's own placeholders (`%1`, or `%n` with a count), never f-strings: the
translation must contain the same placeholders (`scripts/i18n.py check` enforces it).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from kiosk.ui.resources import assets

log = logging.getLogger(__name__)


class Retranslating:
    """Mixin (first among the bases) for a widget that sets all its texts in `retranslate()`:
    Qt's LanguageChange event calls it, so a language switch needs no restart."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]

LANGUAGES = ("ko", "en")
_LOCALES = {
    "ko": QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}
# Translators this module installed carry this name, so the next call finds and removes
# them without any module-level state.
_OURS = "kiosk-translator"
# The other language's translation, loaded but not installed: the second line of a
# bilingual text (a verdict's reason) is looked up in it (`other_language`).
_OTHER = "kiosk-other-language"


def install_language(app: QCoreApplication, lang: str, *, folder: Path | None = None) -> bool:
    """Make `lang` the window's language; True when the app's own translation was loaded.

    Also loads Qt's own strings (`qtbase_<lang>.qm`: standard buttons, input context
    menus) from the Qt installation when present, and sets the default QLocale so
    numbers and dates follow the language. A missing or unreadable `.qm` is one info
    line in the log and English on screen, never an error at the door.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    fresh: list[QTranslator] = []
    qt_base = QTranslator()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(f"qtbase_{lang}", qt_dir):
        fresh.append(qt_base)
    own = QTranslator()
    own_path = (folder or assets.i18n_dir()) / f"{lang}.qm"
    own_loaded = own.load(str(own_path))
    if own_loaded:
        fresh.append(own)  # installed last, so it is asked first
    else:
        log.info("translation %s could not be loaded: texts stay in English", own_path.name)
    for old in app.findChildren(QTranslator, _OURS):
        app.removeTranslator(old)
        old.setParent(None)  # back to Python, which frees it: repeated switches leave nothing behind
    for old in app.findChildren(QTranslator, _OTHER):
        old.setParent(None)
    other = QTranslator()
    if other.load(str((folder or assets.i18n_dir()) / f"{_other(lang)}.qm")):
        other.setObjectName(_OTHER)
        other.setParent(app)
    for translator in fresh:
        # The app owns the installed translators (and keeps them alive); the name finds them again.
        translator.setObjectName(_OURS)
        translator.setParent(app)
        app.installTranslator(translator)
    QLocale.setDefault(_LOCALES[lang])
    return own_loaded


def window_language() -> str:
    """The language `install_language` made current ("ko" or "en"), from the default QLocale it sets."""
    return "ko" if QLocale().language() == QLocale.Language.Korean else "en"


def _other(lang: str) -> str:
    return "en" if lang == "ko" else "ko"


def other_language(context: str, text: str) -> str:
    """`text` (English source) in the language the window is *not* showing.

    The source text itself when that translation is not loaded: English is the source.
    """
    app = QCoreApplication.instance()
    other = app.findChild(QTranslator, _OTHER) if app is not None else None
    said = other.translate(context, text) if other is not None else ""
    return said or text
