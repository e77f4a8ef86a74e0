#!/usr/bin/env python3
"""Edit-to-reload latency of `opsbook serve` on a corpus (Python 3 standard library only).

  benches/serve_latency.py CORPUS [--bin target/release/opsbook] [--rounds 20] [--json FILE]

Starts the preview server on CORPUS, picks one page (by default the 5th markdown file under
content/ in sorted order), and for each round: reads the page's data-build, starts the long-poll
a reloading browser would have open, appends a unique word to the page's markdown file, and
measures from just before that write until
  reload:  the long-poll answers {"reload": true} for this page,
  visible: a GET of the page issued after that answer contains the word (what a browser shows).
Prints a markdown table (median, p90, max; server RSS after the rounds) and restores the file.
CORPUS is edited while the script runs: use a copy you can spare. See benches/README.md.
"""
import argparse
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def die(msg):
    print(f"serve_latency: {msg}", file=sys.stderr)
    sys.exit(1)


def free_port():
    # Ask the kernel for a free port; the server also moves on to the next one if it is taken.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=30):
    """(status, body text) of a GET; status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
        return 0, ""


def p90(xs):
    # Nearest rank: with 20 rounds, the 18th smallest value; never interpolated.
    s = sorted(xs)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]


def summary(xs):
    if not xs:
        return None
    return {"median": statistics.median(xs), "p90": p90(xs), "max": max(xs), "n": len(xs)}


def memory_kb(pid):
    """VmRSS and VmHWM (peak) of a process, in kB, from /proc."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out.get("VmRSS"), out.get("VmHWM")


def pick_page(content, wanted):
    """The markdown file to edit (relative to content/) and its URL."""
    if wanted:
        rel = wanted
    else:
        files = []
        for d, _, names in os.walk(content):
            for n in names:
                # Section index files map to their folder's URL; skip them for a plain page.
                if n.endswith(".md") and n not in ("index.md", "_index.md"):
                    files.append(os.path.relpath(os.path.join(d, n), content))
        files.sort()
        if len(files) < 5:
            die(f"fewer than 5 markdown files under {content}")
        rel = files[4]
    if not os.path.isfile(os.path.join(content, rel)):
        die(f"no such file: {os.path.join(content, rel)}")
    url = "/" + rel[: -len(".md")].replace(os.sep, "/") + "/"
    return rel, url


class Interrupted(Exception):
    pass


class LongPoll(threading.Thread):
    """The reload client's loop: poll until an answer says this page reloads (or the deadline)."""

    def __init__(self, base, build, page, deadline):
        super().__init__(daemon=True)
        self.base, self.build, self.page, self.deadline = base, build, page, deadline
        self.t_reload = None   # perf_counter() when {"reload": true} arrived
        self.answers = []      # every JSON answer, for the raw numbers
        self.error = None

    def run(self):
        build = self.build
        while time.perf_counter() < self.deadline:
            q = urllib.parse.urlencode({"build": build, "page": self.page})
            left = self.deadline - time.perf_counter()
            try:
                # The server answers after at most ~25 s (204), so the timeout is only a backstop.
                with urllib.request.urlopen(f"{self.base}/__opsbook/reload?{q}", timeout=left + 30) as r:
                    status, body = r.status, r.read()
            except Exception as e:  # noqa: BLE001 - any failure ends this round's poll
                self.error = f"long-poll failed: {e}"
                return
            if status == 204:
                continue
            now = time.perf_counter()
            news = json.loads(body)
            self.answers.append({"build": news.get("build"), "reload": news.get("reload"),
                                 "errors": len(news.get("errors") or [])})
            if news.get("reload"):
                self.t_reload = now
                return
            # A newer build that did not change this page (or failed): wait for the next one.
            build = news.get("build", build)


