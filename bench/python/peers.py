"""The seed article's three Python strategies as real HTTP clients of the market API.

The article ("Concurrency for API integration") compares three ways to make many
API calls: one after another, a `concurrent.futures.ThreadPoolExecutor(max_workers=5)`
around `requests`, and `asyncio.gather` over one `aiohttp.ClientSession`. Its examples
stand in for the network with `time.sleep` / `asyncio.sleep`; this script keeps the
three strategies as they are written there but calls a real server instead of
sleeping, so `cargo xtask bench` can put them beside the Rust app and plain
JavaScript for the same N quote requests.

Usage:

    peers.py --base http://127.0.0.1:8787 --key demo --strategy threads --workers 5 \\
        --n 100 --latency-ms 200 --runs 3 --symbols-file symbols.txt

Request i asks for the quote of symbols[i % len(symbols)], each with the header
`x-tickerboard-latency-ms: L`, so the server answers after L ms. Sessions (and the
thread pool) are made before any timing; one untimed warm-up of min(N, 5) requests
opens the connections; then each of the R runs times the whole batch of N with
`time.perf_counter`. A request is an error when it raises or its status is not 200.

It prints exactly one JSON line on stdout:

    {"peer": "python-threads-5", "n": 100, "latency_ms": 200, "walls_ms": [...],
     "errors": 0, "python": "3.11.7", "library": "requests 2.34.2"}

and exits 2, with a message on stderr, when the server cannot be reached.
"""

import argparse
import asyncio
import http.client
import json
import platform
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# Latency of the warm-up requests, at most: long enough for concurrent warm-up
# requests to overlap (so every thread, or the asyncio pool, opens a connection),
# short enough that a warm-up at L = 1000 does not cost the sequential peer 5 s.
WARM_UP_LATENCY_MS = 20

