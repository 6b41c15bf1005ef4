"""The screen model with chunked SMART Health Cards: "scan part 2 of 3", one visit per card.

Pure: no Qt, no clock. The chunk texts are real ones, from a card signed by the
issuing helpers and split as the specification's chunking does.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.passes import shc_issue
from kiosk.passes.shc_qr import PREFIX, parse_qr
from kiosk.ui.events import (
    LeaveRequested,
    ManualLogRequested,
    PlaySound,
    ScanDecoded,
    StartVerify,
    Tick,
    VerdictReady,
    WedgeNoticed,
)
from kiosk.ui.model import CardNotice, Screen, ScreenState, UiSettings, card_prompt, update
from kiosk.ui.wedge_input import WedgeNotice
from tests.ui.screen_run import run_events

S = UiSettings(verdict_seconds=4.0, cooldown_s=5.0, chunk_timeout_s=15.0, notice_seconds=4.0)


def card(chunks: int, family: str = "Anyperson") -> list[str]:
    key, kid = shc_issue.new_key()
    claims = shc_issue.card_payload(
        "https://issuer.example/shc", 1_700_000_000, [shc_issue.patient(family)], rid=None
    )
    return shc_issue.qr_texts(shc_issue.sign_card(claims, key, kid), chunks)


CARD3 = card(3)
OTHER2 = card(2, "Otherperson")


def whole_text(parts: list[str]) -> str:
    return PREFIX + "".join(parse_qr(p).digits for p in sorted(parts, key=lambda p: parse_qr(p).index))


def admit() -> Decision:
    return Decision(Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE, PassKind.SHC, visit_id="v1")


def run(state: ScreenState, *events):  # type: ignore[no-untyped-def]
    return run_events(state, S, *events)


def scan(text: str, at: float) -> ScanDecoded:
    return ScanDecoded.of(text, at)


def test_parts_in_any_order_ask_for_the_next_one_then_make_one_verification() -> None:
    state, effects = run(ScreenState(), scan(CARD3[1], 0.0))
    assert effects == [] and state.screen is Screen.IDLE
    assert card_prompt(state) == (1, 3)  # "scan part 1 of 3": part 2 is in
    state, effects = run(state, scan(CARD3[0], 1.0))
    assert effects == [] and card_prompt(state) == (3, 3)
    # Nothing of the pass text is in the state's repr (it may reach a log line).
    for part in CARD3:
        assert parse_qr(part).digits[:40] not in repr(state)

    state, effects = run(state, scan(CARD3[2], 2.0))
    starts = [e for e in effects if isinstance(e, StartVerify)]
    assert len(starts) == 1 and len(effects) == 1
    assert starts[0].text == whole_text(CARD3)
    assert starts[0].digest == pass_hash(whole_text(CARD3))
    assert state.screen is Screen.VERIFYING and state.card is None and card_prompt(state) is None


def test_a_part_of_a_verified_card_within_the_cooldown_shows_the_verdict_again_without_a_visit() -> None:
    state, effects = run(ScreenState(), *(scan(t, i * 0.5) for i, t in enumerate(CARD3)))
    start = next(e for e in effects if isinstance(e, StartVerify))
    state, effects = run(state, VerdictReady(admit(), start.digest, 2.0))
    assert state.shown is not None and state.shown.verdict is Verdict.ADMIT
    assert effects == [PlaySound(Verdict.ADMIT)]
    # The camera still sees the last part the visitor held up: no new card, no new visit.
    state, effects = run(state, Tick(6.5), scan(CARD3[2], 6.6))
    assert not any(isinstance(e, StartVerify) for e in effects)
    assert state.screen is Screen.VERDICT and state.shown is not None and state.shown.repeat
    assert state.card is None
    # After the cooldown a part starts a new card (a new visit once complete).
    state, _ = run(state, Tick(12.0), scan(CARD3[0], 12.0))
    assert card_prompt(state) == (2, 3)


def test_an_incomplete_card_times_out_from_its_last_new_part_with_a_notice() -> None:
    state, _ = run(ScreenState(), scan(CARD3[0], 0.0))
    state, _ = run(state, scan(CARD3[0], 10.0))  # the same part again does not buy time
    state, _ = run(state, Tick(14.9))
    assert card_prompt(state) == (2, 3)
    state, effects = run(state, Tick(15.0))
    assert effects == [] and state.card is None and card_prompt(state) is None
    assert state.notice is CardNotice.TIMED_OUT
    state, _ = run(state, Tick(18.9))
    assert state.notice is CardNotice.TIMED_OUT
    state, _ = run(state, Tick(19.0))
    assert state.notice is None


def test_a_new_part_extends_the_time() -> None:
    state, _ = run(ScreenState(), scan(CARD3[0], 0.0), scan(CARD3[1], 10.0), Tick(20.0))
    assert card_prompt(state) == (3, 3)
    state, _ = run(state, Tick(25.0))
    assert state.card is None and state.notice is CardNotice.TIMED_OUT


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(OTHER2[1], id="another total"),
        pytest.param(card(3, "Thirdperson")[0], id="the same part with other content"),
    ],
)
def test_a_part_of_another_card_starts_again_from_that_part(second: str) -> None:
    state, _ = run(ScreenState(), scan(CARD3[0], 0.0))
    state, effects = run(state, scan(second, 1.0))
    assert effects == []
    assert state.notice is CardNotice.RESTARTED
    assert state.card is not None and state.card.scanned == (parse_qr(second).index,)
    assert state.card.total == parse_qr(second).total
    # The restarted card completes on its own parts.
    if parse_qr(second).total == 2:
        state, effects = run(state, scan(OTHER2[0], 2.0))
        assert [e.text for e in effects if isinstance(e, StartVerify)] == [whole_text(OTHER2)]
        assert state.notice is None


def test_another_pass_abandons_the_card_and_is_verified() -> None:
    state, _ = run(ScreenState(), scan(CARD3[0], 0.0))
    state, effects = run(state, scan("KP1:token", 1.0))
    assert [type(e) for e in effects] == [StartVerify]
    assert state.card is None and state.screen is Screen.VERIFYING


def test_a_single_qr_card_is_verified_at_once() -> None:
    (single,) = card(1)
    state, effects = run(ScreenState(), scan(single, 0.0))
    assert [e.text for e in effects if isinstance(e, StartVerify)] == [single]
    assert state.card is None


def test_a_part_clears_the_previous_verdict_and_is_ignored_while_verifying() -> None:
    state, _ = run(ScreenState(), scan("KP1:token", 0.0))
    verifying = state
    state, effects = run(state, scan(CARD3[0], 0.5))
    assert (state, effects) == (verifying, [])  # the visitor being checked is served first
    state, _ = run(state, VerdictReady(admit(), verifying.verifying or "", 1.0))
    assert state.screen is Screen.VERDICT
    state, _ = run(state, scan(CARD3[0], 2.0))
    assert state.screen is Screen.IDLE and state.shown is None and card_prompt(state) == (2, 3)


@pytest.mark.parametrize("event", [ManualLogRequested(), LeaveRequested()])
def test_staff_pages_drop_the_card(event: object) -> None:
    state, _ = run(ScreenState(), scan(CARD3[0], 0.0), event)
    assert state.card is None and card_prompt(state) is None


def test_a_malformed_chunk_goes_to_the_engine_which_says_what_is_wrong() -> None:
    state, effects = run(ScreenState(), scan("shc:/4/3/5656", 0.0))  # part 4 of 3
    assert [type(e) for e in effects] == [StartVerify] and state.card is None


_texts = st.sampled_from([*CARD3, *OTHER2, "KP1:cccc"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["scan", "answer", "tick"]), _texts, st.floats(0.0, 6.0)),
                max_size=40))
def test_any_session_gives_one_visit_per_card_and_never_a_part_alone(steps) -> None:  # type: ignore[no-untyped-def]
    state, now = ScreenState(), 0.0
    verified_at: dict[str, float] = {}
    wholes = {pass_hash(whole_text(CARD3)), pass_hash(whole_text(OTHER2)), pass_hash("KP1:cccc")}
    for kind, text, step in steps:
        now += step
        if kind == "scan":
            event: object = scan(text, now)
        elif kind == "answer" and state.verifying is not None:
            event = VerdictReady(admit(), state.verifying, now)
        else:
            event = Tick(now)
        before = state
        state, effects = update(state, event, S)  # type: ignore[arg-type]
        for start in (e for e in effects if isinstance(e, StartVerify)):
            assert before.verifying is None
            assert start.digest in wholes  # a part is never verified on its own
            shown_at = verified_at.get(start.digest)
            assert shown_at is None or now - shown_at >= S.cooldown_s
        if isinstance(event, VerdictReady):
            verified_at[event.digest] = now
        if state.card is not None:
            assert now - state.card.last_at < S.chunk_timeout_s or not isinstance(event, Tick)
        assert parse_qr(CARD3[0]).digits[:40] not in repr(state)


def test_a_wedge_notice_shows_on_the_entrance_for_a_few_seconds_without_a_visit_or_sound() -> None:
    settings = UiSettings(notice_seconds=4.0)
    state, effects = update(ScreenState(), WedgeNoticed(WedgeNotice.WRONG_MODE, 10.0), settings)
    assert (state.notice, state.notice_until, effects) == (WedgeNotice.WRONG_MODE, 14.0, ())
    assert state.screen is Screen.IDLE and state.verifying is None
    state, _ = update(state, Tick(13.9), settings)
    assert state.notice is WedgeNotice.WRONG_MODE
    state, _ = update(state, Tick(14.0), settings)
    assert state.notice is None
    # Staff typing on a panel are not interrupted by the scanner's notice.
    on_pin = ScreenState(screen=Screen.STAFF_PIN)
    assert update(on_pin, WedgeNoticed(WedgeNotice.GARBAGE, 1.0), settings) == (on_pin, ())
