//! The dashboard's export: a real XLSX workbook, titles in the reader's language, dates as
//! dates (Brussels time), a filter on the header row.
use crate::state::AppState;
use app::domain::Lang;
use app::error::AppError;
use app::model::requests::{column_titles, status_label, DashboardFilter, RequestRow};
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// The dashboard as a workbook: `GET /dashboard/export.xlsx?status=…` (the page's filters).
pub async fn export(
    State(state): State<AppState>,
    Query(filter): Query<DashboardFilter>,
    request: Request,
) -> Response {
    let Some(user) = crate::filing::user_of(&request) else {
        return crate::filing::go(request.headers(), "/login");
    };
    let lang = crate::filing::language(request.headers(), &user);
    // The database's lines go through a small channel to the workbook's writer on a
    // blocking thread (zipping is CPU work, off the async threads); the file it leaves is
    // then streamed. Memory stays flat however long the list.
    let (sender, receiver) = tokio::sync::mpsc::channel(512);
    let writer = tokio::task::spawn_blocking(move || dashboard(receiver, lang));
    let read = app::backend::requests::export_rows(
        &state.db,
        &state.server_config,
        (&user, &filter, lang),
        sender,
    )
    .await;
    let written = writer.await;
    match read {
        // A filter the page would refuse: the page, which says why in the person's language.
        Err(AppError::Validation(_)) => {
            let query = request.uri().query().unwrap_or_default();
            return crate::filing::go(request.headers(), &format!("/dashboard?{query}"));
        }
        Err(error) => return crate::filing::status_of(&error),
        Ok(_) => {}
    }
    let workbook = match written {
        Ok(written) => written.map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    };
    match workbook {
        Ok(file) => {
            let length = file.metadata().map(|m| m.len()).ok();
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
            let mut response = (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"mes-demarches.xlsx\"".to_string(),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                axum::body::Body::from_stream(stream),
            )
                .into_response();
            if let Some(length) = length {
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, length.into());
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "cannot write the workbook");
            crate::filing::status_of(&AppError::Internal)
        }
    }
}

fn brussels(ms: i64) -> Result<ExcelDateTime, XlsxError> {
    let zone = jiff::tz::TimeZone::get("Europe/Brussels")
        .map_err(|e| XlsxError::ParameterError(e.to_string()))?;
    let local = jiff::Timestamp::from_millisecond(ms)
        .map_err(|e| XlsxError::ParameterError(e.to_string()))?
        .to_zoned(zone)
        .datetime();
    let to = |n: i8| u8::try_from(n).unwrap_or(0);
    ExcelDateTime::from_ymd(
        u16::try_from(local.year()).unwrap_or(1900),
        to(local.month()),
        to(local.day()),
    )?
    .and_hms(
        u16::from(to(local.hour())),
        to(local.minute()),
        f64::from(local.second()),
    )
}

/// Writes the lines `rows` brings, as they come, into a workbook in a temporary file, and
/// gives the file back rewound. The worksheet keeps one row in memory ("constant memory":
/// rows go to a temporary file as they are written, strings inline), so a list of any
/// length takes the same memory. Runs on a blocking thread (zipping is CPU work).
pub fn dashboard(
    mut rows: tokio::sync::mpsc::Receiver<RequestRow>,
    lang: Lang,
) -> Result<std::fs::File, XlsxError> {
    use std::io::Seek as _;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Espace personnel")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (col, width) in [14.0, 45.0, 22.0, 18.0, 18.0, 45.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    for (col, title) in column_titles(lang).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    let mut last = 0u32;
    while let Some(row) = rows.blocking_recv() {
        let r = last
            .checked_add(1)
            .ok_or_else(|| XlsxError::ParameterError("too many rows".into()))?;
        sheet.write_string(r, 0, &row.reference)?;
        sheet.write_string(r, 1, &row.procedure)?;
        sheet.write_string(r, 2, status_label(lang, row.status))?;
        sheet.write_datetime_with_format(r, 3, brussels(row.submitted_at)?, &date)?;
        sheet.write_datetime_with_format(r, 4, brussels(row.updated_at)?, &date)?;
        sheet.write_string(r, 5, &row.subject)?;
        last = r;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, 5)?;
    let io = |error: std::io::Error| XlsxError::IoError(error);
    let mut file = tempfile::tempfile().map_err(io)?;
    workbook.save_to_writer(&mut file)?;
    file.rewind().map_err(io)?;
    Ok(file)
}
