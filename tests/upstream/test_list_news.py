"""List news (kiosk.upstream.list_news): a verification brings the lists' ETags and the new
revocations, so the maintenance service stores revocations without polling and syncs a list
only when it changed, with a max-age poll for a kiosk that verifies nothing.

The real client against the real simulator and a real SQLite file; a counting wrapper
around the client tells which requests the maintenance service sent.
"""

from __future__ import annotations

import base64
import random
from collections import Counter
from collections.abc import Iterator

import pytest

from kiosk.clock import ManualClock
from kiosk.pass_hash import uci_hash
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.revocations import is_revoked_hash
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.list_news import ListNews, NewsInbox, parse_news
from kiosk.upstream.list_signature import ListSignatures
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome, SkipReason
from tests.upstream.support import Counting, pinned

START = 1_790_000_000.0
SETTINGS = MaintenanceSettings(request_timeout_s=2.0, probe_timeout_s=2.0, burst=20, jitter=0.0)


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with pinned(fresh_sim) as c:
        yield c


def _kiosk(db: Database, client: UpstreamClient) -> tuple[ManualClock, Counting, Maintenance]:
    """A kiosk's maintenance service taking the news of `client`'s verifications, first round run."""
    clock = ManualClock(START)
    counting = Counting(client)
    maintenance = Maintenance(db, counting, clock, random.Random(1), SETTINGS)
    client.news = maintenance
    maintenance.run_due(START)
    return clock, counting, maintenance


def _verify(client: UpstreamClient, sim: Simulator) -> None:
    text = sim.state.issue_token().token
    client.verify(text, scanned_at=START, timeout_s=2.0)


def test_a_verification_brings_revocations_and_no_poll_is_needed(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, counting, maintenance = _kiosk(db, client)  # the first round syncs everything once
    first = Counter(counting.calls)
    assert first["revocations"] == 1

    digest = fresh_sim.state.revoke("URN:UVCI:01:XA:NEWS1")
    assert digest == uci_hash("URN:UVCI:01:XA:NEWS1")
    clock.advance(60)
    _verify(client, fresh_sim)
    report = maintenance.run_due(clock.now())
    assert is_revoked_hash(db, digest)  # stored from the verification's news
    assert counting.calls == first  # without a revocation, status or issuer request
    assert report.job(Job.REVOCATIONS).skip_reason is SkipReason.NOT_DUE
    # The news pushed the polls back: a max-age poll one interval after the news.
    assert report.job(Job.REVOCATIONS).next_due_at == pytest.approx(clock.now() + 900, abs=1)
    assert report.job(Job.TRUST).next_due_at >= clock.now() + 3600 - 1


def test_an_idle_kiosk_still_polls_within_one_interval(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, _, maintenance = _kiosk(db, client)
    _verify(client, fresh_sim)
    maintenance.run_due(clock.now())
    digest = fresh_sim.state.revoke("URN:UVCI:01:XA:IDLE1")
    clock.advance(SETTINGS.revocation_interval_s)  # nothing verified since
    report = maintenance.run_due(clock.now())
    assert report.job(Job.REVOCATIONS).outcome is Outcome.RAN
    assert is_revoked_hash(db, digest)


def test_a_changed_trust_list_is_synced_at_once(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, _, maintenance = _kiosk(db, client)
    clock.advance(60)
    _verify(client, fresh_sim)
    assert maintenance.run_due(clock.now()).job(Job.TRUST).outcome is Outcome.SKIPPED
    fresh_sim.state.add_malformed_cert()  # upstream's list changes: a new status ETag
    clock.advance(60)
    _verify(client, fresh_sim)
    assert maintenance.run_due(clock.now()).job(Job.TRUST).outcome is not Outcome.SKIPPED


def test_news_signed_by_another_key_or_malformed_is_not_taken(fresh_sim: Simulator) -> None:
    der = base64.b64decode(fresh_sim.state.list_signing_key)
    signatures = ListSignatures(der, fresh_sim.url)
    news = {"trust_etag": '"a"', "issuers_etag": '"b"', "revocations": ["ab" * 32], "until": START}
    from kiosk.upstream.list_news import news_body

    good = fresh_sim.state.sign(news_body(news))
    assert parse_news(news, good, signatures) == ListNews('"a"', '"b"', ("ab" * 32,), START)
    assert parse_news({**news, "revocations": ["cd" * 32]}, good, signatures) is None  # altered
    assert parse_news(news, None, signatures) is None  # unsigned
    assert parse_news({**news, "until": None}, good, signatures) is None  # a cursor without hashes
    assert parse_news(None, None, signatures) is None  # an upstream without the extension


def test_an_upstream_without_news_leaves_the_polls_as_they_were(db: Database) -> None:
    inbox = NewsInbox()
    inbox.resume(START - 5)
    assert inbox.take() is None and inbox.cursor() == START - 5
    assert inbox.note(ListNews('"a"', '"b"', (), START), START) is True  # new ETags: work
    assert inbox.note(ListNews('"a"', '"b"', (), START + 1), START + 1) is False
    heard = inbox.take()
    assert heard is not None and heard.heard_at == START + 1 and inbox.cursor() == START + 1
    inbox.resume(START - 5)  # the data file's older cursor does not move the news' back
    assert inbox.cursor() == START + 1


def test_an_upstream_without_news_answers_the_verdict_and_the_polls_go_on(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.state.extensions = frozenset()
    clock = ManualClock(START)
    maintenance = Maintenance(db, client, clock, random.Random(1), SETTINGS)
    client.news = maintenance
    maintenance.run_due(START)
    digest = fresh_sim.state.revoke("URN:UVCI:01:XA:NONEWS1")
    clock.advance(60)
    _verify(client, fresh_sim)
    maintenance.run_due(clock.now())
    assert not is_revoked_hash(db, digest)  # no news: it waits for the poll
    clock.advance(SETTINGS.revocation_interval_s)
    assert maintenance.run_due(clock.now()).job(Job.REVOCATIONS).outcome is Outcome.RAN
    assert is_revoked_hash(db, digest)
