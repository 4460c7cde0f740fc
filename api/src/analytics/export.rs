//! CSV downloads of the dashboard's tables: UTF-8 with a BOM (Excel opens it as UTF-8), cells
//! that a spreadsheet would run as formulas guarded, and nothing personal in them.

use actix_web::HttpResponse;

use crate::error::{ApiError, ApiResult, FieldError, Violations};
use crate::stations::interchange::{csv_safe, csv_writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

pub fn parse_format(v: &mut Violations, raw: Option<&str>) -> Format {
    match raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("json")
    {
        "json" => Format::Json,
        "csv" => Format::Csv,
        _ => {
            v.push(FieldError::new(
                "format",
                "unknown_format",
                "format must be json or csv",
            ));
            Format::Json
        }
    }
}

/// A CSV attachment named `name`.csv.
pub fn csv(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> ApiResult<HttpResponse> {
    // The station export's writer (CRLF), after the same UTF-8 byte order mark.
    let mut w = csv_writer();
    w.write_record(header)
        .map_err(|e| ApiError::internal("csv", e))?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_safe(c)))
            .map_err(|e| ApiError::internal("csv", e))?;
    }
    let mut body = Vec::from("\u{feff}".as_bytes());
    body.extend(w.into_inner().map_err(|e| ApiError::internal("csv", e))?);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_and_guards_formulas() {
        let res = csv(
            "t",
            &["name", "n"],
            [vec!["=HYPERLINK(\"x\")".to_string(), "3".into()]],
        )
        .unwrap();
        let body = actix_web::body::to_bytes(res.into_body());
        let bytes = futures_util::FutureExt::now_or_never(body)
            .unwrap()
            .unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    }
}
