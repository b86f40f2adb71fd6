"""The cluster tests (cluster.py test): what must hold when the espace personnel runs as two
servers behind a round-robin balancer, on one PostgreSQL and one S3 store.

    1. both servers answer, in turn, behind the balancer;
    2. a person signs in through the balancer and stays signed in whichever server each
       following request lands on; signing out on one server signs out on the other;
    3. a document uploaded on one server is downloaded, byte for byte, from the other;
    4. with both servers' outbox workers running, each e-mail is sent exactly once;
    5. the sign-in limit holds across servers.
"""
import concurrent.futures
import datetime
import re
import time

import requests

PASSWORD = "Un mot de passe assez long 2026"
ADDRESS = "changement-adresse"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Failed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)


def registration(email):
    return {
        "form[email]": email,
        "form[first_name]": "Amélie",
        "form[last_name]": "Peeters",
        "form[language]": "fr",
        "form[password]": PASSWORD,
        "form[password_confirm]": PASSWORD,
        "form[terms]": "on",
    }


def session_cookie(response):
    value = response.cookies.get("espace_session")
    return f"espace_session={value}" if value else None


def post(base, path, data, cookie=None, headers=None, **kwargs):
    all_headers = dict(headers or {})
    if cookie:
        all_headers["cookie"] = cookie
    return requests.post(base + path, data=data, headers=all_headers,
                         allow_redirects=False, timeout=30, **kwargs)


def get(base, path, cookie=None, headers=None):
    all_headers = dict(headers or {})
    if cookie:
        all_headers["cookie"] = cookie
    return requests.get(base + path, headers=all_headers, allow_redirects=False, timeout=30)


