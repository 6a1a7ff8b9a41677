"""poll()/parse_bodies(): concurrency bounds, isolation of bad feeds, host-wide Retry-After."""
from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import timedelta

from concurrent.futures.process import BrokenProcessPool

import psutil
import pytest

from pipeline.feeds.http import HttpConfig
from pipeline.feeds.models import FeedState
from pipeline.feeds.parse import MAX_ENTRIES
from pipeline.feeds.parse_job import address_space_headroom
from pipeline.feeds.poll import parse_bodies, poll
from pipeline.pool import make_process_pool
from pipeline.feeds.schedule import host_blocks, next_state
from tests.feeds.conftest import FIXTURES, NOW, item, rss, still_at_now

FAST = HttpConfig(connect_timeout=1, read_timeout=1, total_timeout=1.5, trust_env=False)
DATES_ENTRIES = (FIXTURES / "dates.xml").read_bytes().count(b"<item>")


@pytest.fixture(scope="module")
def pool():
    executor = make_process_pool(2)
    yield executor
    executor.shutdown()


def origin(server) -> str:
    """The key of a pause the test server asks for: its host and port (schedule.origin_of)."""
    return f"127.0.0.1:{server.server_address[1]}"


def run(states, pool, **kwargs):
    return {result.feed_id: (result, parsed) for result, parsed in
            poll(states, now=NOW, config=FAST, executor=pool, **{"clock": still_at_now, **kwargs})}


def test_every_feed_gets_exactly_one_result(server, pool):
    good = server.static("/good", 200, rss(item("g1", "https://example.org/1", "One")))
    states = [FeedState("good", good), FeedState("missing", server.url("/nowhere")),
              FeedState("gone", server.static("/gone", 410)),
              FeedState("bomb", server.static("/bomb", 200, (FIXTURES / "bomb_quadratic.xml").read_bytes())),
              FeedState("local", (FIXTURES / "dates.xml").as_uri())]
    results = run(states, pool)
    assert set(results) == {"good", "missing", "gone", "bomb", "local"}
    assert [entry.title for entry in results["good"][1].entries] == ["One"]
    assert results["missing"][0].outcome == "soft_fail" and results["missing"][1] is None
    assert results["gone"][0].outcome == "gone"
    assert results["bomb"][1].error.startswith("rejected")
    assert len(results["local"][1].entries) == DATES_ENTRIES


def concurrency_probe(server, seconds: float) -> tuple[str, list[int]]:
    """A route answering after `seconds`, and a one-item list holding the most requests it served at once."""
    active, peak, lock = [0], [0], threading.Lock()

    def slow(handler):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(seconds)
        with lock:
            active[0] -= 1
        handler.reply(200, rss())
    return server.route("/slow", slow), peak


def test_at_most_per_host_connections_per_host(server, pool):
    slow, peak = concurrency_probe(server, 0.1)
    states = [FeedState(f"f{n}", f"{slow}?n={n}") for n in range(8)]
    run(states, pool, per_host=2, max_in_flight=8)
    assert peak[0] == 2


def test_hosts_are_polled_in_parallel(server, pool):
    _, peak = concurrency_probe(server, 0.2)
    port = server.server_address[1]
    hosts = ["127.0.0.1", "localhost"]  # two politeness keys, one server
    states = [FeedState(f"f{n}", f"http://{hosts[n % 2]}:{port}/slow?n={n}") for n in range(4)]
    run(states, pool, per_host=1, max_in_flight=8)
    assert peak[0] == 2


def test_feeds_sent_on_to_one_host_share_its_connection_limit(server, pool):
    """localhost and 127.0.0.1 are two hosts of one server. Feeds listed at localhost whose last fetch was sent on
    (302) to 127.0.0.1, and feeds listed at 127.0.0.1: the limit held per listed host only, so with one connection
    per host 127.0.0.1 served two fetches at once (an aggregator behind many outlets' addresses got one per outlet)."""
    target, peak = concurrency_probe(server, 0.3)
    moved = server.static("/moved", 302, headers={"Location": target}).replace("127.0.0.1", "localhost")
    states = [FeedState(f"moved-{n}", f"{moved}?n={n}", fetched_url=target) for n in range(2)]
    states += [FeedState(f"direct-{n}", f"{target}?n={n}") for n in range(2)]
    results = run(states, pool, per_host=1, max_in_flight=8)
    assert sorted(result.status_code for result, _ in results.values()) == [200] * 4
    assert peak[0] == 1


