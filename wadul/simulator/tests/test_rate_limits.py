"""Throughput (130429, sliding one-second window) and pair rate (131056, token bucket)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from wadul.simulator.limits import SlidingWindow, TokenBucket
from wadul.simulator.tests.conftest import PNID
from wadul.simulator.tests.test_send_api import assert_error


def burst(sim, count: int, *, users: int | None = None, pnid: str = PNID) -> list[int]:
    """Send `count` templates at once from 8 threads; return the error codes (0 = accepted)."""

    def one(i: int) -> int:
        to = f"6281300{i % (users or count):05d}"
        response = sim.send(
            pnid=pnid,
            to=to,
            type="template",
            template={"name": "t", "language": {"code": "id"}},
        )
        return 0 if response.status_code == 200 else response.json()["error"]["code"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def busiest_second(sim, pnid: str = PNID) -> int:
    accepted = sorted(sim.state.numbers[pnid].window.events)
    return max(
        sum(1 for t in accepted if start <= t < start + 1.0) for start in accepted
    )  # any one-second window


def test_above_80_per_second_some_sends_get_130429(sim):
    codes = burst(sim, 100)  # ~0.3 s here; the simulator takes hundreds of sends a second

    assert set(codes) == {0, 130429}
    assert codes.count(0) >= 80
    assert busiest_second(sim) == 80
    rejected = sim.control("stats")["numbers"][PNID]["rejected"]["130429"]
    assert rejected == codes.count(130429) >= 1


def test_at_the_limit_no_send_gets_130429(sim):
    codes = burst(sim, 80)
    assert codes == [0] * 80
    assert busiest_second(sim) <= 80


def test_the_window_slides(sim):
    sim.control("numbers", {"phone_number_id": PNID, "throughput": 5})
    assert burst(sim, 6).count(130429) == 1
    time.sleep(1.05)
    assert burst(sim, 5) == [0] * 5


def test_a_coexistence_number_has_20_per_second(sim):
    sim.control(
        "numbers",
        {"phone_number_id": "220", "display_phone_number": "+62 811-3500-401", "coexistence": True},
    )
    codes = burst(sim, 25, pnid="220")
    assert codes.count(130429) >= 1
    assert busiest_second(sim, "220") == 20


def test_the_throughput_knob_applies_to_every_number(sim):
    sim.configure(throughput=3)
    assert burst(sim, 4).count(130429) == 1


def test_the_pair_rate_allows_a_burst_of_45_then_131056(sim):
    codes = burst(sim, 46, users=1)
    assert codes.count(0) == 45
    assert codes.count(131056) == 1
    # Another user of the same number is not affected.
    response = sim.template(to="6289999999999")
    assert response.status_code == 200


def test_the_pair_rate_bucket_refills_one_message_per_interval(sim):
    sim.configure(pair_rate={"interval_s": 0.6, "burst": 2})
    assert [sim.template().status_code for _ in range(2)] == [200, 200]
    error = assert_error(sim.template(), 131056)
    assert "same recipient" in error["error_data"]["details"]
    time.sleep(0.65)
    assert sim.template().status_code == 200
    assert_error(sim.template(), 131056)


def test_the_pair_rate_can_be_switched_off(sim):
    sim.configure(pair_rate=None)
    assert burst(sim, 60, users=1) == [0] * 60


def test_token_bucket_matches_metas_example():
    # "A burst of 20 means ~2 minutes of waiting": 20 tokens back at one per 6 s = 120 s.
    bucket = TokenBucket(capacity=45, interval=6.0)
    assert all(bucket.take(0.0) for _ in range(45))
    assert not bucket.take(0.0)
    assert bucket.take(6.0)
    assert not bucket.take(6.0)
    bucket = TokenBucket(capacity=45, interval=6.0)
    for _ in range(45):
        bucket.take(0.0)
    assert sum(bucket.take(120.0) for _ in range(30)) == 20


def test_sliding_window_counts_the_last_second_only():
    window = SlidingWindow(limit=2)
    window.record(0.0)
    window.record(0.5)
    assert not window.allows(0.9)
    assert window.allows(1.01)