def run_rounds(a, base, url, md_path, tag, result):
    """The edits; appends one dict of raw numbers per round to result["rounds"]."""
    for i in range(a.rounds):
        status, html = get(base + url)
        m = re.search(r'data-build="(\d+)"', html)  # on the injected reload.js script tag
        if status != 200 or not m:
            die(f"round {i + 1}: {url} answered {status} without a data-build in its reload script")
        build = int(m.group(1))
        word = f"slbench{tag}r{i:03d}"  # letters and digits only: markdown leaves it as is

        deadline = time.perf_counter() + a.arm + a.round_timeout
        poll = LongPoll(base, build, url, deadline)
        poll.start()
        time.sleep(a.arm)  # let the long-poll reach the server and wait, as an open page does
        t0 = time.perf_counter()
        with open(md_path, "a") as f:
            f.write(f"\n\n{word}\n")
            f.flush()
        poll.join(max(0.0, deadline - time.perf_counter()))

        # The browser reloads after the answer; without one, poll the page so visible
        # latency is still measured (the missing reload shows in the raw numbers).
        t_visible = None
        while time.perf_counter() < deadline:
            status, html = get(base + url)
            if word in html:
                t_visible = time.perf_counter()
                break
            time.sleep(0.01)
        row = {
            "round": i + 1, "word": word, "build_before": build,
            "reload_s": None if poll.t_reload is None else poll.t_reload - t0,
            "visible_s": None if t_visible is None else t_visible - t0,
            "answers": poll.answers, "error": poll.error,
        }
        result["rounds"].append(row)
        fmt = lambda s: "none" if s is None else f"{s * 1000:.0f} ms"
        print(f"  round {i + 1:2d}: reload {fmt(row['reload_s'])}, visible {fmt(row['visible_s'])}"
              + (f" ({poll.error})" if poll.error else ""), file=sys.stderr)
        time.sleep(a.pause)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", help="site root with content/ (it is edited, then restored)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/opsbook"),
                    help="opsbook binary (default: target/release/opsbook of this repository)")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--page", help="markdown file to edit, relative to content/ (default: the 5th in sorted order)")
    ap.add_argument("--arm", type=float, default=0.3,
                    help="seconds between starting the long-poll and the edit (default 0.3)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between rounds (default 0.3)")
    ap.add_argument("--startup-timeout", type=float, default=600,
                    help="seconds to wait for the first build to be served (default 600)")
    ap.add_argument("--round-timeout", type=float, default=120,
                    help="seconds to wait for one edit to show (default 120)")
    ap.add_argument("--json", help="write the raw numbers here")
    ap.add_argument("--log", help="keep the server's output here (default: a temp file, deleted)")
    a = ap.parse_args()
    if a.rounds < 1:
        die("--rounds must be at least 1")

    corpus = os.path.abspath(a.corpus)
    content = os.path.join(corpus, "content")
    if not os.path.isdir(content):
        die(f"{corpus} has no content/ folder")
    if not os.access(a.bin, os.X_OK):
        die(f"{a.bin} is not an executable (build it, or pass --bin)")
    pages = sum(1 for _, _, ns in os.walk(content) for n in ns if n.endswith(".md"))
    rel, url = pick_page(content, a.page)
    md_path = os.path.join(content, rel)

    # A time-out from the caller (bench.sh's `timeout`) sends SIGTERM, Ctrl-C SIGINT: turn both
    # into an exception that ends the rounds, so the server is still stopped, the file restored
    # and the rounds so far reported. `timeout` signals the process and then its whole group, so
    # a second signal follows at once: ignore it, or it would cut the clean-up short.
    def interrupt(signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Interrupted(signal.Signals(signum).name)
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)

    help_text = subprocess.run([a.bin, "serve", "--help"], capture_output=True, text=True).stdout
    port = free_port()
    cmd = [a.bin, "serve", "--root", corpus, "--port", str(port)]
    if "--quiet" in help_text:
        cmd.append("--quiet")  # per-build lines would only fill the log

    original = open(md_path, "rb").read()
    # A copy outside the corpus, in case this process dies before it can restore the file.
    fd, backup = tempfile.mkstemp(prefix="serve_latency.", suffix=".md")
    with os.fdopen(fd, "wb") as f:
        f.write(original)

    log_path = a.log
    if not log_path:
        fd, log_path = tempfile.mkstemp(prefix="serve_latency.", suffix=".log")
        os.close(fd)
    log = open(log_path, "wb")
    server = None
    result = {"corpus": corpus, "pages": pages, "page_file": rel, "url": url, "binary": a.bin,
              "command": cmd, "rounds": []}
    try:
        t_start = time.perf_counter()
        server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

        def log_tail():
            log.flush()
            with open(log_path, "rb") as f:
                return f.read()[-2000:].decode("utf-8", "replace").strip()

        # The server builds once before it listens: wait for the home page.
        while True:
            if server.poll() is not None:
                die(f"the server exited with status {server.returncode} before answering:\n{log_tail()}")
            # It moves to the next port when ours was taken meanwhile, and says so.
            moved = re.search(r"serving on port (\d+) instead", log_tail())
            if moved:
                port = int(moved.group(1))
            status, _ = get(f"http://127.0.0.1:{port}/", timeout=5)
            if status == 200:
                break
            if status == 500:
                die(f"the first build failed:\n{log_tail()}")
            if time.perf_counter() - t_start > a.startup_timeout:
                die(f"the server did not answer within {a.startup_timeout:.0f} s")
            time.sleep(0.2)
        result["startup_s"] = time.perf_counter() - t_start
        base = f"http://127.0.0.1:{port}"

        status, _ = get(base + url)
        if status != 200:
            die(f"{url} (from content/{rel}) answered {status}, not 200; pass --page")
        print(f"serve_latency: {pages} pages, server up in {result['startup_s']:.1f} s on port {port}; "
              f"editing content/{rel} ({url}), {a.rounds} rounds", file=sys.stderr)

        tag = os.urandom(3).hex()
        try:
            run_rounds(a, base, url, md_path, tag, result)
        except Interrupted as e:
            result["interrupted"] = str(e)
            print(f"serve_latency: {e}: stopped after {len(result['rounds'])} round(s)", file=sys.stderr)
        rss, hwm = memory_kb(server.pid)
        result["rss_kb"], result["hwm_kb"] = rss, hwm
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        # Restore after the server is gone, so the restore does not trigger one more build.
        with open(md_path, "wb") as f:
            f.write(original)
        if open(md_path, "rb").read() == original:
            os.unlink(backup)
        else:
            print(f"serve_latency: could not restore {md_path}; the original is in {backup}", file=sys.stderr)
        if not a.log:
            os.unlink(log_path)

    rounds = result["rounds"]
    reload = [r["reload_s"] for r in rounds if r["reload_s"] is not None]
    visible = [r["visible_s"] for r in rounds if r["visible_s"] is not None]
    result["summary"] = {"reload_s": summary(reload), "visible_s": summary(visible),
                         "missed_reload": len(rounds) - len(reload),
                         "missed_visible": len(rounds) - len(visible)}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)

    ms = lambda s, k: "n/a" if s is None else f"{s[k] * 1000:.0f}"
    mb = lambda kb: "n/a" if kb is None else f"{kb / 1024:.1f}"
    r, v = result["summary"]["reload_s"], result["summary"]["visible_s"]
    print(f"\nPreview server, {pages} pages: edit content/{rel}, {len(rounds)} rounds "
          f"(first build served after {result['startup_s']:.1f} s)\n")
    print("| pages | reload median (ms) | reload p90 | reload max | visible median (ms) | visible p90 "
          "| visible max | server RSS (MB) | server peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {pages} | {ms(r, 'median')} | {ms(r, 'p90')} | {ms(r, 'max')} | {ms(v, 'median')} "
          f"| {ms(v, 'p90')} | {ms(v, 'max')} | {mb(result['rss_kb'])} | {mb(result['hwm_kb'])} |")
    missed = result["summary"]["missed_reload"], result["summary"]["missed_visible"]
    if any(missed):
        print(f"\nMissed within {a.round_timeout:.0f} s: {missed[0]} reload answer(s), {missed[1]} visible edit(s).")
    if "interrupted" in result:
        print(f"\nInterrupted ({result['interrupted']}) after {len(rounds)} of {a.rounds} rounds.")
    if any(missed) or "interrupted" in result:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except Interrupted as e:  # before the rounds began: nothing to report
        die(f"stopped by {e} before the first round")
