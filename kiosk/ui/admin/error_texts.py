"""The admin screen's words for the errors its actions can raise, by the error's stable key.

A `KioskError.message` is written for the command line (it names `--from`/`--to`, paths,
exception types) and is English only; the owner at a touch screen reads these sentences
instead, in the kiosk's language. `%2` is the error's `detail` (a folder, a number) and is
used only for keys whose raise sites always set it; a sentence whose value is missing, and
any key not listed here, falls back to the error's own message so nothing is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

CONTEXT = "AdminError"

ADMIN_ERROR_TEXTS: dict[str, str] = {
    # Export and outage report: the day range.
    "owner.range_reversed": QT_TRANSLATE_NOOP(
        "AdminError", "The first day is after the last day. Choose a first day on or before the last day."
    ),
    "owner.range_future": QT_TRANSLATE_NOOP(
        "AdminError",
        "The first day is in the future, so nothing can be in it yet. Choose today or an earlier day.",
    ),
    # Writing a file (export, report, settings).
    "owner.output_no_folder": QT_TRANSLATE_NOOP(
        "AdminError", "This folder does not exist: %2. Choose another folder or plug the USB stick in again."
    ),
    "owner.output_denied": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk may not write in this folder: %2. Choose another folder."
    ),
    "owner.output_is_folder": QT_TRANSLATE_NOOP(
        "AdminError", "A folder already has the file's name: %2. Choose another folder."
    ),
    "owner.output_disk_full": QT_TRANSLATE_NOOP(
        "AdminError",
        "Not enough free space in %2. Nothing was written. Free some space or choose another place.",
    ),
    "owner.output": QT_TRANSLATE_NOOP(
        "AdminError", "The file could not be written. Nothing was saved. Try again or choose another place."
    ),
    "owner.cancelled": QT_TRANSLATE_NOOP("AdminError", "Cancelled. Nothing was written."),
    # The kiosk's data file.
    "owner.kiosk_busy": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk is busy saving visits. Nothing was changed. Try again in a moment."
    ),
    "store.busy": QT_TRANSLATE_NOOP(
        "AdminError",
        "The kiosk's data is in use by another program. Close other copies of the kiosk and try again.",
    ),
    "store.disk_full": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk's disk is full. Free some space so that visits can be saved."
    ),
    "store.access_denied": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk cannot open its data file (no permission, or the file is missing)."
    ),
    "store.not_a_database": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk's data file is not a kiosk data file."
    ),
    "store.corrupt": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk's data file is damaged. It was left as it is; restore a backup."
    ),
    "store.newer_schema": QT_TRANSLATE_NOOP(
        "AdminError", "The kiosk's data was written by a newer version of the app. Update the app."
    ),
    "store.io": QT_TRANSLATE_NOOP(
        "AdminError", "The disk could not be read or written. Check the kiosk's disk."
    ),
    "store.closed": QT_TRANSLATE_NOOP("AdminError", "The kiosk is closing. Open the owner screen again."),
    # Settings.
    "config.invalid": QT_TRANSLATE_NOOP(
        "AdminError",
        "The settings file has a value the kiosk does not accept. Ask whoever installed the kiosk.",
    ),
    "config.not_found": QT_TRANSLATE_NOOP("AdminError", "The settings file was not found."),
    "config.unreadable": QT_TRANSLATE_NOOP("AdminError", "The settings file could not be read."),
    "config.syntax": QT_TRANSLATE_NOOP(
        "AdminError", "The settings file is not written correctly. Ask whoever installed the kiosk."
    ),
    "config.not_utf8": QT_TRANSLATE_NOOP(
        "AdminError", "The settings file is not saved as UTF-8 text. Ask whoever installed the kiosk."
    ),
    "config.uneditable": QT_TRANSLATE_NOOP(
        "AdminError", "The settings file cannot be changed safely from here. Ask whoever installed the kiosk."
    ),
    # The owner PIN and the owner's key.
    "owner.pin.wrong": QT_TRANSLATE_NOOP("AdminError", "Wrong PIN."),
    "owner.pin.locked": QT_TRANSLATE_NOOP(
        "AdminError", "Too many wrong PINs. Wait a moment, then try again."
    ),
    "owner.pin.not_digits": QT_TRANSLATE_NOOP("AdminError", "The PIN may contain digits only."),
    "owner.pin.too_short": QT_TRANSLATE_NOOP("AdminError", "The PIN needs at least %2 digits."),
    "owner.pin.too_long": QT_TRANSLATE_NOOP("AdminError", "The PIN may have at most %2 digits."),
    "owner.pin.trivial": QT_TRANSLATE_NOOP(
        "AdminError", "This PIN is too easy to guess. Avoid repeated or sequential digits."
    ),
    "owner.pin.policy": QT_TRANSLATE_NOOP("AdminError", "This PIN cannot be used. Choose another one."),
    "owner.not_set_up": QT_TRANSLATE_NOOP("AdminError", "The owner PIN is not set on this kiosk yet."),
    "owner.no_account": QT_TRANSLATE_NOOP(
        "AdminError", "Phone numbers cannot be exported: this kiosk has no owner account."
    ),
    "owner.key.not_on_kiosk": QT_TRANSLATE_NOOP(
        "AdminError", "The owner's key is not kept on this kiosk, so phone numbers cannot be opened here."
    ),
    "owner.key.unwrap_failed": QT_TRANSLATE_NOOP(
        "AdminError", "The owner's key could not be opened. Nothing was changed."
    ),
    "owner.key.format": QT_TRANSLATE_NOOP(
        "AdminError", "The owner's key stored on this kiosk is damaged. Use the recovery code."
    ),
    "owner.key.mismatch": QT_TRANSLATE_NOOP(
        "AdminError", "The owner's key stored on this kiosk is damaged. Use the recovery code."
    ),
}
