//! What a rider in the field needs of the demo city (issue 11): every demo station has a
//! public number to call, and the station's detail carries it.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use warmnew::entity::station;

use crate::helpers::*;

#[tokio::test]
async fn every_demo_station_has_a_contact_phone_on_its_detail() {
    let app = spawn_with(|s| {
        s.demo_data = true;
        s.demo_days = 0;
    })
    .await;
    let rows = station::Entity::find()
        .filter(station::Column::ExternalId.starts_with("demo-"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.len() >= 190, "{} demo stations", rows.len());
    for r in &rows {
        let phone = r.contact_phone.as_deref().unwrap_or_default();
        // 021-0xxxxxxx: a Shanghai landline's shape, and a number no subscriber has.
        assert!(
            phone.len() == 12
                && phone.starts_with("021-0")
                && phone[4..].bytes().all(|b| b.is_ascii_digit()),
            "{:?}: {phone:?}",
            r.external_id
        );
    }
    let first = rows
        .iter()
        .find(|r| r.external_id.as_deref() == Some("demo-1"))
        .expect("demo-1");
    let detail = app.station(&first.id.to_string()).await;
    assert_eq!(
        detail["contact_phone"].as_str(),
        first.contact_phone.as_deref(),
        "on {}",
        backend()
    );
    let distinct: std::collections::HashSet<_> = rows.iter().map(|r| &r.contact_phone).collect();
    assert_eq!(distinct.len(), rows.len(), "each station its own number");
}
