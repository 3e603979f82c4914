"""The arrival time: which moment counts for a deadline, from the proxy's stamp or the clock."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filiere.engine.arrival import (
    Arrival,
    Basis,
    arrival_time,
    is_trusted_peer,
    parse_networks,
    parse_stamp,
    processing_time,
)

NOW = datetime(2026, 12, 4, 11, 0, 0, tzinfo=UTC)
EPOCH_NOW = NOW.timestamp()  # 1796382000.0


def read(header, *, trusted=True, max_age=120, now=NOW):
    return arrival_time(header=header, trusted_peer=trusted, max_age=max_age, now=now)


# --- the formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("t=1796381999.123", NOW - timedelta(milliseconds=877)),  # nginx ${msec}
        ("1796381999.123", NOW - timedelta(milliseconds=877)),
        ("1796381999", NOW - timedelta(seconds=1)),
        ("t=1796381999", NOW - timedelta(seconds=1)),
        ("1796381999.000001", NOW - timedelta(microseconds=999_999)),
        ("1796381999123", NOW - timedelta(milliseconds=877)),  # milliseconds
        ("t=1796381999123", NOW - timedelta(milliseconds=877)),
        ("t=1796381999123456", NOW - timedelta(microseconds=876_544)),  # Apache %t
        ("  t=1796381999.5  ", NOW - timedelta(milliseconds=500)),
    ],
)
def test_the_common_stamp_formats_are_read(raw, expected):
    assert parse_stamp(raw) == expected


def test_a_fraction_of_a_microsecond_is_dropped_never_rounded_up():
    assert parse_stamp("1796381999.9999999") == NOW - timedelta(microseconds=1)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "t=",
        "abc",
        "t=-1796381999",
        "-1796381999",
        "1.796e9",
        "t=1796381999.123, t=1796381000.000",  # two stamps: which one?
        "t=1796381999 1796381000",
        "1796381999.",
        "t=nan",
        "t=inf",
        "T=1796381999",
        "t=179638199912345678",  # beyond microseconds' range
        "١٧٩٦٣٨١٩٩٩",  # digits, but not ASCII ones
        "t=1796381999.1234567890",  # more than nine decimals
    ],
)
def test_what_is_not_a_stamp_is_refused(raw):
    assert parse_stamp(raw) is None


# --- the rule -----------------------------------------------------------------------------------


def test_a_trusted_stamp_within_the_bound_counts():
    arrival = read("t=1796381998.250")
    assert arrival == Arrival(NOW - timedelta(seconds=1.75), Basis.STAMP, arrival.at)
    assert arrival.stamped


@pytest.mark.parametrize("header", [None, "", "   "])
def test_no_stamp_means_the_callers_clock(header):
    assert read(header) == Arrival(NOW, Basis.NO_STAMP)


def test_a_stamp_from_an_untrusted_peer_is_ignored_however_early():
    arrival = read("t=1796381900.000", trusted=False)
    assert arrival == Arrival(NOW, Basis.UNTRUSTED_PEER)
    assert not arrival.stamped


def test_an_unreadable_stamp_from_the_proxy_falls_back():
    assert read("t=yesterday") == Arrival(NOW, Basis.UNPARSABLE)


def test_a_stamp_in_the_future_falls_back_and_is_kept_for_the_audit():
    arrival = read("t=1796382000.001")
    assert arrival == Arrival(NOW, Basis.STAMP_IN_FUTURE, NOW + timedelta(milliseconds=1))


def test_a_stamp_at_now_counts():
    assert read("t=1796382000.000") == Arrival(NOW, Basis.STAMP, NOW)


def test_a_stamp_exactly_at_the_bound_counts_one_millisecond_older_does_not():
    at_bound = read(f"t={EPOCH_NOW - 120:.3f}")
    assert (at_bound.at, at_bound.basis) == (NOW - timedelta(seconds=120), Basis.STAMP)
    older = read(f"t={EPOCH_NOW - 120.001:.3f}")
    assert (older.at, older.basis) == (NOW, Basis.STAMP_TOO_OLD)
    assert older.stamp == NOW - timedelta(seconds=120.001)


def test_a_zero_bound_accepts_only_a_stamp_at_now():
    assert read("t=1796382000.000", max_age=0).basis is Basis.STAMP
    assert read("t=1796381999.999", max_age=0).basis is Basis.STAMP_TOO_OLD


def test_the_bound_and_the_clock_are_checked():
    with pytest.raises(ValueError, match="max_age"):
        read("t=1796381999.000", max_age=-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        read("t=1796381999.000", now=NOW.replace(tzinfo=None))


def test_a_stamp_is_compared_as_a_moment_whatever_the_clocks_time_zone():
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert read("t=1796381999.000", now=paris).at == NOW - timedelta(seconds=1)


def test_without_a_request_the_processing_clock_counts():
    assert processing_time(NOW) == Arrival(NOW, Basis.NO_REQUEST)


# --- properties ---------------------------------------------------------------------------------

headers = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.floats(min_value=0, max_value=4e9, allow_nan=False).map(lambda s: f"t={s:.3f}"),
    st.integers(min_value=0, max_value=10**17).map(str),
    st.floats(min_value=-300, max_value=300).map(lambda d: f"t={EPOCH_NOW + d:.3f}"),
)


@given(
    header=headers,
    trusted=st.booleans(),
    max_age=st.floats(min_value=0, max_value=3600),
    shift=st.integers(min_value=-(10**12), max_value=10**12),
)
def test_the_moment_is_never_after_now_nor_older_than_the_bound(header, trusted, max_age, shift):
    now = NOW + timedelta(microseconds=shift)
    arrival = read(header, trusted=trusted, max_age=max_age, now=now)
    assert arrival.at <= now
    assert now - arrival.at <= timedelta(seconds=max_age)
    assert (arrival.at != now) <= arrival.stamped  # only a believed stamp moves the moment


@given(header=headers, max_age=st.floats(min_value=0, max_value=3600))
def test_an_untrusted_peer_never_moves_the_moment(header, max_age):
    assert read(header, trusted=False, max_age=max_age).at == NOW


@given(delay_ms=st.integers(min_value=0, max_value=120_000))
def test_a_trusted_stamp_within_the_bound_is_the_moment_to_the_millisecond(delay_ms):
    moment = NOW - timedelta(milliseconds=delay_ms)
    arrival = read(f"t={int(moment.timestamp())}.{moment.microsecond // 1000:03d}")
    assert (arrival.at, arrival.basis) == (moment, Basis.STAMP)


# --- the proxies --------------------------------------------------------------------------------


def test_proxies_are_addresses_or_networks():
    networks = parse_networks(["10.0.0.5", " 192.168.1.0/24 ", "", "::1", "fd00::/8"])
    assert is_trusted_peer("10.0.0.5", networks)
    assert is_trusted_peer("192.168.1.77", networks)
    assert is_trusted_peer("::1", networks)
    assert is_trusted_peer("fd12::3", networks)
    assert is_trusted_peer("::ffff:10.0.0.5", networks)  # IPv4 seen through an IPv6 socket
    assert not is_trusted_peer("10.0.0.6", networks)
    assert not is_trusted_peer("192.168.2.1", networks)


@pytest.mark.parametrize("peer", [None, "", "unix:/run/gunicorn.sock", "10.0.0.5, 10.0.0.6"])
def test_an_unreadable_peer_is_never_trusted(peer):
    assert not is_trusted_peer(peer, parse_networks(["0.0.0.0/0", "::/0"]))


def test_nobody_is_trusted_without_proxies():
    assert not is_trusted_peer("127.0.0.1", parse_networks([]))


def test_a_wrong_proxy_setting_is_named():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])