def wait_for_mail(cluster, email, subject_part=None, seconds=30):
    """The newest message the sink got for `email`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for mail in reversed(cluster.mails()):
            if email in mail["to"] and (subject_part is None or subject_part in mail["text"]):
                return mail
        time.sleep(0.25)
    raise Failed(f"no e-mail reached the SMTP sink for {email} within {seconds} s")


def confirmed_account(cluster, base, email, headers=None):
    """Registers through `base`, opens the link of the e-mail the sink received, signs in:
    the session cookie."""
    r = post(base, "/api/register", registration(email), headers=headers)
    expect(r.status_code < 400, f"registration of {email} answered {r.status_code}")
    mail = wait_for_mail(cluster, email, "token=")
    token = re.search(r"token=([A-Za-z0-9_\-]+)", mail["text"]).group(1)
    r = post(base, "/api/verify_email", {"token": token}, headers=headers)
    expect(r.status_code < 400, f"confirming {email} answered {r.status_code}")
    r = post(base, "/api/login", {"email": email, "password": PASSWORD}, headers=headers)
    cookie = session_cookie(r)
    expect(cookie, f"signing in {email} gave no session (status {r.status_code})")
    return cookie


def client_address(n):
    """The headers of a request from the n-th person's own connection, as the balancer
    passes it on (the servers trust the balancer's X-Forwarded-For)."""
    return {"x-forwarded-for": f"198.51.{100 + n // 250}.{n % 250 + 1}"}


def form_token(base, cookie, code=ADDRESS):
    r = get(base, f"/procedures/{code}", cookie)
    expect(r.status_code == 200, f"the form of {code} answered {r.status_code}")
    match = re.search(r'name="token" value="([^"]+)"', r.text)
    expect(match, "the form has no token")
    return match.group(1)


def address_fields(days_ago=3):
    date = (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()
    return {
        "f.nouvelle_adresse.street": "Avenue Louis Bertrand",
        "f.nouvelle_adresse.number": "12",
        "f.nouvelle_adresse.postal_code": "1030",
        "f.nouvelle_adresse.city": "Schaerbeek",
        "f.date_emmenagement": date,
        "f.nombre_personnes": "2",
    }


def file_address(base, cookie, token, document, timeout=30):
    """Posts the filing form as a browser does; the response, not followed."""
    data = {"token": token, "intent": "submit", **address_fields()}
    files = {"file.bail_ou_acte": ("bail.pdf", document, "application/pdf")}
    return requests.post(base + f"/procedures/{ADDRESS}/file", data=data, files=files,
                         headers={"cookie": cookie}, allow_redirects=False, timeout=timeout)


def reference_of(response):
    location = response.headers.get("location", "")
    match = re.fullmatch(r"/requests/([^/?]+)\?submitted=1", location)
    return match.group(1) if match else None


def attachment_links(base, cookie, reference):
    r = get(base, f"/requests/{reference}", cookie)
    expect(r.status_code == 200, f"the request {reference} answered {r.status_code}")
    return sorted(set(re.findall(rf"/requests/{re.escape(reference)}/attachments/\d+", r.text)))


def upstream(response):
    return response.headers.get("x-upstream", "?")


# --- the tests ---------------------------------------------------------------------------


def both_servers_answer(cluster):
    seen = {upstream(get(cluster.balancer, "/")) for _ in range(6)}
    expect(len(seen) == 2, f"the balancer used {seen}, not both servers")
    return f"requests answered by {sorted(seen)}"


def session_holds_across_servers(cluster):
    email = "cluster.session@example.be"
    cookie = confirmed_account(cluster, cluster.balancer, email)
    seen = set()
    for _ in range(10):
        r = get(cluster.balancer, "/dashboard", cookie)
        expect(r.status_code == 200, f"/dashboard answered {r.status_code} on {upstream(r)}")
        expect("Se déconnecter" in r.text, f"not signed in on {upstream(r)}")
        seen.add(upstream(r))
    expect(len(seen) == 2, f"the signed-in pages came from {seen}, not both servers")
    # Signed out on one server: signed out on the other.
    first, second = cluster.servers
    r = post(first, "/api/logout", {}, cookie)
    expect(r.status_code < 400, f"signing out answered {r.status_code}")
    r = get(second, "/dashboard", cookie)
    expect(r.status_code != 200 or "Se déconnecter" not in r.text,
           "the other server still knows the session that was closed")
    return f"10 pages on {sorted(seen)} signed in; signed out on one, out on the other"


def upload_here_download_there(cluster):
    first, second = cluster.servers
    cookie = confirmed_account(cluster, cluster.balancer, "cluster.files@example.be")
    document = PDF + bytes(range(256)) * 800  # ~200 KB, binary
    r = file_address(first, cookie, form_token(first, cookie), document)
    reference = reference_of(r)
    expect(reference, f"filing on server 1 answered {r.status_code} {r.headers.get('location')}")
    links = attachment_links(second, cookie, reference)
    expect(len(links) == 1, f"server 2 shows {len(links)} attachment links for {reference}")
    r = get(second, links[0], cookie)
    expect(r.status_code == 200, f"downloading from server 2 answered {r.status_code}")
    expect(r.content == document, "the document read back from server 2 differs from the upload")
    rows = cluster.sql(
        "SELECT a.storage_key FROM attachment a JOIN request r ON r.id = a.request_id "
        f"WHERE r.reference = '{reference}'"
    )
    expect(len(rows) == 1, f"{len(rows)} attachment rows for {reference}")
    r = requests.get(f"http://127.0.0.1:9000/espace-attachments/{rows[0][0]}", timeout=10)
    expect(r.status_code == 200 and r.content == document,
           "the document is not in the S3 bucket under its key")
    return f"{len(document)} bytes filed on server 1 ({reference}), read back from server 2 and from S3"


def each_mail_sent_once(cluster):
    emails = [f"cluster.mail{n}@example.be" for n in range(24)]
    # Each from an address of its own, as people at home are (one address may register
    # only so many accounts an hour).
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(
            lambda n: post(cluster.balancer, "/api/register", registration(emails[n]),
                           headers=client_address(n)).status_code,
            range(len(emails)),
        ))
    expect(all(status < 400 for status in results), f"registrations answered {results}")
    pending = cluster.wait_for_outbox(90)
    expect(pending == 0, f"{pending} e-mails still unsent after 90 s")
    sent = cluster.sent_outbox_ids()
    received = cluster.received_outbox_ids()
    twice = {id_: n for id_, n in received.items() if n > 1}
    missing = sent - set(received)
    unknown = set(received) - sent
    expect(not twice, f"e-mails received more than once: {twice}")
    expect(not missing, f"e-mails marked sent but never received: {sorted(missing)}")
    expect(not unknown, f"e-mails received but not marked sent: {sorted(unknown)}")
    for email in emails:
        expect(any(email in mail["to"] for mail in cluster.mails()), f"no e-mail for {email}")
    by_server = [
        (cluster.work / f"app{n}.log").read_text(errors="replace").count("e-mail sent")
        for n in (1, 2)
    ]
    return f"{len(sent)} e-mails, each received once; sent by server 1: {by_server[0]}, by server 2: {by_server[1]}"


def sign_in_limit_across_servers(cluster):
    email = "cluster.limit@example.be"
    confirmed_account(cluster, cluster.balancer, email)
    # A guesser behind one address: the balancer passes it on, the servers trust the balancer.
    guesser = {"x-forwarded-for": "203.0.113.7"}
    first, second = cluster.servers
    for attempt in range(5):
        server = cluster.servers[attempt % 2]
        r = post(server, "/api/login", {"email": email, "password": "wrong guess"}, headers=guesser)
        expect(session_cookie(r) is None, "a wrong password signed in")
    for server in (first, second):
        r = post(server, "/api/login", {"email": email, "password": PASSWORD}, headers=guesser)
        expect(session_cookie(r) is None,
               f"after 5 failures spread over both servers, {server} let the 6th try in")
    # The person, from elsewhere, is not locked out.
    r = post(cluster.balancer, "/api/login", {"email": email, "password": PASSWORD},
             headers={"x-forwarded-for": "192.0.2.50"})
    expect(session_cookie(r), "the person was locked out by someone else's guesses")
    return "5 failures over both servers: the 6th try refused on each; the owner elsewhere signs in"


TESTS = [
    both_servers_answer,
    session_holds_across_servers,
    upload_here_download_there,
    each_mail_sent_once,
    sign_in_limit_across_servers,
]


def run(cluster):
    failures = 0
    for test in TESTS:
        started = time.monotonic()
        try:
            detail = test(cluster)
            print(f"  ok    {test.__name__} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
        except Exception as error:  # a failed check or anything unexpected
            failures += 1
            print(f"  FAIL  {test.__name__}: {error!r}", flush=True)
    print(f"cluster tests: {len(TESTS) - failures} passed, {failures} failed", flush=True)
    return failures == 0