# requests has no timeout by default (a hung server would hang the benchmark);
# aiohttp's default is 5 minutes per request: give requests the same.
REQUEST_TIMEOUT_S = 300


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the API's origin, e.g. http://127.0.0.1:8787")
    parser.add_argument("--key", required=True, help="API key, sent as `Authorization: Bearer KEY`")
    parser.add_argument("--strategy", required=True, choices=["sequential", "threads", "asyncio"])
    parser.add_argument("--workers", type=int, default=5, help="threads: the pool's size (5, as in the article)")
    parser.add_argument("--n", type=int, required=True, help="quote requests per run")
    parser.add_argument("--latency-ms", type=int, required=True, help="the server answers each request after this")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of all N requests")
    parser.add_argument("--symbols-file", required=True, help="one symbol per line")
    parser.add_argument(
        "--insecure", action="store_true", help="https: accept the server's self-signed certificate"
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1 or args.workers < 1 or args.latency_ms < 0:
        parser.error("--n, --runs and --workers must be at least 1, --latency-ms at least 0")
    return args


def read_symbols(path):
    with open(path, encoding="utf-8") as file:
        symbols = [line.strip() for line in file if line.strip() and not line.startswith("#")]
    if not symbols:
        sys.exit(f"error: no symbols in {path}")
    return symbols


def batch(symbols, n):
    """Request i asks for symbols[i % len(symbols)]."""
    return [symbols[i % len(symbols)] for i in range(n)]


def headers(key, latency_ms):
    return {"Authorization": f"Bearer {key}", "x-tickerboard-latency-ms": str(latency_ms)}


def check_reachable(args, symbol):
    """One plain (standard library) request first, so a server that is not there
    or a refused key gives a clear message instead of N errors. Tried three times,
    so one injected fault (`drop`, `hang`) is not taken for an absent server."""
    url = f"{args.base}/api/v1/quotes/{symbol}"
    request = urllib.request.Request(url, headers=headers(args.key, 0))
    context = ssl._create_unverified_context() if args.insecure else None
    for _ in range(3):
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as response:
                response.read()
            return
        except urllib.error.HTTPError as err:
            # Any answer means the server is there; only a refused key stops the run.
            if err.code in (401, 403):
                sys.exit(f"error: the API server at {args.base} answered {err.code} to GET {url}: is the key right?")
            return
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", err)
    print(f"error: cannot reach the API server at {args.base}: {reason}", file=sys.stderr)
    sys.exit(2)


# --- sequential and threads: requests -------------------------------------------


def fetch_blocking(session, base, symbol, request_headers, verify):
    """One quote with `requests`: True when it came back 200 with a JSON body."""
    try:
        response = session.get(
            f"{base}/api/v1/quotes/{symbol}", headers=request_headers, timeout=REQUEST_TIMEOUT_S, verify=verify
        )
        if response.status_code != 200:
            return False
        response.json()
        return True
    except Exception:  # noqa: BLE001 - any failure of one request is one error
        return False


def quiet_if_insecure(args):
    """Whether requests verifies certificates; with --insecure (asked for), also
    silences urllib3's warning, which it would print once per request."""
    if args.insecure:
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    return not args.insecure


def run_sequential(args, symbols):
    """The article's baseline: one Session, one request after another."""
    import requests

    verify = quiet_if_insecure(args)
    session = requests.Session()
    warm = headers(args.key, min(args.latency_ms, WARM_UP_LATENCY_MS))
    for symbol in batch(symbols, min(args.n, 5)):
        fetch_blocking(session, args.base, symbol, warm, verify)

    timed = headers(args.key, args.latency_ms)
    work = batch(symbols, args.n)
    walls, errors = [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        ok = [fetch_blocking(session, args.base, symbol, timed, verify) for symbol in work]
        walls.append((time.perf_counter() - start) * 1000)
        errors += ok.count(False)
    session.close()
    return "python-sequential", walls, errors, f"requests {requests.__version__}"


def run_threads(args, symbols):
    """The article's `ThreadPoolExecutor(max_workers=W)`: W threads, each with its
    own Session (a Session is not thread-safe), kept in a thread-local. Each thread
    has one request in flight at a time, so the pool holds W connections in all."""
    import requests

    verify = quiet_if_insecure(args)
    local = threading.local()
    sessions = []
    sessions_lock = threading.Lock()

    def session():
        if not hasattr(local, "session"):
            local.session = requests.Session()
            with sessions_lock:
                sessions.append(local.session)
        return local.session

    def fetch(symbol, request_headers):
        return fetch_blocking(session(), args.base, symbol, request_headers, verify)

    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        warm = headers(args.key, min(args.latency_ms, WARM_UP_LATENCY_MS))
        list(executor.map(lambda s: fetch(s, warm), batch(symbols, min(args.n, 5))))

        timed = headers(args.key, args.latency_ms)
        work = batch(symbols, args.n)
        walls, errors = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            ok = list(executor.map(lambda s: fetch(s, timed), work))
            walls.append((time.perf_counter() - start) * 1000)
            errors += ok.count(False)
    for each in sessions:
        each.close()
    return f"python-threads-{args.workers}", walls, errors, f"requests {requests.__version__}"


# --- asyncio: aiohttp -----------------------------------------------------------


async def fetch_async(session, base, symbol, request_headers, ssl_option):
    """One quote with aiohttp: True when it came back 200 with a JSON body."""
    try:
        async with session.get(f"{base}/api/v1/quotes/{symbol}", headers=request_headers, ssl=ssl_option) as response:
            if response.status != 200:
                return False
            await response.json()
            return True
    except Exception:  # noqa: BLE001 - any failure of one request is one error
        return False


async def run_asyncio_main(args, symbols):
    import aiohttp

    # `False` skips certificate checks (a self-signed local server); `True` is
    # aiohttp's default verification.
    ssl_option = False if args.insecure else True
    # The session's default connector, as in the article: at most 100 connections
    # at once (TCPConnector(limit=100)); requests past 100 wait for a free one.
    async with aiohttp.ClientSession() as session:
        warm = headers(args.key, min(args.latency_ms, WARM_UP_LATENCY_MS))
        await asyncio.gather(
            *(fetch_async(session, args.base, s, warm, ssl_option) for s in batch(symbols, min(args.n, 5)))
        )

        timed = headers(args.key, args.latency_ms)
        work = batch(symbols, args.n)
        walls, errors = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            ok = await asyncio.gather(*(fetch_async(session, args.base, s, timed, ssl_option) for s in work))
            walls.append((time.perf_counter() - start) * 1000)
            errors += ok.count(False)
    return "python-asyncio", walls, errors, f"aiohttp {aiohttp.__version__}"


def run_asyncio(args, symbols):
    """The article's `asyncio.gather` over one `aiohttp.ClientSession`."""
    return asyncio.run(run_asyncio_main(args, symbols))


STRATEGIES = {"sequential": run_sequential, "threads": run_threads, "asyncio": run_asyncio}


def main(argv=None):
    args = parse_args(argv)
    args.base = args.base.rstrip("/")
    symbols = read_symbols(args.symbols_file)
    check_reachable(args, symbols[0])
    peer, walls, errors, library = STRATEGIES[args.strategy](args, symbols)
    result = {
        "peer": peer,
        "n": args.n,
        "latency_ms": args.latency_ms,
        "walls_ms": [round(ms, 3) for ms in walls],
        "errors": errors,
        "python": platform.python_version(),
        "library": library,
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
