use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::entity::region;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    City,
    District,
    Street,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegionDto {
    /// GB/T 2260 division code (streets: 9 digits).
    #[schema(example = "310106")]
    pub code: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    #[schema(example = "静安区")]
    pub name_zh: String,
    #[schema(example = "Jing'an")]
    pub name_en: Option<String>,
    /// Approximate centre (WGS-84), where known (districts).
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegionList {
    pub items: Vec<RegionDto>,
}

impl From<region::Model> for RegionDto {
    fn from(m: region::Model) -> Self {
        let level = match m.level.as_str() {
            "city" => RegionLevel::City,
            "district" => RegionLevel::District,
            _ => RegionLevel::Street,
        };
        Self {
            code: m.code,
            level,
            parent_code: m.parent_code,
            name_zh: m.name_zh,
            name_en: m.name_en,
            lat: m.lat,
            lng: m.lng,
        }
    }
}
