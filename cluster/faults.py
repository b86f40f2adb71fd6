"""The fault tests (cluster.py faults, `make faults`): concurrent clients file requests with
a document through the balancer while, one after the other,

    - one app server is killed with SIGKILL, then started again;
    - PostgreSQL is stopped (fast shutdown), left down a few seconds, started again;
    - the SMTP server is stopped for a while, then started again.

Clients behave as a person with a browser does: a failed or unanswered submission is sent
again, with the same form (the same token), after a short wait. Afterwards it checks, and
prints:

    - every filing acknowledged to a client is in the database exactly once, and its
      document reads back, byte for byte, through the balancer;
    - no filing was recorded twice;
    - every e-mail due was sent, and received once at the SMTP sink;
    - /readyz answered 503 on both servers while the database was down, and 200 after,
      without the servers being restarted.

The figures go to standard output and, as JSON, to $FAULTS_REPORT when it is set
(RELIABILITY.md quotes them). Full run: 50 clients for 60 s; --short (CI): 20 for 30 s.
"""
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import threading
import time

import requests

import tests

DOCUMENT_BYTES = 200 * 1024
# Servers killed with SIGKILL during a run.
KILLS = 1
# How long a client keeps retrying one submission before giving up on it, as a person
# would after a couple of minutes of errors.
GIVE_UP_AFTER = 90.0


class Client:
    def __init__(self, number, cookie, balancer, stop_at):
        self.number = number
        self.cookie = cookie
        self.balancer = balancer
        self.stop_at = stop_at
        self.submissions = []  # dicts: token, sha256, reference (None: not acknowledged)
        self.errors = collections.Counter()

    def note_error(self, kind):
        self.errors[kind] += 1

    def form_token(self):
        """The filing form's token, retried like a page reload."""
        started = time.monotonic()
        while time.monotonic() - started < GIVE_UP_AFTER:
            try:
                r = requests.get(f"{self.balancer}/procedures/{tests.ADDRESS}",
                                 headers={"cookie": self.cookie}, timeout=10,
                                 allow_redirects=False)
                if r.status_code == 200:
                    match = re.search(r'name="token" value="([^"]+)"', r.text)
                    if match:
                        return match.group(1)
                self.note_error(f"form page {r.status_code}")
            except requests.RequestException as error:
                self.note_error(f"form page {type(error).__name__}")
            time.sleep(1.0)
        return None

    def submit_once(self):
        token = self.form_token()
        if token is None:
            return
        document = tests.PDF + os.urandom(DOCUMENT_BYTES)
        submission = {"token": token, "sha256": hashlib.sha256(document).hexdigest(),
                      "reference": None, "attempts": 0, "refused": None}
        self.submissions.append(submission)
        started = time.monotonic()
        wait = 0.5
        while time.monotonic() - started < GIVE_UP_AFTER:
            submission["attempts"] += 1
            try:
                r = tests.file_address(self.balancer, self.cookie, token, document, timeout=15)
                reference = tests.reference_of(r)
                if reference:
                    submission["reference"] = reference
                    submission["acknowledged_at"] = time.monotonic()
                    return
                if r.status_code == 303:
                    # Sent back to the form with errors: a person would read them, not retry.
                    submission["refused"] = r.headers.get("location")
                    self.note_error("refused")
                    return
                self.note_error(f"HTTP {r.status_code}")
            except requests.RequestException as error:
                self.note_error(type(error).__name__)
            time.sleep(wait)
            wait = min(wait * 2, 4.0)

    def run(self):
        while time.monotonic() < self.stop_at:
            self.submit_once()


class ReadinessWatch:
    """Polls each server's /readyz (not through the balancer) every 200 ms, one thread per
    server, so that a slow answer from one does not thin out the other's samples."""

    def __init__(self, servers):
        self.servers = servers
        self.samples = []  # (time asked, time answered, server index, status or None)
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.poll, args=(index,), daemon=True)
                        for index in range(len(servers))]

    def poll(self, index):
        while not self.stopped.is_set():
            asked_at = time.monotonic()
            try:
                status = requests.get(self.servers[index] + "/readyz", timeout=3).status_code
            except requests.RequestException:
                status = None
            self.samples.append((asked_at, time.monotonic(), index, status))
            time.sleep(0.2)

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        for thread in self.threads:
            thread.join()


def kill_and_restart_a_server(cluster, events):
    pid = cluster.app_pid(0)
    killed = time.monotonic()
    cluster.kill_app(0)
    events.append(f"app server 1 (pid {pid}) killed with SIGKILL")
    time.sleep(3)
    cluster.start_app(0)
    events.append(f"app server 1 started again, ready {time.monotonic() - killed:.1f} s after the kill")


