"""A local cluster of the espace personnel, every part real and on loopback:

    PostgreSQL   a private instance (its own data folder and port), so that the fault tests
                 can restart it without touching anyone else's database
    S3           moto in server mode, with the bucket the servers keep attachments in
    SMTP         an aiosmtpd sink (smtp_sink.py) that writes every message it accepts
    2 servers    the release binary, twice, each with its outbox worker
    nginx        Debian's, in front: round-robin, no sticky sessions

    cluster.py serve              run it until Ctrl-C (make cluster)
    cluster.py test               run it, check it (tests.py), stop it
    cluster.py faults [--short]   run it, put load and faults on it (faults.py), stop it

Everything it starts is stopped when it ends, however it ends; the working folder (logs,
database, mail) is removed unless KEEP_CLUSTER=1 or a check failed.
"""
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/espace-target"))
SERVER_BIN = Path(os.environ.get("CLUSTER_SERVER", TARGET / "server-release/server"))

BALANCER_PORT = int(os.environ.get("CLUSTER_PORT", "8080"))
APP_PORTS = (3201, 3202)
PG_PORT = 5433
S3_PORT = 9000
SMTP_PORT = 2525
BUCKET = "espace-attachments"
LINK_KEY = "the link key of the local cluster, never a real one"


def log(message):
    print(f"\033[1m==> {message}\033[0m", flush=True)


