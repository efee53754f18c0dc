#!/usr/bin/env python3
"""Durability of acknowledged decisions under `kill -9` (issue 9).

Starts the server on a fresh SQLite database, puts requests under review in
the decided demo round (with room left in its pool), then repeatedly: signs
in as the committee, sends decisions one after another, kills the server with
SIGKILL at a random moment, restarts it on the same database and checks that
every decision that was answered 2xx is stored with its audit entry. Prints
the figures; exits non-zero if one acknowledged decision is missing.

    scripts/durability.py target/debug/kairr-server [--kills 20]

Standard library only (run by `./kairr test`).
"""

import argparse
import http.cookiejar
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "durability-check-2026"
ROUND = "2026-1"
POOL = "kakao-b200"
FIRST_ID = 800_000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None, token=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("x-csrf-token", token)
        try:
            with self.opener.open(req, timeout=timeout) as res:
                return res.status, json.loads(res.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def token(self):
        return self.call("GET", "/api/v1/auth/session")[1]["csrf_token"]

    def login(self, user):
        status, body = self.call("POST", "/api/v1/auth/login", {"username": user, "password": PASSWORD}, self.token())
        if status != 200:
            raise SystemExit(f"sign-in failed: {status} {body}")


def start(server, env, log):
    proc = subprocess.Popen([server], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = "http://" + env["KAIRR_LISTEN"]
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return proc, base
        except (OSError, urllib.error.URLError):
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}; see {log.name}")
            time.sleep(0.2)
    raise SystemExit("server did not start within 120 s")


def seed(db_path, count):
    """Requests under review in the decided round, and room for all of them in its pool; the round is
    put back under review with its review window closed and no review minimum (the requests are
    inserted without reviews), so the lifecycle lets the committee decide them."""
    db = sqlite3.connect(db_path, timeout=30)
    template = None
    for (body,) in db.execute("SELECT body FROM requests WHERE round_id = ?", (ROUND,)):
        r = json.loads(body)
        if r["pool"] == POOL:
            template = r
            break
    rows = []
    for i in range(count):
        r = dict(template, id=FIRST_ID + i, state="under_review", amount=1, organisation="내구성대학교")
        rows.append((r["id"], ROUND, "someone", r["organisation"], r["sector"], "under_review", json.dumps(r)))
    db.executemany(
        "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) "
        "VALUES (?, ?, ?, ?, ?, ?, 'real', ?)",
        rows,
    )
    (round_body,) = db.execute("SELECT body FROM rounds WHERE id = ?", (ROUND,)).fetchone()
    rnd = json.loads(round_body)
    for p in rnd["pools"]:
        if p["pool"] == POOL:
            p["capacity"] += count
    rnd["stage"] = "under_review"
    rnd["review_closes"] = "2000-01-01"
    rnd["policy"]["min_reviews"] = 0
    db.execute("UPDATE rounds SET stage = 'under_review', body = ? WHERE id = ?", (json.dumps(rnd), ROUND))
    db.commit()
    db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--kills", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(9)
    work = tempfile.mkdtemp(prefix="kairr-durability-")
    db_path = os.path.join(work, "kairr.sqlite")
    env = dict(
        os.environ,
        KAIRR_LISTEN=f"127.0.0.1:{free_port()}",
        KAIRR_DATABASE_PATH=db_path,
        KAIRR_STATIC_DIR=os.path.join(work, "dist"),
        KAIRR_DEMO__PRESIMULATE_DAYS="1",
        KAIRR_DEMO__ACCOUNTS_PASSWORD=PASSWORD,
        RUST_LOG="warn",
    )
    os.makedirs(env["KAIRR_STATIC_DIR"], exist_ok=True)
    log = open(os.path.join(work, "server.log"), "wb")
    per_run = 40
    total = per_run * args.kills
    proc, base = start(args.server, env, log)
    seed(db_path, total)
    acknowledged = []
    next_id = FIRST_ID
    for k in range(args.kills):
        if proc is None:
            proc, base = start(args.server, env, log)
        committee = Client(base)
        committee.login("demo.committee")
        token = committee.token()
        stop = threading.Event()

        def decide(ids):
            for rid in ids:
                if stop.is_set():
                    return
                try:
                    status, _ = committee.call(
                        "POST", f"/api/v1/committee/requests/{rid}/decision",
                        {"kind": "approve", "rationale": "내구성 시험"}, token, timeout=5)
                except OSError:
                    return  # killed mid-call: not acknowledged
                if 200 <= status < 300:
                    acknowledged.append(rid)

        ids = list(range(next_id, next_id + per_run))
        next_id += per_run
        t = threading.Thread(target=decide, args=(ids,))
        t.start()
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        t.join()
        proc = None
    # One last start on the same database: recovery, then every acknowledged decision must be there.
    proc, base = start(args.server, env, log)
    db = sqlite3.connect(db_path, timeout=30)
    stored = {r for (r,) in db.execute("SELECT request_id FROM decisions WHERE request_id >= ?", (FIRST_ID,))}
    audited = set()
    for (body,) in db.execute("SELECT body FROM audit_log WHERE action = 'decision_recorded' AND source = 'real'"):
        audited.add(json.loads(body)["subject"]["id"])
    allocated = {r for (r,) in db.execute("SELECT request_id FROM allocations WHERE request_id >= ?", (FIRST_ID,))}
    db.close()
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    missing = [r for r in acknowledged if r not in stored or r not in audited or r not in allocated]
    print(f"durability: {args.kills} kill -9 during decisions; {len(acknowledged)} decisions acknowledged, "
          f"{len(stored)} stored, {len(missing)} acknowledged but missing")
    if missing:
        print(f"missing: {missing[:20]}", file=sys.stderr)
        return 1
    if not acknowledged:
        print("no decision was acknowledged: the check proved nothing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
