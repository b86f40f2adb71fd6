//! Verifying a representative by a code sent by post to the organisation's registered seat
//! (the company register's open data, `server import-kbo`): the person asks for it on the
//! organisation's "Vérification" page, the back office prints the letters as a PDF batch,
//! the person types the code within 30 days and five tries.
use super::authorise::{authorise, field, mark_verified, membership_event};
use crate::backend::session::{hash_token, CurrentUser};
use crate::backend::time::{brussels_date, brussels_time};
use crate::backend::{now_ms, Db};
use crate::domain::{normalise_postal_code, BceNumber, VerifiedBy, POSTAL_CODE_ALPHABET};
use crate::error::AppError;
use crate::model::organisations::{LetterView, PendingCode, PostView};
use rand::Rng as _;

/// A code is good for 30 days after it was asked for.
pub const CODE_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// Wrong codes typed before it is used up.
pub const CODE_TRIES: i64 = 5;
const CODE_LENGTH: usize = 8;

/// The registered seat a letter goes to.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Seat {
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
}

impl Seat {
    pub fn address(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.street, self.house_number, self.postal_code, self.city
        )
    }
}

/// One letter of a batch, to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub seat: Seat,
    pub bce: String,
    pub code: String,
    /// The last day the code is good (Brussels date).
    pub expires: String,
}

fn new_code() -> String {
    let mut rng = rand::rng();
    let code: String = (0..CODE_LENGTH)
        .map(|_| char::from(POSTAL_CODE_ALPHABET[rng.random_range(0..POSTAL_CODE_ALPHABET.len())]))
        .collect();
    format!("{}-{}", &code[..4], &code[4..])
}

/// The registered seat of the organisation of `bce` (written or digits), if the open data
/// knows a whole address.
pub async fn seat(db: &Db, bce: &str) -> Result<Option<Seat>, AppError> {
    let Ok(number) = BceNumber::parse(bce) else {
        return Ok(None);
    };
    let seat: Option<Seat> = sqlx::query_as(
        "SELECT COALESCE(name, '') AS name, street, COALESCE(house_number, '') AS house_number, \
                postal_code, city FROM kbo_enterprise \
         WHERE bce = $1 AND street IS NOT NULL AND street <> '' \
           AND postal_code IS NOT NULL AND postal_code <> '' AND city IS NOT NULL AND city <> ''",
    )
    .bind(number.digits())
    .fetch_optional(db)
    .await?;
    Ok(seat)
}

#[derive(sqlx::FromRow)]
struct Open {
    id: i64,
    code_hash: String,
    created_at: i64,
    expires_at: i64,
    tries_left: i64,
    printed_at: Option<i64>,
}

/// The membership's newest code that is neither used nor given up.
async fn open_code<'e, E>(executor: E, membership_id: i64) -> Result<Option<Open>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "SELECT id, code_hash, created_at, expires_at, tries_left, printed_at FROM postal_code \
         WHERE membership_id = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(membership_id)
    .fetch_optional(executor)
    .await?)
}

/// What the "Vérification" page says about the code by post.
pub(super) async fn post_view(
    db: &Db,
    membership_id: i64,
    bce: &str,
) -> Result<PostView, AppError> {
    let seat = seat(db, bce).await?;
    let now = now_ms();
    let pending = open_code(db, membership_id)
        .await?
        .filter(|open| open.expires_at > now && open.tries_left > 0)
        .map(|open| PendingCode {
            requested: brussels_time(open.created_at),
            expires: brussels_date(open.expires_at - 1),
            printed: open.printed_at.is_some(),
        });
    Ok(PostView {
        seat: seat.map(|seat| seat.address()),
        pending,
    })
}

