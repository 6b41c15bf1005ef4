"""Styling: one QSS sheet whose selectors read widget properties, as qutebrowser's status bar does.

Widgets never set colours in code. They set a property (`verdict="admit"`,
`health="degraded"`, `level="stale"`, `kind="primary"`) and call `restyle()`; the
sheet maps properties to colours. Two palettes: standard and high contrast
(white/yellow on black, thick outlines), and a large-text factor on every size. Every
size is also multiplied by the window's scale (`kiosk/ui/resources/layout.py`), so text
and touch targets grow and shrink with the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

# Font families tried in order: the bundled/installed Hangul fonts first, so Korean
# never draws as empty boxes on a bare Linux (docs/decisions/0041-bundled-hangul-font.md).
FONT_FAMILIES = (
    '"Noto Sans KR", "NanumGothic", "NanumBarunGothic", "Malgun Gothic", "Noto Sans CJK KR", sans-serif'
)
SMALLEST_PX = 14
# A fingertip: no button is shorter, however small the screen.
TOUCH_PX = 48
# The recovery code is copied by hand: in a fixed-pitch face `I` has serifs and each
# group lines up, where the UI font draws `I` as a bare bar that reads as `l`.
CODE_FAMILIES = '"DejaVu Sans Mono", "Consolas", "Menlo", "NanumGothicCoding", monospace'


@dataclass(frozen=True, slots=True)
class Palette:
    window: str
    text: str
    muted: str
    admit: str
    admit_text: str
    deny: str
    deny_text: str
    check: str
    check_text: str
    bad: str  # error lines on the page
    bar: str
    bar_text: str
    # Health and trust-list words on the dark status bar: light shades, since darker greens,
    # ambers and reds fall under WCAG AA (4.5:1) on it (tests/ui/resources/test_contrast.py).
    bar_ok: str
    bar_warn: str
    bar_bad: str
    button: str
    button_text: str
    primary: str
    danger: str
    outline: str


STANDARD = Palette(
    window="#f4f5f7",
    text="#1a1a1a",
    muted="#4a4f57",
    admit="#1b7d3a",
    admit_text="#ffffff",
    deny="#b3202a",
    deny_text="#ffffff",
    check="#f5b301",
    check_text="#1a1a1a",
    bad="#b3202a",
    bar="#20242b",
    bar_text="#f4f5f7",
    bar_ok="#4cc870",
    bar_warn="#f0a830",
    bar_bad="#ff8080",
    button="#e1e4e8",
    button_text="#1a1a1a",
    primary="#1f5fbf",
    danger="#b3202a",
    outline="transparent",
)

HIGH_CONTRAST = Palette(
    window="#000000",
    text="#ffffff",
    muted="#ffff00",
    admit="#00561f",
    admit_text="#ffffff",
    deny="#7a0000",
    deny_text="#ffffff",
    check="#ffd400",
    check_text="#000000",
    bad="#ff6b6b",
    bar="#000000",
    bar_text="#ffffff",
    bar_ok="#5cff8a",
    bar_warn="#ffd400",
    bar_bad="#ff6b6b",
    button="#000000",
    button_text="#ffffff",
    primary="#003a8c",
    danger="#7a0000",
    outline="#ffffff",
)


@dataclass(frozen=True, slots=True)
class Theme:
    name: str = "standard"  # "standard" | "high_contrast"
    large_text: bool = False
    scale: float = 1.0  # the window's size against the design screen (layout.window_scale)

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.name == "high_contrast" else STANDARD

    def px(self, size: int) -> int:
        """A size in pixels for the window's scale, enlarged in large-text mode.

        A small screen shrinks no text below `SMALLEST_PX`: the status bar's words stay readable
        (paddings, smaller than that, shrink with the rest).
        """
        scaled = max(1, round(size * self.scale * (1.3 if self.large_text else 1.0)))
        return max(scaled, SMALLEST_PX) if size >= SMALLEST_PX else scaled

    def touch(self, size: int, around: int) -> int:
        """A button's contents height: `px(size)`, or more so that the whole button, with `around`
        pixels of padding and border added, is at least `TOUCH_PX` tall."""
        return max(TOUCH_PX - around, self.px(size))

    def stylesheet(self) -> str:
        p = self.palette
        border = 3 if self.name == "high_contrast" else 0
        px, touch = self.px, self.touch
        pad = 2 * (px(6) + max(border, 1))  # a button's padding and border, top and bottom
        bar_pad = 2 * (px(2) + 1)
        return f"""
QWidget {{ font-family: {FONT_FAMILIES}; font-size: {px(18)}px; color: {p.text}; }}
QMainWindow, #page {{ background: {p.window}; }}
#prompt {{ font-size: {px(40)}px; font-weight: bold; color: {p.text}; }}
#promptSecondary {{ font-size: {px(26)}px; color: {p.muted}; }}
#previewNotice {{ font-size: {px(30)}px; font-weight: bold; color: {p.text}; }}
#previewHint {{ font-size: {px(18)}px; color: {p.muted}; }}
#visitorHint {{ background: rgba(0, 0, 0, 190); border-radius: 8px; }}
#visitorHintText {{ font-size: {px(40)}px; font-weight: bold; color: #ffffff; }}
#visitorHintSecondary {{ font-size: {px(26)}px; color: #ffffff; }}

