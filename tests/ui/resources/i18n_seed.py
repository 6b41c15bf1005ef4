"""A seed of the product's fixed window strings, for testing the translation pipeline.

Throwaway: the real views own their strings. This module is never scanned for the
committed .ts files (it lives under tests/); the tests copy it into a scratch source
folder, run scripts/i18n.py over it, and translate it with SEED_KO as a translator would.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QWidget

FIXED = (
    QT_TRANSLATE_NOOP("Seed", "Show your QR code"),
    QT_TRANSLATE_NOOP("Seed", "Admitted"),
    QT_TRANSLATE_NOOP("Seed", "Not admitted"),
    QT_TRANSLATE_NOOP("Seed", "Staff check"),
    QT_TRANSLATE_NOOP("Seed", "Vaccinated less than 14 days ago"),
    QT_TRANSLATE_NOOP("Seed", "Verified online"),
    QT_TRANSLATE_NOOP("Seed", "Verified offline"),
    QT_TRANSLATE_NOOP("Seed", "No camera"),
    QT_TRANSLATE_NOOP("Seed", "Pending uploads"),
    QT_TRANSLATE_NOOP("Seed", "Trust list"),
    QT_TRANSLATE_NOOP("Seed", "Visits today"),
    QT_TRANSLATE_NOOP("Seed", "Manual log"),
    QT_TRANSLATE_NOOP("Seed", "Checked, admit"),
    QT_TRANSLATE_NOOP("Seed", "Deny"),
)

# How a translator fills ko.ts for the strings above (natural, concise kiosk Korean).
SEED_KO = {
    "Show your QR code": "QR 코드를 보여주세요",
    "Admitted": "입장",
    "Not admitted": "입장 불가",
    "Staff check": "직원 확인",
    "Vaccinated less than 14 days ago": "백신 접종 후 14일 미경과",
    "Verified online": "온라인 확인",
    "Verified offline": "오프라인 확인",
    "No camera": "카메라 없음",
    "Pending uploads": "업로드 대기",
    "Trust list": "신뢰 목록",
    "Visits today": "오늘 방문",
    "Manual log": "수기 기록",
    "Checked, admit": "확인함, 입장",
    "Deny": "입장 불가",
    "Scan the pass": "증명서를 스캔하세요",
    "%n visit(s) today": "오늘 방문 %n명",
}


class SeedPrompt(QWidget):
    """A view written the way the window's views are: every text set in retranslate()."""

    def __init__(self, visits: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._visits = visits
        self.prompt = QLabel(self)
        self.verdict = QLabel(self)
        self.count = QLabel(self)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.prompt.setText(self.tr("Scan the pass"))
        self.verdict.setText(QCoreApplication.translate("Seed", FIXED[1]))
        self.count.setText(self.tr("%n visit(s) today", "", self._visits))
