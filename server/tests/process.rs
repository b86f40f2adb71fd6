//! The server binary as an operator runs it: configuration errors, logs, SIGTERM.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on anything it did not expect"
)]
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    // Run from an empty directory so that no `.env` file of the developer interferes.
    let dir = tempfile::tempdir().unwrap().keep();
    command
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", dir.join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until_healthy(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the server exited early: {status}");
        }
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not start listening on {port}");
}

fn get(port: u16, path: &str, extra_header: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_header}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn invalid_configuration_stops_the_server_with_the_variable_named() {
    for (variable, value) in [
        ("LISTEN_ADDR", "not-an-address"),
        ("DATABASE_URL", "mysql://root@localhost/espace"),
        ("LOG_FORMAT", "yaml"),
        ("BASE_URL", "espace.example.be"),
    ] {
        let output = server().env(variable, value).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{variable}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(variable), "{variable}: {stderr}");
        assert!(stderr.contains("invalid configuration"), "{stderr}");
    }
}

#[test]
fn sigterm_stops_the_server_cleanly_and_logs_carry_the_request_id() {
    let port = free_port();
    let mut child = server()
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_FORMAT", "json")
        .env("LOG_LEVEL", "info")
        .spawn()
        .unwrap();
    wait_until_healthy(port, &mut child);

    let response = get(port, "/readyz", "X-Request-Id: trace-me-42\r\n");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // An id that is not a plain identifier never reaches a log: a new one replaces it.
    let forged = "forged id ${jndi:ldap://x}";
    let response = get(port, "/readyz", &format!("X-Request-Id: {forged}\r\n"));
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(!response.contains("jndi"), "{response}");

    terminate(&child);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");

    let lines: Vec<serde_json::Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|line| {
            let line = line.unwrap();
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
        })
        .collect();
    let request_line = lines
        .iter()
        .find(|line| line["span"]["request_id"] == "trace-me-42")
        .unwrap_or_else(|| panic!("no log line with the request id: {lines:#?}"));
    assert_eq!(request_line["span"]["path"], "/readyz");
    assert!(
        !lines.iter().any(|line| line.to_string().contains("jndi")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|line| line["span"]["path"] == "/readyz"
            && line["span"]["request_id"]
                .as_str()
                .is_some_and(|id| id.len() == 36)),
        "the forged id was replaced by a new one: {lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line["fields"]["message"] == "espace personnel stopped"),
        "{lines:#?}"
    );
}

#[test]
fn sigterm_lets_the_requests_under_way_finish_and_takes_no_new_ones() {
    use std::io::{Read, Write};
    let port = free_port();
    let mut child = server()
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .unwrap();
    wait_until_healthy(port, &mut child);

    // A sign-in whose body is still on its way when the signal comes.
    let body = "email=someone%40example.be&password=not+the+password";
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&child);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server stopped with a request under way"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "a stopping server still takes new connections"
    );
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 "), "{response:?}");
    assert!(!response.starts_with("HTTP/1.1 5"), "{response}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop once idle"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn bench_seed_refuses_unless_allowed_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bench.sqlite");
    let output = server()
        .arg("bench-seed")
        .arg("small")
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ALLOW_BENCH_SEED=true"));
    assert!(!database.exists(), "no database was even created");
}

#[test]
fn import_kbo_loads_the_sample_files_and_reports_the_bad_line() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kbo");
    let run = || server().arg("import-kbo").arg(&fixtures).output().unwrap();
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 6 enterprises"), "{stdout}");
    assert!(stdout.contains("1 lines skipped"), "{stdout}");
    assert!(stderr.contains("enterprise.csv:8:"), "{stderr}");

    let output = server().arg("import-kbo").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage"));
    let output = server()
        .arg("import-kbo")
        .arg("/no/such/folder")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("enterprise.csv: file not found"));
}
