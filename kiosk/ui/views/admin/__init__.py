"""The owner's admin screen (behind the owner PIN): `AdminScreen(services)`."""

from kiosk.ui.views.admin.screen import AdminScreen

__all__ = ["AdminScreen"]
