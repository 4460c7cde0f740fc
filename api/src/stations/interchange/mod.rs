//! Station data interchange: GeoJSON / CSV export (streamed page by page) and import (validated
//! like `POST /stations`, upserted by `external_id`, all or nothing per file).
//!
//! The shared vocabulary lives here (the file formats, their columns, the region filter); the
//! export is in `export`, the import in `import`, and reading files into rows in `parse`.

mod export;
mod import;
mod parse;

pub use export::{
    csv_writer, export_page, export_stream, feature, PointGeometry, StationCollection,
    StationFeature, StationProperties,
};
pub use import::{
    import, rejection, ImportOutcome, ImportProblem, ImportReport, RejectedRow, MAX_IMPORT_BYTES,
};

use std::path::Path;

use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};

/// CSV columns, in export order. `id`, `last_verified_at` and `updated_at` are export-only.
pub const CSV_COLUMNS: [&str; 15] = [
    "id",
    "external_id",
    "name",
    "name_en",
    "address",
    "lat",
    "lng",
    "region_code",
    "opening_hours",
    "amenities",
    "capacity",
    "status",
    "contact_phone",
    "last_verified_at",
    "updated_at",
];
const EXPORT_ONLY: [&str; 4] = ["id", "last_verified_at", "updated_at", "occupancy"];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Region code; includes every station below it (a district includes its streets).
    #[param(example = "310106")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
}

impl Format {
    /// From a request's Content-Type (parameters such as charset are ignored).
    pub fn from_content_type(value: &str) -> Option<Self> {
        let essence = value.split(';').next()?.trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/geo+json" | "application/json" => Some(Format::GeoJson),
            "text/csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// From a file name's extension (the CLI).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "geojson" | "json" => Some(Format::GeoJson),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// Where a row sits, as the prefix of field paths in a rejection problem.
    fn locate(self, row: u64) -> String {
        match self {
            Format::GeoJson => format!("features[{row}]"),
            Format::Csv => format!("rows[{row}]"),
        }
    }
}

/// Parses the optional region filter with the list endpoint's rule (a division-code prefix).
pub fn region_filter(p: &ExportParams) -> ApiResult<Option<String>> {
    match p.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) if r.len() <= 12 && r.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(r.into())),
        Some(_) => Err(ApiError::field(
            "region",
            "invalid_region",
            "region must be a division code",
        )),
    }
}

/// Cells Excel would run as formulas get a leading apostrophe; import strips it again.
pub fn csv_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn csv_unescape(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_unescaped() {
        assert_eq!(csv_safe("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_unescape("'=HYPERLINK(1)"), "=HYPERLINK(1)");
        assert_eq!(csv_unescape("'quoted"), "'quoted");
        assert_eq!(csv_safe("静安寺"), "静安寺");
    }

    #[test]
    fn formats() {
        assert_eq!(
            Format::from_content_type("text/csv; charset=utf-8"),
            Some(Format::Csv)
        );
        assert_eq!(
            Format::from_content_type("application/geo+json"),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_content_type("text/plain"), None);
        assert_eq!(
            Format::from_path(Path::new("a/b.GeoJSON")),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_path(Path::new("b.xlsx")), None);
    }
}