def test_a_stalled_feed_does_not_hold_up_the_others(server, pool):
    """The stalled server answers only once every other feed is in, well within its read timeout: polled one
    after another, the others would wait the whole timeout and come in after it. No clock in the assertion."""
    others_in = threading.Event()
    server.route("/stall", lambda handler: others_in.wait(60) and handler.reply(200, rss()))
    fast = server.static("/fast", 200, rss(item("g", "https://example.org/g")))
    states = [FeedState("stall", server.url("/stall"))] + [FeedState(f"f{n}", f"{fast}?n={n}") for n in range(5)]
    patient = replace(FAST, read_timeout=30, total_timeout=60)
    order = []
    try:
        for result, _ in poll(states, now=NOW, config=patient, executor=pool, per_host=4):
            order.append(result.feed_id)
            if len(order) == 5 and "stall" not in order:
                others_in.set()
    finally:
        others_in.set()
    assert order[-1] == "stall"


def test_no_fetch_starts_once_the_runs_fetch_budget_is_spent(server, pool):
    """Six slow feeds of one host, two at a time, held a run for three minutes (a hundred would outlast the 15-minute
    schedule): past the budget, the feeds still waiting for the host are deferred, with no request sent, and stay due;
    another host's feed, started at once, is fetched. The budget is seconds, not a fraction of one: a loaded machine
    (CI's two cores) once took longer than 0.5 s to start the first fetch, and deferred it too."""
    budget = replace(FAST, read_timeout=10, total_timeout=10, fetch_budget=3)

    def slow(handler):  # the first answer outlasts the budget: the host's next feed is past it
        time.sleep(budget.fetch_budget + 0.5)
        handler.reply(200, rss())
    server.route("/slow", slow)
    port = server.server_address[1]
    states = [FeedState(f"s{n}", server.url(f"/slow?n={n}"), consecutive_failures=1) for n in range(3)]
    states.append(FeedState("other", f"http://localhost:{port}/slow?n=other"))
    results = {result.feed_id: result for result, _ in poll(states, now=NOW, config=budget, executor=pool, per_host=1)}
    outcomes = sorted(result.outcome for feed_id, result in results.items() if feed_id != "other")
    assert outcomes == ["deferred", "deferred", "ok"] and results["other"].outcome == "ok"
    assert sorted(path for path, _ in server.requests if path.startswith("/slow")) == ["/slow?n=0", "/slow?n=other"]
    deferred = next(result for result in results.values() if result.outcome == "deferred")
    assert deferred.status_code is None and deferred.error.startswith("deferred: the run's fetch budget of 3 s")
    state = next(s for s in states if s.feed_id == deferred.feed_id)
    after = next_state(state, deferred, NOW, timedelta(minutes=15))
    assert (after.last_outcome, after.consecutive_failures, after.next_check_at) == ("deferred", 1, None)  # still due
    assert host_blocks([after], NOW) == {}  # nobody asked for a pause