def restart_postgres(cluster, events, down_seconds):
    pids = [cluster.app_pid(0), cluster.app_pid(1)]
    watch = ReadinessWatch(cluster.servers)
    watch.start()
    time.sleep(1)
    cluster.stop_postgres("fast")
    stopped = time.monotonic()
    events.append("PostgreSQL stopped (fast shutdown)")
    time.sleep(down_seconds)
    # From the start command on, the database may answer at any moment (pg_ctl notices it
    # a little later): the time of recovery counts from the command.
    started = time.monotonic()
    cluster.start_postgres()
    events.append(f"PostgreSQL started again after {started - stopped:.1f} s "
                  f"(ready {time.monotonic() - started:.1f} s after the start command)")
    deadline = started + 60
    recovered = None
    while time.monotonic() < deadline:
        if all(any(t > started and i == index and s == 200
                   for t, _, i, s in watch.samples[-6:])
               for index in (0, 1)):
            recovered = time.monotonic() - started
            break
        time.sleep(0.2)
    # Both servers answer 200 from then on: watch a few seconds more.
    time.sleep(3)
    watch.stopped.set()
    watch.join()
    # Asked once the database had stopped, answered before it was started again (an answer
    # may wait up to 2 s for a connection, and get one from the restarted database).
    down = [s for asked, answered, _, s in watch.samples if stopped < asked and answered < started]
    after = [s for asked, _, _, s in watch.samples if asked > started + (recovered or 0) + 0.3]
    same_processes = [cluster.app_pid(0), cluster.app_pid(1)] == pids and all(
        cluster.processes[f"app{n}"].poll() is None for n in (1, 2))
    return {
        "readyz_while_down": dict(collections.Counter(str(s) for s in down)),
        "readyz_after": dict(collections.Counter(str(s) for s in after)),
        "database_recovery_seconds": round(recovered, 2) if recovered is not None else None,
        "servers_not_restarted": same_processes,
    }, started


def stop_smtp(cluster, events, seconds):
    cluster.stop_sink()
    events.append("SMTP sink stopped")
    time.sleep(seconds)
    cluster.start_sink()
    events.append(f"SMTP sink started again after {seconds} s")


def check_mail(cluster, wait_seconds):
    started = time.monotonic()
    pending = cluster.wait_for_outbox(wait_seconds, poll=1)
    drained_in = time.monotonic() - started
    given_up = int(cluster.sql("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL")[0][0])
    sent = cluster.sent_outbox_ids()
    received = cluster.received_outbox_ids()
    # A message the relay accepted just as its server was killed, before the row was marked
    # sent, goes again once the lease expires, with the same Message-ID: the one case SMTP
    # cannot tell apart from a lost message (RELIABILITY.md). Such a row was claimed twice
    # and sent once each time; each kill can leave at most the one message in flight.
    twice = [id_ for id_, n in received.items() if n > 1]
    claimed_twice = {int(row[0]) for row in cluster.sql(
        "SELECT id FROM outbox WHERE attempts >= 2 AND sent_at IS NOT NULL")}
    in_flight_at_kill = [id_ for id_ in twice if received[id_] == 2 and id_ in claimed_twice]
    return {
        "emails_due": len(sent) + pending + given_up,
        "emails_sent_once": sum(1 for id_ in sent if received[id_] == 1),
        "emails_sent_twice_in_flight_at_the_kill": len(in_flight_at_kill),
        "emails_sent_twice_otherwise": len(twice) - len(in_flight_at_kill),
        "emails_never_received": len(sent - set(received)) + pending + given_up,
        "emails_unsent_after_wait": pending,
        "emails_given_up": given_up,
        "outbox_drained_seconds": round(drained_in, 1),
    }


