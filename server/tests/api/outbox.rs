use crate::helpers::spawn_app_with;
use app::domain::Lang;
use app::mail::MailTemplate;
use server::mail::{Envelope, MailError, Mailer};
use server::outbox::{self, now_ms, Pass};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Records what it "sends"; fails while `failing` is set.
#[derive(Clone, Default)]
struct TestMailer {
    sent: Arc<Mutex<Vec<Envelope>>>,
    failing: bool,
    delay: Duration,
}

impl Mailer for TestMailer {
    async fn send(&self, envelope: &Envelope) -> Result<(), MailError> {
        tokio::time::sleep(self.delay).await;
        if self.failing {
            return Err(MailError::Transport("connection refused (test)".into()));
        }
        self.sent.lock().unwrap().push(envelope.clone());
        Ok(())
    }
}

fn verify(name: &str) -> MailTemplate {
    MailTemplate::VerifyEmail {
        first_name: name.into(),
        link: format!("https://espace.example.be/verify-email?token={name}"),
    }
}

async fn unsent(db: &server::db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(db)
        .await
        .unwrap()
}

const NO_WORKER: &[(&str, &str)] = &[("OUTBOX_INTERVAL_SECONDS", "0")];

/// The `LINK_KEY` of the test servers.
fn key() -> app::backend::LinkKey {
    app::backend::LinkKey::new(crate::helpers::TEST_LINK_KEY)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_exists_only_if_its_transaction_commits() {
    let app = spawn_app_with(NO_WORKER).await;
    let mut tx = app.db.begin().await.unwrap();
    outbox::enqueue(&mut *tx, "a@example.be", Lang::Fr, &verify("a"))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(unsent(&app.db).await, 0);

    let mut tx = app.db.begin().await.unwrap();
    outbox::enqueue(&mut *tx, "b@example.be", Lang::Nl, &verify("b"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(unsent(&app.db).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_survives_a_failing_transport_and_sends_exactly_once_when_it_recovers() {
    let app = spawn_app_with(NO_WORKER).await;
    outbox::enqueue(&app.db, "jan@example.be", Lang::Nl, &verify("jan"))
        .await
        .unwrap();
    outbox::enqueue(&app.db, "anne@example.be", Lang::Fr, &verify("anne"))
        .await
        .unwrap();
    let now = now_ms();

    let down = TestMailer {
        failing: true,
        ..Default::default()
    };
    let pass = outbox::process_due(&app.db, &down, &key(), now, 10)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            sent: 0,
            retried: 2,
            given_up: 0
        }
    );
    assert_eq!(unsent(&app.db).await, 2);
    let (attempts, error): (i64, String) =
        sqlx::query_as("SELECT attempts, last_error FROM outbox ORDER BY id LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.contains("connection refused"), "{error}");

    // Not due again before the back-off has passed.
    let up = TestMailer::default();
    assert_eq!(
        outbox::process_due(&app.db, &up, &key(), now + 1_000, 10)
            .await
            .unwrap(),
        Pass::default()
    );
    assert!(up.sent.lock().unwrap().is_empty());

    // The relay is back: each e-mail goes once, in its recipient's language.
    let later = now + 31_000;
    let pass = outbox::process_due(&app.db, &up, &key(), later, 10)
        .await
        .unwrap();
    assert_eq!(pass.sent, 2);
    assert_eq!(unsent(&app.db).await, 0);
    assert_eq!(
        outbox::process_due(&app.db, &up, &key(), later + 3_600_000, 10)
            .await
            .unwrap(),
        Pass::default()
    );
    let sent = up.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    let jan = sent.iter().find(|e| e.to == "jan@example.be").unwrap();
    assert!(jan.text.starts_with("Beste jan,"), "{}", jan.text);
    let anne = sent.iter().find(|e| e.to == "anne@example.be").unwrap();
    assert!(anne.text.starts_with("Bonjour anne,"), "{}", anne.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_died_mid_send_loses_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    let id = outbox::enqueue(&app.db, "c@example.be", Lang::En, &verify("c"))
        .await
        .unwrap();
    let now = now_ms();
    // As a crashed worker leaves it: claimed (leased for two minutes), never marked.
    sqlx::query("UPDATE outbox SET locked_until = $1, attempts = 1 WHERE id = $2")
        .bind(now + 120_000)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let mailer = TestMailer::default();
    assert_eq!(
        outbox::process_due(&app.db, &mailer, &key(), now, 10)
            .await
            .unwrap()
            .sent,
        0,
        "still leased"
    );
    assert_eq!(
        outbox::process_due(&app.db, &mailer, &key(), now + 120_001, 10)
            .await
            .unwrap()
            .sent,
        1
    );
    assert_eq!(mailer.sent.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_workers_never_send_the_same_email_twice() {
    let app = spawn_app_with(NO_WORKER).await;
    for i in 0..12 {
        outbox::enqueue(
            &app.db,
            &format!("p{i}@example.be"),
            Lang::Fr,
            &verify(&format!("p{i}")),
        )
        .await
        .unwrap();
    }
    let mailer = TestMailer {
        delay: Duration::from_millis(20),
        ..Default::default()
    };
    let now = now_ms();
    let passes = futures_join(
        outbox::process_due(&app.db, &mailer, &key(), now, 5),
        outbox::process_due(&app.db, &mailer, &key(), now, 5),
        outbox::process_due(&app.db, &mailer, &key(), now, 5),
    )
    .await;
    let claimed: usize = passes.iter().map(|p| p.sent).sum();
    let mut recipients: Vec<String> = mailer
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.to.clone())
        .collect();
    assert_eq!(recipients.len(), claimed);
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), claimed, "an e-mail was sent twice");
    // Whatever the first round left is sent by the next one, once.
    outbox::process_due(&app.db, &mailer, &key(), now, 20)
        .await
        .unwrap();
    assert_eq!(mailer.sent.lock().unwrap().len(), 12);
    assert_eq!(unsent(&app.db).await, 0);
}

async fn futures_join<F: std::future::Future<Output = Result<Pass, sqlx::Error>>>(
    a: F,
    b: F,
    c: F,
) -> Vec<Pass> {
    let (a, b, c) = tokio::join!(a, b, c);
    vec![a.unwrap(), b.unwrap(), c.unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_address_is_given_up_at_once() {
    let app = spawn_app_with(NO_WORKER).await;
    outbox::enqueue(&app.db, "not an address", Lang::Fr, &verify("x"))
        .await
        .unwrap();
    let mailer = server::mail::FileMailer {
        dir: app.data_dir.join("mail"),
        from: "Espace personnel <no-reply@localhost>".parse().unwrap(),
        domain: "localhost".into(),
    };
    let pass = outbox::process_due(&app.db, &mailer, &key(), now_ms(), 10)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            sent: 0,
            retried: 0,
            given_up: 1
        }
    );
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(failed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_the_running_server_writes_eml_files() {
    let app = spawn_app_with(&[("OUTBOX_INTERVAL_SECONDS", "1")]).await;
    let id = outbox::enqueue(&app.db, "marie@example.be", Lang::Fr, &verify("marie"))
        .await
        .unwrap();
    let file = app.data_dir.join("mail").join(format!("{id:08}.eml"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "no {} written",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let eml = std::fs::read_to_string(&file).unwrap();
    assert!(eml.contains("To: marie@example.be"), "{eml}");
    assert!(eml.contains("Subject: "), "{eml}");
    assert!(
        eml.contains(&format!("Message-ID: <outbox-{id}@localhost>")),
        "{eml}"
    );
    assert!(eml.contains("multipart/alternative"), "{eml}");
    assert!(
        eml.contains("verify-email?token=3Dmarie") || eml.contains("verify-email?token=marie"),
        "{eml}"
    );
    // Marked sent (the file appears just before the row is updated).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while unsent(&app.db).await > 0 {
        assert!(std::time::Instant::now() < deadline, "never marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A pass with nothing due only reads: while another connection holds SQLite's write lock
/// (a request's transaction), it returns at once instead of queueing for the lock, which is
/// what made an idle claim take seconds on a loaded machine. Once something is due, the
/// pass does wait for the lock, and sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_pass_does_not_wait_for_the_write_lock() {
    let app = spawn_app_with(NO_WORKER).await;
    let sqlite = app.db.connect_options().database_url.scheme() == "sqlite";
    let mailer = TestMailer::default();

    let mut writer = app.db.acquire().await.unwrap();
    if sqlite {
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *writer)
            .await
            .unwrap();
    } else {
        sqlx::query("BEGIN").execute(&mut *writer).await.unwrap();
        sqlx::query("LOCK TABLE outbox IN EXCLUSIVE MODE")
            .execute(&mut *writer)
            .await
            .unwrap();
    }
    // The lock holder outlives the busy timeout (5 s) only if the pass waits for it: a
    // waiting pass fails with "database is locked" (SQLite) or hangs (PostgreSQL).
    let idle = tokio::time::timeout(
        Duration::from_secs(30),
        outbox::process_due(&app.db, &mailer, &key(), now_ms(), 10),
    )
    .await
    .expect("an idle pass does not wait for the lock")
    .expect("an idle pass succeeds");
    assert_eq!(idle, Pass::default());
    sqlx::query("ROLLBACK").execute(&mut *writer).await.unwrap();
    drop(writer);

    outbox::enqueue(&app.db, "lea@example.be", Lang::Fr, &verify("lea"))
        .await
        .unwrap();
    let pass = outbox::process_due(&app.db, &mailer, &key(), now_ms(), 10)
        .await
        .unwrap();
    assert_eq!(pass.sent, 1);
    assert_eq!(unsent(&app.db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_link_holds_no_token_the_sent_one_does_and_old_mail_is_purged() {
    use crate::helpers::*;
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("lea@example.be", &[])).await;
    let (payload, salt): (String, Option<String>) =
        sqlx::query_as("SELECT payload, link_salt FROM outbox WHERE recipient = $1")
            .bind("lea@example.be")
            .fetch_one(&app.db)
            .await
            .unwrap();
    // What the database holds opens nothing: a placeholder and a salt.
    assert!(payload.contains("token={link-token}"), "{payload}");
    let salt = salt.expect("the link's salt");
    for guess in [salt.as_str(), "{link-token}"] {
        let r = post(&app, "/api/verify_email", form(&[("token", guess)]), None).await;
        assert_eq!(r.status(), 400, "{guess}");
    }
    // Nor does a token derived with another key.
    let other = app::backend::LinkKey::new("another key of at least thirty-two chars").token(&salt);
    let r = post(&app, "/api/verify_email", form(&[("token", &other)]), None).await;
    assert_eq!(r.status(), 400);

    // The worker puts the token in when it sends: that link works, once.
    let mailer = TestMailer::default();
    let pass = outbox::process_due(&app.db, &mailer, &key(), now_ms(), 10)
        .await
        .unwrap();
    assert_eq!(pass.sent, 1);
    let sent = mailer.sent.lock().unwrap()[0].text.clone();
    let token = sent
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link with its token")
        .to_string();
    assert_eq!(token, key().token(&salt));
    let r = post(&app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    assert_eq!(
        login(&app, "lea@example.be", PASSWORD, None).await.status(),
        200
    );

    // Sent e-mails go after the retention time; unsent ones stay whatever their age.
    outbox::enqueue(&app.db, "queued@example.be", Lang::Fr, &verify("q"))
        .await
        .unwrap();
    let keep = app::backend::retention::Retention {
        session_idle_ms: 30 * 60_000,
        session_max_ms: 12 * 3_600_000,
        mail_ms: 30 * 24 * 3_600_000,
        draft_ms: 90 * 24 * 3_600_000,
        request_ms: 3650 * 24 * 3_600_000,
    };
    let config = app.config.clone();
    let purged = app::backend::retention::purge(&app.db, &config, now_ms(), keep)
        .await
        .unwrap();
    assert_eq!(purged.mails, 0, "a fresh one is kept");
    let later = now_ms() + 31 * 24 * 3_600_000;
    let purged = app::backend::retention::purge(&app.db, &config, later, keep)
        .await
        .unwrap();
    assert_eq!(purged.mails, 1);
    assert!(purged.sessions >= 1, "{purged:?}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM session").await,
        0,
        "ended long ago"
    );
    let left: Vec<String> = sqlx::query_scalar("SELECT recipient FROM outbox")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(left, vec!["queued@example.be".to_string()]);
    // The used token is past its time too (a week after use).
    assert_eq!(purged.tokens, 1);
}