def test_retry_after_pauses_the_whole_host(server, pool):
    server.static("/limited", 429, headers={"Retry-After": "600"})
    ok = server.static("/ok", 200, rss())
    states = [FeedState("limited", server.url("/limited"))] + [FeedState(f"f{n}", f"{ok}?n={n}") for n in range(3)]
    host_not_before = {}
    results = run(states, pool, per_host=1, host_not_before=host_not_before)
    assert results["limited"][0].outcome == "rate_limited"
    for feed_id in ("f0", "f1", "f2"):
        result = results[feed_id][0]
        assert (result.outcome, result.status_code, result.retry_after) == \
            ("rate_limited", None, NOW + timedelta(seconds=600))
    assert [path for path, _ in server.requests] == ["/limited"]
    assert host_not_before == {origin(server): NOW + timedelta(seconds=600)}


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_counts_from_when_its_answer_arrived(server, pool, status):
    """It counted from the run's start: "Retry-After: 120" answered ten minutes into a run was stored as a pause that
    had ended eight minutes before it was asked for, so the next run asked the host again at once."""
    clock = [NOW]

    def answer_ten_minutes_in(handler):
        clock[0] = NOW + timedelta(minutes=10)
        handler.reply(status, headers={"Retry-After": "120"})
    server.route("/limited", answer_ten_minutes_in)
    ok = server.static("/ok", 200, rss())
    states = [FeedState("limited", server.url("/limited"))] + [FeedState(f"f{n}", f"{ok}?n={n}") for n in range(2)]
    host_not_before = {}
    results = run(states, pool, per_host=1, host_not_before=host_not_before, clock=lambda: clock[0])
    until = NOW + timedelta(minutes=12)
    answers = [results[feed_id][0] for feed_id in ("limited", "f0", "f1")]
    assert [(answer.status_code, answer.outcome, answer.retry_after) for answer in answers] == \
        [(status, "rate_limited", until), (None, "rate_limited", until), (None, "rate_limited", until)]
    assert host_not_before == {origin(server): until}
    deferred = next_state(states[1], results["f0"][0], NOW, timedelta(minutes=15))
    assert host_blocks([deferred], NOW + timedelta(minutes=11)) == {origin(server): until}  # a run started then waits


def test_a_pause_that_ends_during_the_run_lets_the_host_be_asked(server, pool):
    """A pause was held until the run's end when it ended after the run's start: a pause to 12:05 kept back a feed
    whose turn came at 12:06."""
    ok = server.static("/ok", 200, rss())
    results = run([FeedState("f", ok)], pool, host_not_before={origin(server): NOW + timedelta(minutes=5)},
                  clock=lambda: NOW + timedelta(minutes=6))
    assert (results["f"][0].outcome, results["f"][0].status_code) == ("ok", 200)


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "0"}], ids=["no Retry-After", "Retry-After 0"])
def test_a_429_without_a_pause_to_come_pauses_the_host_for_this_poll(server, pool, headers):
    """It named no time: the host's other feeds are deferred without one; later polls hold the host until the
    refused feed, backing off, is due again."""
    server.static("/limited", 429, headers=headers)
    ok = server.static("/ok", 200, rss())
    states = [FeedState("limited", server.url("/limited"))] + [FeedState(f"f{n}", f"{ok}?n={n}") for n in range(3)]
    host_not_before = {}
    results = run(states, pool, per_host=1, host_not_before=host_not_before)
    assert (results["limited"][0].outcome, results["limited"][0].status_code) == ("rate_limited", 429)
    for feed_id in ("f0", "f1", "f2"):
        result = results[feed_id][0]
        assert (result.outcome, result.status_code, result.retry_after) == ("rate_limited", None, None)
        assert result.error == f"deferred: {origin(server)} answered 429 Too Many Requests earlier in this run"
    assert [path for path, _ in server.requests] == ["/limited"]
    assert host_not_before == {}  # no time to carry: the next run's pause comes from the stored states
    interval = timedelta(minutes=15)
    refused, *deferred = [next_state(state, results[state.feed_id][0], NOW, interval, None) for state in states]
    assert refused.consecutive_failures == 1 and refused.next_check_at > NOW + interval
    assert {state.next_check_at for state in deferred} == {NOW + interval}  # deferred: not the feeds' fault
    assert host_blocks([refused, *deferred], NOW + interval) == {origin(server): refused.next_check_at}


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "600"}], ids=["no Retry-After", "Retry-After"])
def test_a_429_after_a_redirect_to_another_site_pauses_the_host_that_answered(server, pool, headers):
    """localhost and 127.0.0.1 are two sites on one loopback server. A feed listed at localhost is sent on (301) to
    127.0.0.1, which answers 429: 127.0.0.1 is paused, and so is a feed whose last fetch was sent on there; localhost
    (a feed service, a proxy) stays open for its other feeds."""
    server.static("/limited", 429, headers=headers)
    server.static("/moved", 301, headers={"Location": server.url("/limited")})
    moved = server.url("/moved").replace("127.0.0.1", "localhost")
    ok = server.static("/ok", 200, rss())
    states = [FeedState("moved", f"{moved}?n=0"),
              FeedState("moved before", f"{moved}?n=1", fetched_url=server.url("/limited")),
              FeedState("other at localhost", ok.replace("127.0.0.1", "localhost")),
              FeedState("other at 127.0.0.1", ok)]
    host_not_before = {}
    results = run(states, pool, max_in_flight=1, host_not_before=host_not_before)
    assert (results["moved"][0].status_code, results["moved"][0].final_url) == (429, server.url("/limited"))
    assert results["moved before"][0].error.startswith(f"deferred: {origin(server)} ")
    assert results["other at 127.0.0.1"][0].error.startswith(f"deferred: {origin(server)} ")
    assert results["other at localhost"][0].status_code == 200
    assert [path.split("?")[0] for path, _ in server.requests] == ["/moved", "/limited", "/ok"]
    assert set(host_not_before) == ({origin(server)} if headers else set())