/// Asks for a code by post. Refused when the person is verified, when the open data knows
/// no registered seat, or while an earlier code is still good.
pub async fn request_code(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<(), AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    if me.is_verified() {
        return Err(field("post", "proof.already_verified"));
    }
    let Some(seat) = seat(db, &me.organisation.bce).await? else {
        return Err(field("post", "post.no_seat"));
    };
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    if let Some(open) = open_code(&mut *tx, me.id).await? {
        if open.expires_at > now && open.tries_left > 0 {
            return Err(field("post", "post.already_sent"));
        }
    }
    let code = new_code();
    sqlx::query(
        "INSERT INTO postal_code (membership_id, organisation_id, code_hash, code, recipient, \
         street, house_number, postal_code, city, created_at, expires_at, tries_left) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(me.id)
    .bind(organisation_id)
    .bind(hash_token(&normalise_postal_code(&code)))
    .bind(&code)
    .bind(if seat.name.is_empty() {
        &me.organisation.name
    } else {
        &seat.name
    })
    .bind(&seat.street)
    .bind(&seat.house_number)
    .bind(&seat.postal_code)
    .bind(&seat.city)
    .bind(now)
    .bind(now + CODE_TTL_MS)
    .bind(CODE_TRIES)
    .execute(&mut *tx)
    .await?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "code_requested",
        None,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Checks a typed code. Each wrong try counts (recorded before the comparison, so that
/// parallel guesses cannot share one try); the right one verifies the representative.
pub async fn enter_code(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
    typed: &str,
) -> Result<(), AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    if me.is_verified() {
        return Err(field("code", "proof.already_verified"));
    }
    let typed = normalise_postal_code(typed);
    if typed.is_empty() {
        return Err(field("code", "post.code_empty"));
    }
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    let Some(open) = open_code(&mut *tx, me.id).await? else {
        return Err(field("code", "post.no_code"));
    };
    if open.expires_at <= now {
        return Err(field("code", "post.code_expired"));
    }
    let left: Option<i64> = sqlx::query_scalar(
        "UPDATE postal_code SET tries_left = tries_left - 1 \
         WHERE id = $1 AND tries_left > 0 RETURNING tries_left",
    )
    .bind(open.id)
    .fetch_optional(&mut *tx)
    .await?;
    if left.is_none() {
        return Err(field("code", "post.code_used_up"));
    }
    if hash_token(&typed) != open.code_hash {
        // The try stays counted.
        tx.commit().await?;
        return Err(field("code", "post.code_wrong"));
    }
    sqlx::query("UPDATE postal_code SET used_at = $1, code = NULL WHERE id = $2")
        .bind(now)
        .bind(open.id)
        .execute(&mut *tx)
        .await?;
    mark_verified(&mut tx, me.id, VerifiedBy::Post, now).await?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "verified_by_post",
        None,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The letters not printed yet, oldest first (codes still good).
pub async fn letters(db: &Db, user: &CurrentUser) -> Result<Vec<LetterView>, AppError> {
    user.require_agent()?;
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        seat: Seat,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT recipient AS name, street, house_number, postal_code, city, created_at \
         FROM postal_code \
         WHERE printed_at IS NULL AND used_at IS NULL AND expires_at > $1 \
         ORDER BY created_at, id LIMIT 500",
    )
    .bind(now_ms())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| LetterView {
            address: row.seat.address(),
            recipient: row.seat.name,
            requested: brussels_time(row.created_at),
        })
        .collect())
}

/// Takes the letters not printed yet for printing: marks them printed by `user` and
/// forgets their codes (only their hashes stay). Whoever prints must send the batch.
pub async fn print_letters(db: &Db, user: &CurrentUser) -> Result<Vec<Letter>, AppError> {
    user.require_agent()?;
    let now = now_ms();
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        code: Option<String>,
        #[sqlx(flatten)]
        seat: Seat,
        expires_at: i64,
        bce: String,
    }
    let mut tx = crate::backend::begin(db).await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.code, c.recipient AS name, c.street, c.house_number, c.postal_code, c.city, \
                c.expires_at, o.bce \
         FROM postal_code c JOIN organisation o ON o.id = c.organisation_id \
         WHERE c.printed_at IS NULL AND c.used_at IS NULL AND c.expires_at > $1 \
         ORDER BY c.created_at, c.id LIMIT 500",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut letters = Vec::with_capacity(rows.len());
    for row in rows {
        sqlx::query(
            "UPDATE postal_code SET printed_at = $1, printed_by = $2, code = NULL WHERE id = $3",
        )
        .bind(now)
        .bind(user.account_id)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
        let Some(code) = row.code else { continue };
        letters.push(Letter {
            seat: row.seat,
            bce: BceNumber::parse(&row.bce).map_or(row.bce, |n| n.to_string()),
            code,
            // The last day: the day before it stops being good.
            expires: brussels_date(row.expires_at - 1),
        });
    }
    tx.commit().await?;
    Ok(letters)
}
