//! Whose numbers: staff see their region (street, district or city) and anything inside it,
//! admins everything. A region outside the caller's scope is 403; every query filters by it.

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait};

use crate::auth::{AuthUser, Role};
use crate::entity::{help_request, region};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

/// A region by its GB/T 2260 code (codes nest by prefix), or everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub code: Option<String>,
}

impl Area {
    /// `region_code LIKE 'code%'` on a table that stores a station's region.
    pub fn on<C: ColumnTrait>(&self, col: C) -> SimpleExpr {
        match &self.code {
            Some(code) => col.starts_with(code.as_str()),
            None => Expr::val(1).eq(1),
        }
    }

    /// The same area on help requests, which store the street, district and city they belong to.
    pub fn on_help(&self) -> SimpleExpr {
        use help_request::Column as C;
        match self.code.as_deref() {
            Some(code) if code.len() >= 9 => C::StreetCode.eq(code),
            Some(code) if code.len() >= 6 => C::DistrictCode.eq(code),
            Some(code) => C::CityCode.eq(code),
            None => Expr::val(1).eq(1),
        }
    }
}

/// The area asked for (`region`), checked against the caller's scope.
pub async fn resolve(
    state: &AppState,
    user: &AuthUser,
    region_param: Option<&str>,
) -> ApiResult<Area> {
    user.require(&[Role::Staff, Role::Admin])?;
    let own = match user.role {
        Role::Admin => None,
        _ => match user.region_code.as_deref().filter(|c| !c.is_empty()) {
            Some(code) => Some(code.to_string()),
            None => return Err(ApiError::forbidden("your account has no region")),
        },
    };
    let asked = region_param.map(str::trim).filter(|r| !r.is_empty());
    let Some(asked) = asked else {
        return Ok(Area { code: own });
    };
    let known = region::Entity::find_by_id(asked.to_string())
        .one(&state.db)
        .await?;
    if known.is_none() {
        return Err(ApiError::validation(vec![FieldError::new(
            "region",
            "unknown_region",
            "no region has this code; see GET /api/v1/regions",
        )]));
    }
    if let Some(own) = &own {
        if !asked.starts_with(own.as_str()) {
            return Err(ApiError::forbidden("this region is outside your own"));
        }
    }
    Ok(Area {
        code: Some(asked.to_string()),
    })
}