VerdictView {{ border: {border}px solid {p.outline}; }}
VerdictView[verdict="admit"] {{ background: {p.admit}; }}
VerdictView[verdict="deny"] {{ background: {p.deny}; }}
VerdictView[verdict="manual"] {{ background: {p.check}; }}
VerdictView[verdict="admit"] QLabel {{ color: {p.admit_text}; }}
VerdictView[verdict="deny"] QLabel {{ color: {p.deny_text}; }}
VerdictView[verdict="manual"] QLabel {{ color: {p.check_text}; }}
#verdictTitle {{ font-size: {px(88)}px; font-weight: bold; }}
#verdictSecondary {{ font-size: {px(44)}px; font-weight: bold; }}
#verdictReason {{ font-size: {px(34)}px; }}
#verdictReasonSecondary {{ font-size: {px(24)}px; }}
#verdictHolder {{ font-size: {px(30)}px; }}
#verdictSource {{ font-size: {px(22)}px; }}

StatusBar {{ background: {p.bar}; border-top: {border}px solid {p.outline}; }}
StatusBar QLabel {{ color: {p.bar_text}; font-size: {px(18)}px; }}
StatusBar #health {{ font-weight: bold; }}
StatusBar QLabel[health="online"] {{ color: {p.bar_ok}; }}
StatusBar QLabel[health="degraded"] {{ color: {p.bar_warn}; }}
StatusBar QLabel[health="offline"] {{ color: {p.bar_bad}; }}
StatusBar QLabel[level="fresh"] {{ color: {p.bar_ok}; }}
StatusBar QLabel[level="aging"] {{ color: {p.bar_warn}; }}
StatusBar QLabel[level="stale"], StatusBar QLabel[level="missing"] {{ color: {p.bar_bad}; }}
StatusBar #detail {{ color: {p.bar_text}; font-size: {px(16)}px; }}

#manualTitle, #ownerMenuTitle, #firstRunHeading {{ font-size: {px(40)}px; font-weight: bold; }}
#pinPrompt {{ font-size: {px(30)}px; font-weight: bold; }}
#pinDots {{ font-size: {px(40)}px; }}
#manualPhone {{ font-size: {px(30)}px; }}
#manualHint, #manualPhoneLabel, #ownerMenuNote, #firstRunText {{ font-size: {px(24)}px; }}
#recoveryCode {{ font-family: {CODE_FAMILIES}; font-size: {px(44)}px; font-weight: bold; }}
#setupWizard QLineEdit, #framing, #upstreamResult, #setupError {{ font-size: {px(24)}px; }}
#checksSummary {{ font-size: {px(24)}px; font-weight: bold; }}
#setupProgress, #setByInstaller, #checkRows {{ font-size: {px(18)}px; }}
#setByInstaller {{ color: {p.muted}; }}
#pinMessage, #manualError, #recoveryError {{ font-size: {px(24)}px; font-weight: bold; }}
QLabel[state="error"], QLabel[state="locked"] {{ color: {p.bad}; }}
QCheckBox {{ font-size: {px(24)}px; }}

QPushButton {{
    min-height: {touch(56, pad)}px; padding: {px(6)}px {px(20)}px; border-radius: 8px; font-size: {px(20)}px;
    border: {max(border, 1)}px solid {p.outline if border else p.button};
    background: {p.button}; color: {p.button_text};
}}
QPushButton[kind="primary"] {{ background: {p.primary}; color: #ffffff; }}
QPushButton[kind="danger"] {{ background: {p.danger}; color: #ffffff; }}
QPushButton[kind="neutral"] {{ background: {p.button}; color: {p.button_text}; }}
QPushButton[kind="key"] {{ min-width: {px(88)}px; font-size: {px(32)}px; }}  /* keys grow to fill the pad */
QPushButton[kind="neutral"]:checked {{ background: {p.primary}; color: #ffffff; }}  /* the choice made */
QPushButton[kind]:disabled {{ background: {p.button}; color: {p.muted}; }}
#verdictAdmit, #verdictDeny {{ min-height: {touch(64, pad)}px; font-size: {px(22)}px; font-weight: bold; }}
#verdictCountdown {{ border: none; background: rgba(0, 0, 0, 40); }}
#verdictCountdown::chunk {{ background: {p.text}; }}
#outageBanner {{
    background: {p.check}; color: {p.check_text}; font-size: {px(26)}px; font-weight: bold; padding: 8px;
}}
#staffStrip {{ background: {p.window}; border-top: {max(border, 1)}px solid {p.outline}; }}
#staffChecksWaiting {{ font-size: {px(20)}px; font-weight: bold; }}
#historyStrip {{ background: {p.window}; border-top: {max(border, 1)}px solid {p.outline}; }}
#historyTitle, #historyEntry {{ font-size: {px(16)}px; color: {p.muted}; }}
#besideCard {{ border-left: {max(border, 2)}px solid {p.outline}; }}
#besideCard[verdict="deny"] {{ background: {p.deny}; }}
#besideCard[verdict="manual"] {{ background: {p.check}; }}
#besideCard[verdict="deny"] QLabel {{ color: {p.deny_text}; }}
#besideCard[verdict="manual"] QLabel {{ color: {p.check_text}; }}
#besideMark {{ font-size: {px(56)}px; font-weight: bold; }}
#besideTitle {{ font-size: {px(28)}px; font-weight: bold; }}
#manualPrivacy {{ font-size: {px(16)}px; color: {p.muted}; }}
QPushButton[kind="bar"] {{
    min-height: {touch(36, bar_pad)}px; padding: {px(2)}px {px(14)}px; font-size: {px(16)}px;
    background: transparent; color: {p.bar_text}; border: 1px solid {p.bar_text};
}}
"""


def restyle(widget: QWidget) -> None:
    """Re-apply the sheet after a property changed (Qt does not re-evaluate selectors by itself).

    Children are repolished too: selectors such as `VerdictView[verdict="deny"] QLabel`
    depend on the parent's property.
    """
    style = widget.style()
    for w in (widget, *widget.findChildren(QWidget)):
        style.unpolish(w)
        style.polish(w)
        w.update()