@pytest.mark.parametrize("headers", [{}, {"Retry-After": "600"}], ids=["no Retry-After", "Retry-After"])
def test_a_429_pauses_the_origin_that_answered_not_other_ports_of_its_host(server, other_server, pool, headers):
    """Two servers on 127.0.0.1, each on a port of its own: two origins. A 429 from one paused every feed of the host
    name, the other server's too, for its Retry-After (an hour, a day) or the rest of the run."""
    server.static("/limited", 429, headers=headers)
    states = [FeedState("limited", server.url("/limited")),
              FeedState("beside it", server.static("/ok", 200, rss())),
              FeedState("other port", other_server.static("/ok", 200, rss()))]
    host_not_before = {}
    results = run(states, pool, max_in_flight=1, host_not_before=host_not_before)
    assert results["limited"][0].status_code == 429
    assert results["beside it"][0].error.startswith(f"deferred: {origin(server)} ")
    assert (results["other port"][0].status_code, other_server.requests[0][0]) == (200, "/ok")
    assert set(host_not_before) == ({origin(server)} if headers else set())


def test_a_bare_503_leaves_the_host_open(server, pool):
    """A 503 without Retry-After is one feed's failure (soft_fail): the host's other feeds are fetched."""
    server.static("/down", 503, b"maintenance")
    ok = server.static("/ok", 200, rss())
    states = [FeedState("down", server.url("/down"))] + [FeedState(f"f{n}", f"{ok}?n={n}") for n in range(3)]
    host_not_before = {}
    results = run(states, pool, per_host=1, host_not_before=host_not_before)
    assert results["down"][0].outcome == "soft_fail"
    assert [results[f"f{n}"][0].status_code for n in range(3)] == [200, 200, 200]
    assert host_not_before == {}


def test_a_short_content_length_costs_no_other_feed_its_answer(server, pool):
    """A server writing more than its Content-Length leaves the rest on the kept-alive connection, where it
    reads as the start of the next answer; the next feed from that host must still get its own."""
    lying_body = rss(item("l1", "https://example.org/l1", "Lying"))
    extra = b"<!-- bytes beyond the declared length -->"

    def lie(handler):  # headers and body in one write, so that the extra bytes reach the client with the body
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(lying_body)}\r\n\r\n".encode()
        handler.wfile.write(head + lying_body + extra)
    lying = server.route("/lying", lie)
    honest = server.static("/honest", 200, rss(item("h1", "https://example.org/h1", "Honest")))
    results = run([FeedState("lying", lying), FeedState("honest", honest)], pool, per_host=1)
    assert (results["honest"][0].outcome, results["honest"][0].error) == ("ok", None)
    assert [entry.title for entry in results["honest"][1].entries] == ["Honest"]
    assert [entry.title for entry in results["lying"][1].entries] == ["Lying"]  # what its own framing declared


def test_known_host_pause_is_honoured(server, pool):
    url = server.static("/ok", 200, rss())
    results = run([FeedState("f", url)], pool, host_not_before={origin(server): NOW + timedelta(minutes=5)})
    assert results["f"][0].outcome == "rate_limited" and server.requests == []


def test_key_mode_is_passed_to_the_parser(server, pool):
    url = server.static("/feed", 200, rss(item("g1", "https://example.org/a")))
    [(_, parsed)] = run([FeedState("f", url, key_mode="link")], pool).values()
    assert parsed.entries[0].key == "url:https://example.org/a"


