//! The dashboard's export: a real XLSX workbook, titles in the reader's language, dates as
//! dates (Brussels time), a filter on the header row.
use app::domain::Lang;
use app::model::requests::{column_titles, status_label, RequestRow};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

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

pub fn dashboard(rows: &[RequestRow], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Espace personnel")?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (col, title) in column_titles(lang).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|e| XlsxError::ParameterError(e.to_string()))?;
        sheet.write_string(r, 0, &row.reference)?;
        sheet.write_string(r, 1, &row.procedure)?;
        sheet.write_string(r, 2, status_label(lang, row.status))?;
        sheet.write_datetime_with_format(r, 3, brussels(row.submitted_at)?, &date)?;
        sheet.write_datetime_with_format(r, 4, brussels(row.updated_at)?, &date)?;
        sheet.write_string(r, 5, &row.subject)?;
    }
    for (col, width) in [14.0, 45.0, 22.0, 18.0, 18.0, 45.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last, 5)?;
    workbook.save_to_buffer()
}
