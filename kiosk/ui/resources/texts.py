"""Plain-words texts for the screens, with English source strings marked for Qt translation.

Every `Reason` the engine can give has a sentence here (a test checks none is
missing); the Korean comes from `assets/i18n/ko.ts`. The strings are marked with
`QT_TRANSLATE_NOOP` so `pyside6-lupdate` extracts them, and translated at display
time with `QCoreApplication.translate`, so a language switch takes effect at once.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from kiosk.decision import Health, Reason, Verdict, VerifiedBy
from kiosk.owner_tools.words import Words
from kiosk.ui.resources.i18n import other_language, window_language

REASON_TEXTS: dict[Reason, str] = {
    Reason.VALID: QT_TRANSLATE_NOOP("Reason", "Valid pass"),
    Reason.NOT_A_PASS: QT_TRANSLATE_NOOP("Reason", "This QR code is not a pass"),
    Reason.DECODE_FAILED: QT_TRANSLATE_NOOP("Reason", "The pass could not be read"),
    Reason.UNKNOWN_SIGNER: QT_TRANSLATE_NOOP("Reason", "Signed with a key the kiosk does not know"),
    Reason.UNKNOWN_ISSUER: QT_TRANSLATE_NOOP("Reason", "Issued by an unknown issuer"),
    Reason.BAD_SIGNATURE: QT_TRANSLATE_NOOP("Reason", "The pass is not genuine (signature check failed)"),
    Reason.EXPIRED: QT_TRANSLATE_NOOP("Reason", "The pass has expired"),
    Reason.NOT_YET_VALID: QT_TRANSLATE_NOOP("Reason", "The pass is not valid yet"),
    Reason.KEY_USAGE_MISMATCH: QT_TRANSLATE_NOOP("Reason", "The issuer may not sign this kind of pass"),
    Reason.NO_ENTRY: QT_TRANSLATE_NOOP("Reason", "The pass holds no vaccination, test or recovery"),
    Reason.VACCINATION_INCOMPLETE: QT_TRANSLATE_NOOP("Reason", "Vaccination not complete"),
    Reason.VACCINATION_TOO_RECENT: QT_TRANSLATE_NOOP("Reason", "Vaccinated too recently"),
    Reason.VACCINATION_TOO_OLD: QT_TRANSLATE_NOOP("Reason", "Vaccination too long ago"),
    Reason.TEST_POSITIVE: QT_TRANSLATE_NOOP("Reason", "Test result is positive"),
    Reason.TEST_TOO_OLD: QT_TRANSLATE_NOOP("Reason", "The test is too old"),
    Reason.TEST_TYPE_NOT_ACCEPTED: QT_TRANSLATE_NOOP("Reason", "This kind of test is not accepted"),
    Reason.RECOVERY_NOT_YET_VALID: QT_TRANSLATE_NOOP("Reason", "Recovery pass not valid yet"),
    Reason.RECOVERY_EXPIRED: QT_TRANSLATE_NOOP("Reason", "Recovery pass has expired"),
    Reason.REVOKED: QT_TRANSLATE_NOOP("Reason", "The pass has been revoked"),
    Reason.UPSTREAM_INVALID: QT_TRANSLATE_NOOP("Reason", "Not valid according to the verification service"),
    Reason.UPSTREAM_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Reason", "The verification service cannot be reached: staff, check the pass by eye"
    ),
    Reason.TRUST_LIST_MISSING: QT_TRANSLATE_NOOP(
        "Reason", "The kiosk has no list of pass issuers yet: staff, check the pass by eye"
    ),
    Reason.TRUST_LIST_EXPIRED: QT_TRANSLATE_NOOP(
        "Reason", "The kiosk's list of pass issuers is too old: staff, check the pass by eye"
    ),
    Reason.STAFF_CONFIRMED: QT_TRANSLATE_NOOP("Reason", "Checked by staff"),
    Reason.STAFF_REJECTED: QT_TRANSLATE_NOOP("Reason", "Refused by staff"),
}

# The verdict titles: English source text; the second line of a bilingual title is the
# same words in the other language (context "Secondary": ko.ts maps it to English,
# en.ts to Korean), so both languages stand on screen whatever the setting.
VERDICT_TITLES: dict[Verdict, str] = {
    Verdict.ADMIT: QT_TRANSLATE_NOOP("Verdict", "Admitted"),
    Verdict.DENY: QT_TRANSLATE_NOOP("Verdict", "Not admitted"),
    Verdict.MANUAL: QT_TRANSLATE_NOOP("Verdict", "Staff check"),
}
SECONDARY_TITLES: dict[Verdict, str] = {
    Verdict.ADMIT: QT_TRANSLATE_NOOP("Secondary", "Admitted"),
    Verdict.DENY: QT_TRANSLATE_NOOP("Secondary", "Not admitted"),
    Verdict.MANUAL: QT_TRANSLATE_NOOP("Secondary", "Staff check"),
}

VERIFIED_BY_TEXTS: dict[VerifiedBy, str] = {
    VerifiedBy.ONLINE: QT_TRANSLATE_NOOP("VerifiedBy", "Checked online"),
    VerifiedBy.OFFLINE: QT_TRANSLATE_NOOP("VerifiedBy", "Checked offline (signature)"),
    VerifiedBy.STAFF: QT_TRANSLATE_NOOP("VerifiedBy", "Checked by staff"),
    VerifiedBy.NONE: QT_TRANSLATE_NOOP("VerifiedBy", "Not checked"),
}

HEALTH_TEXTS: dict[Health, str] = {
    Health.ONLINE: QT_TRANSLATE_NOOP("Health", "ONLINE"),
    Health.DEGRADED: QT_TRANSLATE_NOOP("Health", "DEGRADED"),
    Health.OFFLINE: QT_TRANSLATE_NOOP("Health", "OFFLINE"),
}

SAVE_FAILED = QT_TRANSLATE_NOOP("Reason", "The visit could not be saved: staff, check the pass by eye")


def translated(context: str, text: str) -> str:
    """Translate a string marked above (by its variable, so lupdate needs no call site here)."""
    return _translate(context, text)


_translate = QCoreApplication.translate


def reason_text(reason: Reason | None) -> str:
    if reason is None:
        return translated("Reason", SAVE_FAILED)
    return translated("Reason", REASON_TEXTS[reason])


def other_line(context: str, text: str, primary: str) -> str:
    """The second line of a bilingual text: the same source in the other language ("" if the same)."""
    other = other_language(context, text)
    return "" if other == primary else other


def reason_secondary(reason: Reason | None, primary: str) -> str:
    """The reason in the language the window is not showing, for the line under the reason."""
    return other_line("Reason", SAVE_FAILED if reason is None else REASON_TEXTS[reason], primary)


def verdict_title(verdict: Verdict) -> str:
    return translated("Verdict", VERDICT_TITLES[verdict])


def secondary(context_text: str, primary: str) -> str:
    """The other language's line of a bilingual text, or "" when it would repeat the first."""
    other = translated("Secondary", context_text)
    return "" if other == primary else other


def verified_by_text(by: VerifiedBy) -> str:
    return translated("VerifiedBy", VERIFIED_BY_TEXTS[by])


def health_text(health: Health) -> str:
    return translated("Health", HEALTH_TEXTS[health])


def cause_text(cause: str | None) -> str:
    """Why upstream failed, from the one table of cause words the outage report uses too."""
    return Words(window_language()).cause(cause)