def check_filings(cluster, clients):
    submissions = [s for c in clients for s in c.submissions]
    by_token = collections.defaultdict(list)
    emails = ",".join(f"'fault{c.number}@example.be'" for c in clients)
    rows = cluster.sql(
        "SELECT r.token, r.reference, COALESCE(a.sha256, ''), COALESCE(CAST(a.id AS TEXT), '') "
        "FROM request r JOIN account ac ON ac.id = r.account_id "
        "LEFT JOIN attachment a ON a.request_id = r.id "
        f"WHERE ac.email IN ({emails}) AND r.reference IS NOT NULL"
    )
    for token, reference, sha, attachment in rows:
        by_token[token].append((reference, sha, attachment))
    attempted = {s["token"] for s in submissions}
    acknowledged = [s for s in submissions if s["reference"]]
    lost, wrong_document, unreadable = 0, 0, 0
    cookie_of = {s["token"]: c.cookie for c in clients for s in c.submissions}
    to_read = []
    for s in acknowledged:
        found = by_token.get(s["token"], [])
        if len(found) != 1 or found[0][0] != s["reference"]:
            lost += 1
            continue
        reference, sha, attachment = found[0]
        if sha != s["sha256"]:
            wrong_document += 1
            continue
        to_read.append((s, reference, attachment))

    def read_back(item):
        s, reference, attachment = item
        try:
            r = requests.get(f"{cluster.balancer}/requests/{reference}/attachments/{attachment}",
                             headers={"cookie": cookie_of[s["token"]]}, timeout=30)
            return r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == s["sha256"]
        except requests.RequestException:
            return False

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        unreadable = sum(1 for ok in pool.map(read_back, to_read) if not ok)
    filed_tokens = set(by_token)
    return {
        "clients": len(clients),
        "submissions": len(submissions),
        "acknowledged": len(acknowledged),
        "acknowledged_after_a_retry": sum(1 for s in acknowledged if s["attempts"] > 1),
        "lost": lost,
        "duplicated": sum(len(v) - 1 for v in by_token.values()) + len(filed_tokens - attempted),
        "documents_wrong": wrong_document,
        "documents_unreadable": unreadable,
        "filed_but_not_acknowledged": len(
            {s["token"] for s in submissions if not s["reference"]} & filed_tokens),
        "given_up_not_filed": len(
            {s["token"] for s in submissions if not s["reference"]} - filed_tokens),
        "refused_by_validation": sum(1 for s in submissions if s["refused"]),
    }


def run(cluster, short=False):
    n_clients, seconds = (20, 30) if short else (50, 60)
    print(f"fault tests: {n_clients} clients filing for {seconds} s, with faults", flush=True)

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        cookies = list(pool.map(
            lambda n: tests.confirmed_account(cluster, cluster.balancer, f"fault{n}@example.be",
                                              headers=tests.client_address(n)),
            range(n_clients),
        ))
    started = time.monotonic()
    stop_at = started + seconds
    clients = [Client(n, cookies[n], cluster.balancer, stop_at) for n in range(n_clients)]
    threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
    for thread in threads:
        thread.start()

    events = []

    def at(fraction):
        delay = started + seconds * fraction - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        events.append(f"t={time.monotonic() - started:5.1f} s")

    at(0.15)
    kill_and_restart_a_server(cluster, events)
    at(0.4)
    database, database_back_at = restart_postgres(cluster, events, down_seconds=5)
    at(0.65)
    stop_smtp(cluster, events, seconds=8 if short else 15)
    for thread in threads:
        thread.join()
    load_seconds = time.monotonic() - started
    for line in events:
        print(f"  {line}", flush=True)

    # The first filing acknowledged once the database was back: what a person waited.
    back = [s["acknowledged_at"] - database_back_at for c in clients for s in c.submissions
            if s.get("acknowledged_at", 0) > database_back_at]
    database["filing_recovery_seconds"] = round(min(back), 2) if back else None
    errors = collections.Counter()
    for client in clients:
        errors.update(client.errors)
    # A server killed while it held e-mails keeps them leased for 2 minutes: wait that long.
    mail = check_mail(cluster, wait_seconds=200)
    filings = check_filings(cluster, clients)
    report = {
        "mode": "short" if short else "full",
        "load_seconds": round(load_seconds, 1),
        "document_bytes": DOCUMENT_BYTES,
        **filings,
        "errors_seen_by_clients": dict(errors.most_common()),
        **database,
        **mail,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False), flush=True)
    if os.environ.get("FAULTS_REPORT"):
        with open(os.environ["FAULTS_REPORT"], "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, ensure_ascii=False)

    problems = []
    if filings["acknowledged"] == 0:
        problems.append("no filing was acknowledged at all")
    for key in ("lost", "duplicated", "documents_wrong", "documents_unreadable",
                "refused_by_validation"):
        if filings[key]:
            problems.append(f"{key}: {filings[key]}")
    if mail["emails_never_received"]:
        problems.append(f"e-mails never received: {mail['emails_never_received']}")
    if mail["emails_sent_twice_otherwise"]:
        problems.append(f"e-mails sent twice: {mail['emails_sent_twice_otherwise']}")
    if mail["emails_sent_twice_in_flight_at_the_kill"] > KILLS:
        problems.append("more e-mails sent twice than servers killed")
    if "503" not in database["readyz_while_down"]:
        problems.append(f"/readyz while the database was down: {database['readyz_while_down']}")
    if set(database["readyz_after"]) != {"200"}:
        problems.append(f"/readyz after the database came back: {database['readyz_after']}")
    if not database["servers_not_restarted"]:
        problems.append("a server had to be restarted after the database came back")
    for problem in problems:
        print(f"  FAIL  {problem}", flush=True)
    print("fault tests: " + ("passed" if not problems else f"{len(problems)} problems"), flush=True)
    return not problems
