//! `server import-kbo <folder>`: reads the company register's open-data files (KBO/BCE
//! "Open Data": `enterprise.csv`, `denomination.csv`, and `address.csv` if present) row by
//! row and upserts them into `kbo_enterprise`, in batches, in bounded memory. A line that
//! cannot be read is reported with its file and line number and skipped; importing the same
//! files again changes nothing.
use app::backend::now_ms;
use app::domain::BceNumber;
use sqlx::AnyPool;
use std::path::Path;

/// Rows written per transaction.
const BATCH: usize = 2_000;

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub enterprises: u64,
    pub denominations: u64,
    pub addresses: u64,
    /// `file:line: reason`, for the first lines skipped (at most 1,000 are kept).
    pub skipped: Vec<String>,
    /// How many lines were skipped in all.
    pub skipped_total: u64,
}

impl Report {
    fn skip(&mut self, line: String) {
        self.skipped_total += 1;
        if self.skipped.len() < 1_000 {
            self.skipped.push(line);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}: file not found (expected the KBO open-data CSV files)")]
    Missing(String),
    #[error("{file}: {source}")]
    Csv { file: String, source: csv::Error },
    #[error("{file}: the header has no column {column}")]
    Column { file: String, column: &'static str },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// One CSV file read as records, with the positions of the columns asked for.
struct Table {
    file: String,
    reader: csv::Reader<std::fs::File>,
    columns: Vec<usize>,
}

impl Table {
    fn open(
        folder: &Path,
        name: &str,
        wanted: &[&'static str],
    ) -> Result<Option<Self>, ImportError> {
        let path = folder.join(name);
        if !path.exists() {
            return Ok(None);
        }
        let file = path.display().to_string();
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(&path)
            .map_err(|source| ImportError::Csv {
                file: file.clone(),
                source,
            })?;
        let headers = reader
            .headers()
            .map_err(|source| ImportError::Csv {
                file: file.clone(),
                source,
            })?
            .clone();
        let columns = wanted
            .iter()
            .map(|column| {
                headers
                    .iter()
                    .position(|h| {
                        h.trim_start_matches('\u{feff}')
                            .eq_ignore_ascii_case(column)
                    })
                    .ok_or(ImportError::Column {
                        file: file.clone(),
                        column,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Table {
            file,
            reader,
            columns,
        }))
    }
}

/// Which file a batch of rows comes from, and so how it is written.
#[derive(Clone, Copy)]
enum Kind {
    Enterprise,
    Denomination,
    Address,
}

/// Reads every row of `table`, writes the wanted fields of the good ones in batches, and
/// reports the others.
async fn stream(
    db: &AnyPool,
    mut table: Table,
    report: &mut Report,
    mut parse: impl FnMut(&[&str]) -> Result<Option<Vec<String>>, String>,
    kind: Kind,
    now: i64,
) -> Result<u64, ImportError> {
    let mut written = 0u64;
    let mut batch: Vec<Vec<String>> = Vec::with_capacity(BATCH);
    let mut record = csv::StringRecord::new();
    loop {
        let line = table.reader.position().line();
        match table.reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let fields: Option<Vec<&str>> =
                    table.columns.iter().map(|&i| record.get(i)).collect();
                let outcome = match fields {
                    Some(fields) => parse(&fields),
                    None => Err("missing columns".to_string()),
                };
                match outcome {
                    Ok(Some(row)) => batch.push(row),
                    Ok(None) => {}
                    Err(reason) => report.skip(format!("{}:{line}: {reason}", table.file)),
                }
            }
            Err(error) => {
                report.skip(format!("{}:{line}: {error}", table.file));
                if error.is_io_error() {
                    return Err(ImportError::Csv {
                        file: table.file.clone(),
                        source: error,
                    });
                }
            }
        }
        if batch.len() >= BATCH {
            written += flush(db, &mut batch, kind, now).await?;
        }
    }
    written += flush(db, &mut batch, kind, now).await?;
    Ok(written)
}

async fn flush(
    db: &AnyPool,
    batch: &mut Vec<Vec<String>>,
    kind: Kind,
    now: i64,
) -> Result<u64, ImportError> {
    if batch.is_empty() {
        return Ok(0);
    }
    let sql = match kind {
        Kind::Enterprise => {
            "INSERT INTO kbo_enterprise (bce, juridical_form, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (bce) DO UPDATE SET juridical_form = excluded.juridical_form"
        }
        // The name in the preferred language wins, whatever the order of the lines.
        Kind::Denomination => {
            "INSERT INTO kbo_enterprise (bce, name_rank, name, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (bce) DO UPDATE SET name = excluded.name, name_rank = excluded.name_rank \
             WHERE kbo_enterprise.name IS NULL OR kbo_enterprise.name_rank >= excluded.name_rank"
        }
        Kind::Address => {
            "UPDATE kbo_enterprise SET street = $2, house_number = $3, postal_code = $4, city = $5 \
             WHERE bce = $1"
        }
    };
    let mut tx = app::backend::begin(db).await?;
    let count = batch.len() as u64;
    for row in batch.drain(..) {
        let mut query = sqlx::query(sql);
        for (i, value) in row.into_iter().enumerate() {
            query = match (kind, i) {
                (Kind::Denomination, 1) => query.bind(value.parse::<i64>().unwrap_or(2)),
                _ => query.bind(value),
            };
        }
        if !matches!(kind, Kind::Address) {
            query = query.bind(now);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// An enterprise number as the files write it (`0201.310.929`); establishment numbers
/// (`2.xxx.xxx.xxx`) and anything else are not enterprises.
fn enterprise_number(text: &str) -> Result<String, String> {
    BceNumber::parse(text)
        .map(|n| n.digits())
        .map_err(|e| format!("not an enterprise number ({e}): {text:?}"))
}

/// Denomination languages in the order the espace prefers them: French (1 in the KBO's
/// code table), Dutch (2), then the others. A lower rank wins.
fn language_rank(code: &str) -> i64 {
    match code.trim() {
        "1" => 0,
        "2" => 1,
        _ => 2,
    }
}

pub async fn import(db: &AnyPool, folder: &Path) -> Result<Report, ImportError> {
    let mut report = Report::default();
    let now = now_ms();
    let enterprises = Table::open(
        folder,
        "enterprise.csv",
        &["EnterpriseNumber", "JuridicalForm"],
    )?
    .ok_or_else(|| ImportError::Missing(folder.join("enterprise.csv").display().to_string()))?;
    report.enterprises = stream(
        db,
        enterprises,
        &mut report,
        |f| {
            Ok(Some(vec![
                enterprise_number(f[0])?,
                f[1].trim().to_string(),
            ]))
        },
        Kind::Enterprise,
        now,
    )
    .await?;

    let denominations = Table::open(
        folder,
        "denomination.csv",
        &[
            "EntityNumber",
            "Language",
            "TypeOfDenomination",
            "Denomination",
        ],
    )?
    .ok_or_else(|| ImportError::Missing(folder.join("denomination.csv").display().to_string()))?;
    report.denominations = stream(
        db,
        denominations,
        &mut report,
        |f| {
            // 001: the legal name. Abbreviations and commercial names are not kept.
            if f[2].trim() != "001"
                || f[0]
                    .trim()
                    .starts_with(['2', '3', '4', '5', '6', '7', '8', '9'])
            {
                return Ok(None);
            }
            let name = f[3].trim();
            if name.is_empty() {
                return Err("empty denomination".into());
            }
            Ok(Some(vec![
                enterprise_number(f[0])?,
                language_rank(f[1]).to_string(),
                name.to_string(),
            ]))
        },
        Kind::Denomination,
        now,
    )
    .await?;

    if let Some(addresses) = Table::open(
        folder,
        "address.csv",
        &[
            "EntityNumber",
            "TypeOfAddress",
            "Zipcode",
            "MunicipalityFR",
            "StreetFR",
            "HouseNumber",
        ],
    )? {
        report.addresses = stream(
            db,
            addresses,
            &mut report,
            |f| {
                // REGO: the registered office.
                if f[1].trim() != "REGO" || !f[0].trim().starts_with(['0', '1']) {
                    return Ok(None);
                }
                Ok(Some(vec![
                    enterprise_number(f[0])?,
                    f[4].trim().to_string(),
                    f[5].trim().to_string(),
                    f[2].trim().to_string(),
                    f[3].trim().to_string(),
                ]))
            },
            Kind::Address,
            now,
        )
        .await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_numbers_are_checked() {
        assert_eq!(
            enterprise_number("0403.170.701").as_deref(),
            Ok("0403170701")
        );
        assert!(enterprise_number("2.100.000.007").is_err());
        assert!(enterprise_number("0403.170.702").is_err());
    }

    #[test]
    fn french_names_come_first() {
        assert!(language_rank("1") < language_rank("2"));
        assert!(language_rank("2") < language_rank("0"));
    }
}