def pg_bin():
    """The newest PostgreSQL server programs installed (Debian: /usr/lib/postgresql/N/bin)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    sys.exit("The cluster needs the PostgreSQL server programs (apt-get install postgresql).")


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds} s")


def http_status(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception:
        return None


class Cluster:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="espace-cluster-"))
        os.chmod(self.work, 0o755)
        self.venv = Path(
            os.environ.get("ESPACE_TOOLS_DIR", Path.home() / ".local/share/espace-tools")
        ) / "oidc-venv"
        self.processes = {}
        self.mail_file = self.work / "mail.jsonl"
        self.pg_data = self.work / "pg"
        self.pg = pg_bin()
        self.as_root = os.geteuid() == 0
        self.database_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/espace"
        self.balancer = f"http://127.0.0.1:{BALANCER_PORT}"
        self.servers = [f"http://127.0.0.1:{port}" for port in APP_PORTS]

    # --- processes -------------------------------------------------------------------

    def spawn(self, name, argv, env=None):
        logfile = open(self.work / f"{name}.log", "ab")
        process = subprocess.Popen(
            argv,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def stop(self, name, sig=signal.SIGTERM, wait=20):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def as_postgres(self, argv):
        """PostgreSQL refuses to run as root: as root, its programs run as `postgres`."""
        return ["runuser", "-u", "postgres", "--", *argv] if self.as_root else argv

    # --- PostgreSQL --------------------------------------------------------------------

    def init_postgres(self):
        self.pg_data.mkdir()
        if self.as_root:
            shutil.chown(self.pg_data, "postgres", "postgres")
        subprocess.run(
            self.as_postgres(
                [str(self.pg / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
                 "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start_postgres()
        subprocess.run(
            [str(self.pg / "psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
             "-q", "-c", "CREATE DATABASE espace"],
            check=True,
        )

    def start_postgres(self):
        subprocess.run(
            self.as_postgres(
                [str(self.pg / "pg_ctl"), "-D", str(self.pg_data), "-w", "-l",
                 str(self.pg_data / "server.log"), "-o",
                 f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.pg_data} -c fsync=off "
                 "-c max_connections=200", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop_postgres(self, mode="fast"):
        if (self.pg_data / "postmaster.pid").exists():
            subprocess.run(
                self.as_postgres(
                    [str(self.pg / "pg_ctl"), "-D", str(self.pg_data), "-w", "-m", mode, "stop"]
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def sql(self, query):
        """One query's rows, as lists of strings."""
        out = subprocess.run(
            [str(self.pg / "psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
             "-d", "espace", "-At", "-F", "\t", "-c", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    # --- S3 and SMTP -------------------------------------------------------------------

    def start_s3(self):
        self.spawn("s3", [str(self.venv / "bin/moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)])
        wait_until(lambda: http_status(f"http://127.0.0.1:{S3_PORT}/") == 200, 30, "the S3 server")
        request = urllib.request.Request(f"http://127.0.0.1:{S3_PORT}/{BUCKET}", method="PUT")
        urllib.request.urlopen(request, timeout=10).close()

    def start_sink(self):
        self.spawn("smtp", [str(self.venv / "bin/python"), str(HERE / "smtp_sink.py"),
                            str(SMTP_PORT), str(self.mail_file)])
        import socket

        def listening():
            with socket.create_connection(("127.0.0.1", SMTP_PORT), timeout=1):
                return True

        wait_until(listening, 20, "the SMTP sink")

    def stop_sink(self):
        self.stop("smtp")

    # --- the app servers ---------------------------------------------------------------

    def app_env(self, index):
        return {
            "DATABASE_URL": self.database_url,
            "LISTEN_ADDR": f"127.0.0.1:{APP_PORTS[index]}",
            "BASE_URL": self.balancer,
            "DATA_DIR": str(self.work / f"app{index + 1}"),
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT": f"http://127.0.0.1:{S3_PORT}",
            "S3_REGION": "eu-west-1",
            "S3_ACCESS_KEY_ID": "cluster",
            "S3_SECRET_ACCESS_KEY": "cluster-secret",
            "SMTP_URL": f"smtp://127.0.0.1:{SMTP_PORT}?tls=none",
            "TRUST_PROXY": "127.0.0.1",
            "LINK_KEY": LINK_KEY,
            "OUTBOX_INTERVAL_SECONDS": "1",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info"),
            "LEPTOS_OUTPUT_NAME": "espace",
            "LEPTOS_SITE_ROOT": "target/site",
            "LEPTOS_SITE_PKG_DIR": "pkg",
            "LEPTOS_HASH_FILES": "true",
        }

    def migrate(self):
        env = {**os.environ, **self.app_env(0)}
        subprocess.run([str(SERVER_BIN), "migrate"], check=True, env=env, cwd=ROOT)

    def start_app(self, index):
        self.spawn(f"app{index + 1}", [str(SERVER_BIN)], self.app_env(index))
        url = self.servers[index] + "/readyz"
        wait_until(lambda: http_status(url) == 200, 60, f"app server {index + 1}")

    def app_pid(self, index):
        return self.processes[f"app{index + 1}"].pid

    def kill_app(self, index):
        """`kill -9`: no drain, no goodbye."""
        self.stop(f"app{index + 1}", sig=signal.SIGKILL)

    # --- nginx -------------------------------------------------------------------------

    def start_nginx(self):
        template = (HERE / "nginx.conf").read_text()
        upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;"
                              for port in APP_PORTS)
        conf = (template.replace("@WORK@", str(self.work))
                .replace("@PORT@", str(BALANCER_PORT))
                .replace("@UPSTREAMS@", upstreams)
                .replace("@USER@", "user root;" if self.as_root else ""))
        (self.work / "nginx.conf").write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            sys.exit("The cluster needs nginx (apt-get install nginx-light).")
        self.spawn("nginx", [nginx, "-p", str(self.work), "-c", str(self.work / "nginx.conf")])
        wait_until(lambda: http_status(self.balancer + "/readyz") == 200, 20, "nginx")

    # --- all of it ---------------------------------------------------------------------

    def start(self):
        if not SERVER_BIN.exists():
            sys.exit(f"No release server at {SERVER_BIN}: run `make build` first.")
        log(f"Cluster working folder: {self.work}")
        log(f"PostgreSQL on 127.0.0.1:{PG_PORT} (a private instance)")
        self.init_postgres()
        log(f"S3 (moto) on 127.0.0.1:{S3_PORT}, bucket {BUCKET}")
        self.start_s3()
        log(f"SMTP sink on 127.0.0.1:{SMTP_PORT} (messages in {self.mail_file})")
        self.start_sink()
        log("Migrations, once (server migrate)")
        self.migrate()
        for index, url in enumerate(self.servers):
            log(f"App server {index + 1} on {url}")
            self.start_app(index)
        log(f"nginx on {self.balancer}, round-robin over both servers")
        self.start_nginx()

    def shutdown(self):
        for name in list(self.processes):
            self.stop(name)
        self.stop_postgres("immediate")

    def mails(self):
        if not self.mail_file.exists():
            return []
        with open(self.mail_file, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]

    def received_outbox_ids(self):
        """How many times the sink received each outbox row's message (its Message-ID is
        `<outbox-N@domain>`)."""
        return collections.Counter(
            int(m.group(1)) for mail in self.mails()
            if (m := re.match(r"<outbox-(\d+)@", mail["message_id"]))
        )

    def wait_for_outbox(self, seconds, poll=0.5):
        """Waits until no e-mail is left to send (at most `seconds`): how many are left."""
        deadline = time.monotonic() + seconds
        while True:
            pending = int(self.sql(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0][0])
            if pending == 0 or time.monotonic() >= deadline:
                return pending
            time.sleep(poll)

    def sent_outbox_ids(self):
        return {int(row[0]) for row in self.sql("SELECT id FROM outbox WHERE sent_at IS NOT NULL")}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "serve"
    cluster = Cluster()
    failed = True

    def interrupt(*_):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM end the run through the `finally` below (also when started in the
    # background, where SIGINT comes ignored).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        cluster.start()
        if mode == "serve":
            log(f"The espace personnel is on {cluster.balancer} (Ctrl-C stops everything)")
            while True:
                time.sleep(3600)
        elif mode == "test":
            import tests

            failed = not tests.run(cluster)
        elif mode == "faults":
            import faults

            failed = not faults.run(cluster, short="--short" in sys.argv)
        else:
            sys.exit(f"unknown mode {mode!r}: serve, test or faults [--short]")
    except KeyboardInterrupt:
        # Stopping `serve` is how it ends; tests cut short have not passed.
        failed = mode != "serve"
        if failed:
            log("Interrupted")
    finally:
        log("Stopping the cluster")
        cluster.shutdown()
        if failed or os.environ.get("KEEP_CLUSTER") == "1":
            log(f"Logs kept in {cluster.work}")
        else:
            shutil.rmtree(cluster.work, ignore_errors=True)
    if failed and mode != "serve":
        sys.exit(1)


if __name__ == "__main__":
    main()