def test_closing_early_does_not_hang(server, pool):
    url = server.static("/feed", 200, rss())
    stream = poll([FeedState(f"f{n}", f"{url}?n={n}") for n in range(20)], now=NOW, config=FAST,
                  executor=pool, per_host=4)
    next(stream)
    stream.close()


def allocate_beyond_headroom() -> tuple[str, tuple[int, int]]:
    """Runs in a worker: a 512 MB allocation under a 64 MB headroom, then the limit afterwards."""
    try:
        with address_space_headroom(64 << 20):
            bytearray(512 << 20)
        outcome = "allocated"
    except MemoryError:
        outcome = "MemoryError"
    return outcome, resource.getrlimit(resource.RLIMIT_AS)


def test_parsing_runs_under_a_scoped_memory_cap(pool):
    outcome, limit_after = pool.submit(allocate_beyond_headroom).result()
    assert outcome == "MemoryError"
    assert limit_after == resource.getrlimit(resource.RLIMIT_AS)  # restored to what workers inherit


def test_nothing_to_poll():
    assert list(poll([], now=NOW)) == []
    assert list(parse_bodies([], now=NOW)) == []


def test_poll_with_its_own_pool(server):
    url = server.static("/feed", 200, rss(item("g1", "https://example.org/a")))
    [(result, parsed)] = list(poll([FeedState("f", url)], now=NOW, config=FAST))
    assert result.outcome == "ok" and len(parsed.entries) == 1


def test_parse_bodies_parallel(pool):
    names = ["dates.xml", "atom_relative.xml", "bomb_billion_laughs.xml", "xss_titles_links.xml"]
    jobs = ((name, (FIXTURES / name).read_bytes(), "https://example.org/") for name in names)
    parsed = dict(parse_bodies(jobs, now=NOW, executor=pool))
    assert set(parsed) == set(names)
    assert parsed["bomb_billion_laughs.xml"].error.startswith("rejected")
    assert len(parsed["dates.xml"].entries) == DATES_ENTRIES


def big_feed(items: int) -> bytes:
    return rss(*(item(f"g{n}", f"https://example.org/{n}", f"Title {n}", "Mon, 27 Jul 2026 14:21:32 GMT",
                      "&lt;p&gt;" + "words " * 200 + "&lt;/p&gt;") for n in range(items)))


def test_a_runaway_parse_is_stopped_and_its_worker_replaced():
    pool = make_process_pool(1)
    small = rss(item("g1", "https://example.org/1"))
    jobs = [("big", big_feed(MAX_ENTRIES), "https://example.org/"), ("small", small, "https://example.org/")]
    try:
        pool.submit(int).result()
        worker_pids = {process.pid for process in pool._processes.values()}
        # big needs ≈ 1.1 s of CPU here (2026-11), 3.6x the limit. It used to be 60 words an entry and a 1 s
        # limit: that parse took 0.93 s, and the test failed whenever the box ran fast.
        parsed = dict(parse_bodies(jobs, now=NOW, executor=pool, parse_timeout=0.3))
        assert parsed["big"].error == "parse took longer than 0.3 s"
        assert len(parsed["small"].entries) == 1  # served by the replacement pool
        assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                       for pid in worker_pids)
    finally:
        pool.shutdown()


def test_a_dead_worker_pool_is_replaced():
    pool = make_process_pool(1)
    try:
        pool.submit(int).result()
        for process in pool._processes.values():
            process.kill()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until the executor has noticed
            try:
                pool.submit(int).result()
            except BrokenProcessPool:
                break
        jobs = [(f"f{n}", rss(item(f"g{n}", f"https://example.org/{n}")), "https://example.org/") for n in range(3)]
        parsed = dict(parse_bodies(jobs, now=NOW, executor=pool))
        assert all(len(result.entries) == 1 for result in parsed.values()) and len(parsed) == 3
    finally:
        pool.shutdown()


