"""proalto.cache: the shared cache's atomic window counter, on the embedded file cache and on
Redis (services pass), and one Redis client per pool instead of one per call."""

import os
import threading

import pytest
from django.core.cache import cache

from proalto import cache as counters

REDIS = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: REDIS_URL unset (make test-services)")


@pytest.fixture(autouse=True)
def clean():
    cache.delete_many(["test:count", "test:window"])
    yield
    cache.delete_many(["test:count", "test:window"])


def test_a_counter_starts_at_one_and_counts():
    assert [counters.count("test:count", timeout=60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("test:count") == 3  # readable as an ordinary cache value


def test_a_counter_starts_over_when_its_window_ends():
    assert counters.count("test:window", timeout=60) == 1
    cache.touch("test:window", 0)  # the window ends
    assert counters.count("test:window", timeout=60) == 1


@pytest.mark.services
@REDIS
def test_on_redis_concurrent_counts_lose_nothing_and_the_window_is_set_once():
    def bump():
        for _ in range(50):
            counters.count("test:count", timeout=60)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("test:count") == 400
    client = cache._cache.get_client(write=True)
    ttl = client.ttl(cache.make_key("test:count"))
    assert 0 < ttl <= 60


@pytest.mark.services
@REDIS
def test_on_redis_one_client_per_pool():
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
