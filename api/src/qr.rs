//! QR codes as inline SVG, for station check-in posters and riders' redemption codes.

use qrcode::render::svg;
use qrcode::QrCode;

use crate::error::{ApiError, ApiResult};

/// `payload` as an SVG QR code, large enough to scan from a phone screen or a printed sheet.
pub fn svg(payload: &str) -> ApiResult<String> {
    let qr = QrCode::new(payload.as_bytes()).map_err(|e| ApiError::internal("qr", e))?;
    Ok(qr
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}
