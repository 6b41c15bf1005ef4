"""The set-up wizard's rules without a window: step order, what the answers write, the upstream verdicts."""

from __future__ import annotations

from kiosk.config import Config, parse_config
from kiosk.doctor import Check, Status, check_upstream
from kiosk.ui.setup.steps import (
    NO_CAMERA,
    Answers,
    Step,
    UpstreamOutcome,
    camera_choices,
    config_values,
    default_kiosk_id,
    may_leave_upstream,
    next_step,
    previous_step,
    upstream_outcome,
    url_problem,
    writes_config,
)
from kiosk.verify.online import FailureCause, UpstreamFailure


def test_the_steps_run_in_order_and_back_stays_among_the_config_steps() -> None:
    order, step = [], Step.LANGUAGE
    while step is not None:
        order.append(step)
        step = next_step(step)  # type: ignore[assignment]
    assert order == [Step.LANGUAGE, Step.VENUE, Step.UPSTREAM, Step.CAMERA, Step.OWNER, Step.CHECKS]
    assert previous_step(Step.LANGUAGE) is None
    assert previous_step(Step.CAMERA) is Step.UPSTREAM
    assert previous_step(Step.OWNER) is None and previous_step(Step.CHECKS) is None


def test_the_answers_are_written_once_on_leaving_the_camera_step() -> None:
    assert [step for step in Step if writes_config(step)] == [Step.CAMERA]


def test_answers_write_their_keys_and_leave_the_installers_out() -> None:
    answers = Answers("en", "Mapo Gukbap", "door-1", "https://v.example", "k-1", NO_CAMERA)
    assert config_values(answers, {}) == {
        "kiosk": {"language": "en", "venue_name": "Mapo Gukbap", "id": "door-1"},
        "upstream": {"url": "https://v.example", "api_key": "k-1"},
        "ui": {"camera": "none"},
    }
    machine = {"upstream": {"url": "https://installer.example", "api_key": "x"}, "kiosk": {"id": "door-9"}}
    assert config_values(answers, machine) == {
        "kiosk": {"language": "en", "venue_name": "Mapo Gukbap"},
        "ui": {"camera": "none"},
    }


def test_what_the_answers_write_is_a_valid_config() -> None:
    answers = Answers("ko", "마포 국밥", default_kiosk_id("Front-Desk.local"), "", "", "")
    lines = [
        f"[{table}]\n" + "".join(f'{k} = "{v}"\n' for k, v in keys.items())
        for table, keys in config_values(answers, {}).items()
    ]
    config = parse_config("".join(lines))
    assert (config.kiosk.venue_name, config.kiosk.id) == ("마포 국밥", "kiosk-front-desk")


def test_skipping_upstream_is_offline_mode() -> None:
    answers = Answers(upstream_url="https://v.example", api_key="k").offline()
    assert (answers.upstream_url, answers.api_key) == ("", "")


def test_first_answers_come_from_the_config_with_a_kiosk_id_from_the_host() -> None:
    assert Answers.of(Config(), "pos 7").kiosk_id == "kiosk-pos-7"
    config = parse_config('[kiosk]\nid = "door-2"\nlanguage = "en"\n[ui]\ncamera = "2"\n')
    answers = Answers.of(config, "pos")
    assert (answers.kiosk_id, answers.language, answers.camera) == ("door-2", "en", "2")


def test_default_kiosk_id_is_short_and_plain() -> None:
    assert default_kiosk_id("") == "kiosk-1"
    assert default_kiosk_id("카페!!") == "kiosk-1"
    assert len(default_kiosk_id("a" * 200)) == 64


def test_the_upstream_outcome_follows_doctors_check() -> None:
    config = parse_config('[upstream]\nurl = "https://v.example"\napi_key = "k"\n')

    def refused() -> float:
        raise UpstreamFailure(FailureCause.AUTH, "401")

    def unreachable() -> float:
        raise UpstreamFailure(FailureCause.REFUSED, "connection refused")

    assert upstream_outcome(check_upstream(config, lambda: 0.01, lambda: 0.01)) is UpstreamOutcome.OK
    assert upstream_outcome(check_upstream(config, lambda: 0.01, refused)) is UpstreamOutcome.WRONG_KEY
    assert upstream_outcome(check_upstream(config, unreachable, refused)) is UpstreamOutcome.UNREACHABLE
    no_key = parse_config('[upstream]\nurl = "https://v.example"\n')
    assert upstream_outcome(check_upstream(no_key, None)) is UpstreamOutcome.WRONG_KEY
    assert upstream_outcome(Check("upstream", Status.WARN, "x", cause="upstream.key_not_checked")) is (
        UpstreamOutcome.KEY_NOT_CHECKED
    )


def test_plain_http_is_refused_outside_this_computer() -> None:
    assert url_problem("https://v.example") is None
    assert url_problem("http://127.0.0.1:8080") is None
    assert url_problem("http://v.example") is not None
    assert url_problem("v.example") is not None


def test_next_is_refused_after_a_wrong_key_or_a_bad_address() -> None:
    assert may_leave_upstream("", UpstreamOutcome.WRONG_KEY)  # empty: as skipping
    assert may_leave_upstream("https://v.example", None)
    assert may_leave_upstream("https://v.example", UpstreamOutcome.UNREACHABLE)
    assert not may_leave_upstream("https://v.example", UpstreamOutcome.WRONG_KEY)
    assert not may_leave_upstream("http://v.example", None)


def test_camera_choices() -> None:
    assert camera_choices(None, "") == [""]
    assert camera_choices([], "") == []
    assert camera_choices([0, 2], "2") == ["", "2"]
    assert camera_choices([0], "/srv/door.mp4") == ["", "/srv/door.mp4"]
    assert camera_choices([0], NO_CAMERA) == [""]
