"""The owner's page behind the corner long press: the PIN pad first, then a small owner menu.

The menu only emits intents: `admin_requested` (the admin screen hooks it),
`staff_pin_requested` (set the staff PIN on this page's second pad),
`leave_requested` (close kiosk mode) and `back_requested`. The page always starts
on the PIN pad (`ask_pin`), so the menu is never reachable without a fresh PIN check.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QStyle, QVBoxLayout, QWidget

from kiosk.ui.owner.keypad import make_button, scaled_font
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.owner.recovery import RecoveryFlow
from kiosk.ui.owner.recovery_code import CodeOccasion, RecoveryCodePage
from kiosk.ui.resources.i18n import Retranslating

MENU_BUTTON_MIN_H = 96


class OwnerMenu(Retranslating, QWidget):
    admin_requested = Signal()
    staff_pin_requested = Signal()
    leave_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownerMenu")
        self.staff_pin_saved = False  # says so once, on the menu's note
        self.title = QLabel(self)
        self.title.setObjectName("ownerMenuTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setFont(scaled_font(self.title, 2.2, bold=True))
        self.note = QLabel(self)
        self.note.setObjectName("ownerMenuNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setFont(scaled_font(self.note, 1.4))
        self.admin_button = make_button("", "primary", self)
        self.admin_button.setObjectName("ownerAdmin")
        self.staff_pin_button = make_button("", "neutral", self)
        self.staff_pin_button.setObjectName("ownerStaffPin")
        self.leave_button = make_button("", "danger", self)
        self.leave_button.setObjectName("ownerLeave")
        self.back_button = make_button("", "neutral", self)
        self.back_button.setObjectName("ownerBack")
        for button in (self.admin_button, self.staff_pin_button, self.leave_button, self.back_button):
            button.setMinimumHeight(MENU_BUTTON_MIN_H)
        self.admin_button.clicked.connect(self.admin_requested)
        self.staff_pin_button.clicked.connect(self.staff_pin_requested)
        self.leave_button.clicked.connect(self.leave_requested)
        self.back_button.clicked.connect(self.back_requested)
        box = QVBoxLayout(self)
        box.setContentsMargins(160, 32, 160, 32)
        box.setSpacing(18)
        box.addWidget(self.title)
        box.addWidget(self.note)
        box.addStretch(1)
        for button in (self.admin_button, self.staff_pin_button, self.leave_button, self.back_button):
            box.addWidget(button)
        box.addStretch(1)
        self.retranslate()

    def set_admin_available(self, available: bool) -> None:
        self.admin_button.setVisible(available)

    def set_leave_available(self, available: bool) -> None:
        """Outside kiosk mode there is nothing to leave: the window closes as any other."""
        self.leave_button.setVisible(available)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Owner"))
        if self.staff_pin_saved:
            self.note.setText(self.tr("The staff PIN is saved. Staff use it to answer staff checks."))
        else:
            self.note.setText(self.tr("The PIN was right. What would you like to do?"))
        self.admin_button.setText(self.tr("Admin"))
        self.staff_pin_button.setText(self.tr("Set the staff PIN"))
        self.leave_button.setText(self.tr("Leave kiosk mode"))
        self.back_button.setText(self.tr("Back to the entrance screen"))


class OwnerPage(Retranslating, QStackedWidget):
    """The PIN slot's widget: PIN pad (verify), then the owner menu once the worker said yes.

    "Forgotten PIN" under the pad opens the recovery flow (recovery code, new PIN twice);
    a code the worker accepts is replaced: the new code is shown once (`show_new_code`),
    and only once the owner confirms it is written down does the menu open, as after a
    right PIN.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownerPage")
        self._pin_page = QWidget(self)
        self.pin_pad = PinPad(PinPadMode.VERIFY, self._pin_page)
        self.forgot_button = make_button("", "neutral", self._pin_page)
        self.forgot_button.setObjectName("ownerForgot")
        self.forgot_button.setMinimumHeight(56)
        self.forgot_button.clicked.connect(self.show_recovery)
        box = QVBoxLayout(self._pin_page)
        pad_margins = self.pin_pad.layout().contentsMargins()  # line up with the pad's own buttons
        box.setContentsMargins(0, 0, 0, pad_margins.bottom())
        box.setSpacing(0)
        box.addWidget(self.pin_pad, 1)
        row = QHBoxLayout()
        row.setContentsMargins(pad_margins.left(), 0, pad_margins.right(), 0)
        row.addWidget(self.forgot_button)
        box.addLayout(row)
        self.recovery = RecoveryFlow(self)
        self.recovery.cancelled.connect(self.ask_pin)
        self.new_code = RecoveryCodePage(CodeOccasion.REPLACED, self)
        self.new_code.confirmed.connect(self.show_menu)
        # The first run's and the recovery flow's pages sit inside a flow (two layouts' margins):
        # the same inset here, so the code page looks the same wherever it is shown.
        inset = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
        self.new_code.layout().setContentsMargins(inset, inset, inset, inset)
        self.menu = OwnerMenu(self)
        self.staff_pin_setup = PinPad(PinPadMode.SET, self, staff=True)
        self.staff_pin_setup.cancelled.connect(self.show_menu)
        self.menu.staff_pin_requested.connect(self.show_staff_pin_setup)
        self.addWidget(self._pin_page)
        self.addWidget(self.recovery)
        self.addWidget(self.new_code)
        self.addWidget(self.menu)
        self.addWidget(self.staff_pin_setup)
        self.retranslate()

    def retranslate(self) -> None:
        self.forgot_button.setText(self.tr("Forgotten PIN"))

    def ask_pin(self) -> None:
        self.staff_pin_setup.reset()
        self.pin_pad.reset()
        self.recovery.reset()
        self.new_code.clear()
        self.setCurrentWidget(self._pin_page)
        self.pin_pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_recovery(self) -> None:
        self.recovery.reset()
        self.new_code.clear()
        self.setCurrentWidget(self.recovery)
        self.recovery.code_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_new_code(self, code: str) -> None:
        """The used recovery code was replaced: show the new one until the owner confirms."""
        self.pin_pad.reset()
        self.recovery.reset()
        self.new_code.show_code(code)
        self.setCurrentWidget(self.new_code)

    def show_menu(self, *, staff_pin_saved: bool = False) -> None:
        self.pin_pad.reset()
        self.recovery.reset()
        self.new_code.clear()
        self.staff_pin_setup.reset()
        self.menu.staff_pin_saved = staff_pin_saved
        self.menu.retranslate()
        self.setCurrentWidget(self.menu)

    def show_staff_pin_setup(self) -> None:
        """The owner chooses the staff PIN (twice), on a pad of its own."""
        self.staff_pin_setup.reset()
        self.setCurrentWidget(self.staff_pin_setup)
        self.staff_pin_setup.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def asking_pin(self) -> bool:
        return self.currentWidget() is self._pin_page

    @property
    def showing_new_code(self) -> bool:
        return self.currentWidget() is self.new_code

    @property
    def unlocked(self) -> bool:
        return self.currentWidget() is self.menu