def test_pool_workers_exit_when_their_parent_is_killed(tmp_path):
    """Every process a pool started goes: its workers, and the fork server they were forked from."""
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import os, sys, time
        from pipeline.pool import make_process_pool
        pool = make_process_pool(2)
        print(pool.submit(os.getpid).result(), *pool._processes, flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    workers = [psutil.Process(int(pid)) for pid in set(parent.stdout.readline().split())]
    assert workers, "the pool started its workers"
    workers += psutil.Process(parent.pid).children(recursive=True)
    parent.kill()
    # Its output read to the end before it is reaped, as `subprocess.run` does: every process holding that output
    # must end while the parent is a zombie (workers that looked for its pid waited for the reaping, and it for them).
    try:
        parent.communicate(timeout=10)
    finally:
        gone, alive = psutil.wait_procs(workers, timeout=10)
        for orphan in alive:
            orphan.kill()
    assert not alive, f"workers outlived their killed parent: {alive}"


def test_a_hangup_leaves_the_pools_fork_server_and_workers_serving():
    """A terminal's hangup reaches the whole process group, the fork server too, while `ingest --every` finishes its
    run: a server it ended broke the pool it had forked (the executor reads a worker's end from the server)."""
    script = textwrap.dedent("""
        import os, signal, time, psutil
        from pipeline.pool import make_process_pool
        pool = make_process_pool(1)
        worker = pool.submit(os.getpid).result()
        server, = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
        server.send_signal(signal.SIGHUP)
        time.sleep(2.5)  # the workers' watch looks every second
        print(server.is_running(), pool.submit(os.getpid).result() == worker)
        """)
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert answer.stdout.split() == ["True", "True"], answer.stderr


def test_a_parser_worker_imports_no_http_client():
    """A pool worker imports the module of each job it unpickles: with the parse job in poll.py, every worker of every
    ingest imported httpx and asyncio (about 0.15 s of CPU) to parse XML."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, pipeline.feeds.parse_job; print(sorted(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout
    assert "'httpx'" not in loaded and "'asyncio'" not in loaded and "'pipeline.feeds.parse'" in loaded



def test_a_terminate_to_the_group_leaves_the_pools_fork_server_serving():
    """SIGTERM reaches the whole process group too (systemd's stop, `kill -- -PGID`) while `ingest --every` finishes
    its run: a fork server it ended made the next worker's start fail with EOFError (not BrokenProcessPool), which
    ended the run in "Aborted!", exit 1, instead of event=stopped and 143."""
    script = textwrap.dedent("""
        import os, signal, time, psutil
        from pipeline.pool import make_process_pool
        pool = make_process_pool(2)
        pool.submit(os.getpid).result()  # one worker started; the second starts at the next busy submit
        server, = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
        server.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        try:
            started = len(set(pool.map(time.sleep, [0.5, 0.5]))) and "started"
        except Exception as error:
            started = type(error).__name__
        print(server.is_running() and server.status() != psutil.STATUS_ZOMBIE, started)
        """)
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert answer.stdout.split() == ["True", "started"], answer.stdout + answer.stderr


def test_a_fork_server_killed_alone_breaks_its_pool_as_a_dead_worker_does_and_the_next_pool_starts_another():
    """kill -9 or the OOM killer may end the fork server alone. Its pool must fail as BrokenProcessPool, which every
    caller handles (a retry on a new pool, or the rest of the batch on this core), not as the EOFError of a worker's
    start, which ended a run in "Aborted!"; and the process's next pool must start a server of its own, with the
    group's hangup and terminate blocked as the first one's (multiprocessing would restart it without)."""
    script = textwrap.dedent("""
        import os, signal, time, psutil
        from concurrent.futures.process import BrokenProcessPool
        from pipeline.pool import make_process_pool

        def server():
            found, = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
            return found

        def blocks(process, signum):
            status = dict(line.split(":", 1) for line in open(f"/proc/{process.pid}/status"))
            return bool(int(status["SigBlk"], 16) >> (signum - 1) & 1)

        if __name__ == "__main__":
            pool = make_process_pool(2)
            pool.submit(os.getpid).result()  # one worker started; the second starts at the next busy submit
            server().kill()
            time.sleep(0.5)
            try:
                broke = list(pool.map(time.sleep, [0.5, 0.5])) and "served"
            except BrokenProcessPool:
                broke = "broken"
            answer = make_process_pool(2).submit(abs, -2).result(timeout=30)
            print(broke, answer, blocks(server(), signal.SIGTERM), blocks(server(), signal.SIGHUP))
        """)
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert answer.stdout.split() == ["broken", "2", "True", "True"], answer.stdout + answer.stderr
