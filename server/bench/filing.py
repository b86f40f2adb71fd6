"""Filings under load, for load.sh: CLIENTS threads, each in a loop opening the change of
address form (its token) and filing it with a 200 KB PDF, for SECONDS seconds; prints
filings per second and the POST's latency percentiles.

    filing.py BASE_URL "espace_session=…" CLIENTS SECONDS
"""
import datetime
import os
import re
import sys
import threading
import time

import requests

base, cookie, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
DOCUMENT = b"%PDF-1.4\n" + os.urandom(200 * 1024)
FIELDS = {
    "intent": "submit",
    "f.nouvelle_adresse.street": "Avenue Louis Bertrand",
    "f.nouvelle_adresse.number": "12",
    "f.nouvelle_adresse.postal_code": "1030",
    "f.nouvelle_adresse.city": "Schaerbeek",
    "f.date_emmenagement": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
    "f.nombre_personnes": "2",
}
latencies, failures = [], []
stop_at = time.monotonic() + seconds


def client():
    session = requests.Session()
    session.headers["cookie"] = cookie
    while time.monotonic() < stop_at:
        page = session.get(f"{base}/procedures/changement-adresse", timeout=30)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        started = time.monotonic()
        r = session.post(f"{base}/procedures/changement-adresse/file",
                         data={"token": token, **FIELDS},
                         files={"file.bail_ou_acte": ("bail.pdf", DOCUMENT, "application/pdf")},
                         allow_redirects=False, timeout=30)
        elapsed = time.monotonic() - started
        if r.status_code == 303 and "submitted=1" in r.headers.get("location", ""):
            latencies.append(elapsed)
        else:
            failures.append(r.status_code)


threads = [threading.Thread(target=client) for _ in range(clients)]
began = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
took = time.monotonic() - began
latencies.sort()


def pct(p):
    return f"{latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000:.0f}ms" if latencies else "-"


print(f"| filing with a 200 KB document, {clients} clients | {len(latencies) / took:.1f} filings/s "
      f"| p50 {pct(0.5)} | p99 {pct(0.99)} | failed {len(failures)} |")
