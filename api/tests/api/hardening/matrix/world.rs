//! The matrix's city: two sides, each with a station in its own district, its operator, its
//! district's staff, a rider and that rider's objects; plus an admin over both.

use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::auth::{dto::LoginRequest, password::Password, phone::Phone, service, Role};

use crate::help::support::{at_station, create, station_in};
use crate::helpers::*;
use crate::points::support::{give, reward, reward_body};

/// Jing'an (side 1) and Xuhui (side 2): both districts of the regions table.
pub const DISTRICTS: [&str; 2] = ["310106", "310104"];
const AT: [(f64, f64); 2] = [(31.2235, 121.4452), (31.1885, 121.4365)];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who {
    Anon,
    RiderA,
    RiderB,
    Op1,
    Op2,
    StaffX,
    StaffY,
    Admin,
}

pub const EVERYONE: [Who; 8] = [
    Who::Anon,
    Who::RiderA,
    Who::RiderB,
    Who::Op1,
    Who::Op2,
    Who::StaffX,
    Who::StaffY,
    Who::Admin,
];

impl Who {
    pub fn column(self) -> &'static str {
        match self {
            Who::Anon => "anonymous",
            Who::RiderA => "rider_a",
            Who::RiderB => "rider_b",
            Who::Op1 => "operator_1",
            Who::Op2 => "operator_2",
            Who::StaffX => "staff_x",
            Who::StaffY => "staff_y",
            Who::Admin => "admin",
        }
    }

    /// 0 or 1 for the parties of a side; admin and anonymous belong to none.
    pub fn side(self) -> Option<usize> {
        match self {
            Who::RiderA | Who::Op1 | Who::StaffX => Some(0),
            Who::RiderB | Who::Op2 | Who::StaffY => Some(1),
            Who::Anon | Who::Admin => None,
        }
    }
}

/// A logged-in user: tokens, phone and id.
#[derive(Clone)]
pub struct Account {
    pub access: String,
    pub refresh: String,
    pub phone: String,
    pub id: String,
}

/// What one side owns.
pub struct Side {
    pub station: String,
    pub operator: Account,
    pub staff: Account,
    pub rider: Account,
    /// The rider's help request filed at this side's station (a private category).
    pub help: String,
    pub service_log: String,
    /// A reward tied to this side's station.
    pub reward: String,
    /// An unused redemption code of this side's rider.
    pub code: String,
}

pub struct World {
    pub app: TestApp,
    pub admin: Account,
    pub sides: [Side; 2],
    /// A reward redeemable anywhere, cheap enough for every redemption the matrix makes.
    pub any_reward: String,
    /// A published lesson riders attempt (fixture answers known).
    pub lesson: &'static str,
    /// A lesson only the publish/unpublish and edit rows touch.
    pub draft: String,
}

/// Creates a user of `role` directly and logs in through the service (not over HTTP, so the
/// set-up never spends the per-address limits the matrix itself exercises).
pub async fn account(
    app: &TestApp,
    role: Role,
    station: Option<&str>,
    region: Option<&str>,
) -> Account {
    let phone = random_phone();
    let new = service::NewUser {
        phone: Phone::parse(&phone).unwrap(),
        password: Password::parse(PASSWORD, None).unwrap(),
        display_name: "矩阵用户".into(),
        role,
        station_id: station.map(|s| s.parse().unwrap()),
        region_code: region.map(str::to_string),
    };
    let user = service::create_user(&app.state, new)
        .await
        .expect("create user");
    let req = LoginRequest {
        phone: phone.clone(),
        password: PASSWORD.into(),
    };
    // Its own address, so set-up logins never count against one address's limit.
    let b = Uuid::new_v4().into_bytes();
    let ip = format!("10.{}.{}.{}", b[0], b[1], b[2]);
    let t = service::login(&app.state, req, &ip).await.expect("login");
    let t = serde_json::to_value(t).unwrap();
    Account {
        access: token(&t).to_string(),
        refresh: refresh_token(&t).to_string(),
        phone,
        id: user.id.to_string(),
    }
}

impl World {
    pub async fn build(app: TestApp) -> World {
        let files = warmnew::lessons::source::read_dir(&crate::lessons::fixtures_dir())
            .expect("read fixtures");
        warmnew::lessons::store::import(&app.state.db, &files)
            .await
            .expect("import fixture lessons");
        let admin = account(&app, Role::Admin, None, None).await;
        let any_reward = reward(&app, &admin.access, reward_body("热水", 1, None, None)).await;
        let draft = format!("matrix-draft-{}", Uuid::now_v7().simple());
        let res = app
            .post(
                "/api/v1/lessons",
                Some(&admin.access),
                crate::lessons::lesson_body(&draft, "zh-CN"),
            )
            .await;
        assert_eq!(res.status(), 201, "draft lesson on {}", backend());
        let a = side(&app, &admin, 0).await;
        let b = side(&app, &admin, 1).await;
        World {
            app,
            any_reward: any_reward["id"].as_str().unwrap().to_string(),
            admin,
            sides: [a, b],
            lesson: crate::lessons::HELMET,
            draft,
        }
    }

    /// The standing token of `who` (None for anonymous).
    pub fn token(&self, who: Who) -> Option<String> {
        self.account(who).map(|a| a.access.clone())
    }

    pub fn account(&self, who: Who) -> Option<&Account> {
        match who {
            Who::Anon => None,
            Who::Admin => Some(&self.admin),
            Who::RiderA | Who::RiderB => Some(&self.sides[who.side()?].rider),
            Who::Op1 | Who::Op2 => Some(&self.sides[who.side()?].operator),
            Who::StaffX | Who::StaffY => Some(&self.sides[who.side()?].staff),
        }
    }

    /// A new user in the same place as `who` (same role, station or district), for calls that
    /// end a session or an account. Anonymous gets a fresh rider (for bodies that need one).
    pub async fn fresh(&self, who: Who) -> Account {
        let app = &self.app;
        match who {
            Who::Anon | Who::RiderA | Who::RiderB => account(app, Role::Rider, None, None).await,
            Who::Op1 | Who::Op2 => {
                let station = &self.sides[who.side().unwrap()].station;
                account(app, Role::Operator, Some(station), None).await
            }
            Who::StaffX | Who::StaffY => {
                let district = DISTRICTS[who.side().unwrap()];
                account(app, Role::Staff, None, Some(district)).await
            }
            Who::Admin => account(app, Role::Admin, None, None).await,
        }
    }

    /// A new help request of side `s`'s rider at side `s`'s station.
    pub async fn fresh_help(&self, s: usize) -> String {
        let side = &self.sides[s];
        let body = at_station("wage_arrears", &side.station);
        create(&self.app, &side.rider.access, body).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A new service log at side `s`'s station, written by its operator.
    pub async fn fresh_log(&self, s: usize) -> String {
        let side = &self.sides[s];
        service_log(&self.app, &side.operator.access, &side.station).await
    }

    /// A new unused redemption code of side `s`'s rider.
    pub async fn fresh_code(&self, s: usize) -> String {
        code_for(&self.app, &self.sides[s].rider).await
    }

    /// A throwaway station in side `s`'s district with its own operator.
    pub async fn fresh_station(&self, s: usize) -> (String, Account) {
        let name = format!("矩阵驿站{}", Uuid::now_v7().simple());
        let id = station_in(&self.app, &self.admin.access, &name, AT[s], DISTRICTS[s]).await;
        let operator = account(&self.app, Role::Operator, Some(&id), None).await;
        (id, operator)
    }

    /// The station's current check-in code (read as admin).
    pub async fn checkin_code(&self, station: &str) -> String {
        let path = format!("/api/v1/stations/{station}/checkin-code");
        let res = self.app.get(&path, Some(&self.admin.access)).await;
        assert_eq!(res.status(), 200, "checkin-code on {}", backend());
        let body: Value = res.json().await.unwrap();
        body["code"].as_str().expect("code").to_string()
    }
}

/// Issued through the service: the per-rider code limit is for the API call the matrix makes.
async fn code_for(app: &TestApp, rider: &Account) -> String {
    let id = rider.id.parse().unwrap();
    let dto = warmnew::points::codes::issue(&app.state, id)
        .await
        .expect("issue code");
    dto.code
}

async fn service_log(app: &TestApp, operator: &str, station: &str) -> String {
    let res = app
        .post(
            &format!("/api/v1/stations/{station}/service-logs"),
            Some(operator),
            json!({"service_type": "hot_water"}),
        )
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "service log on {}: {body}", backend());
    body["items"][0]["id"].as_str().expect("log id").to_string()
}

async fn side(app: &TestApp, admin: &Account, s: usize) -> Side {
    let name = format!("矩阵{}号驿站", s + 1);
    let station = station_in(app, &admin.access, &name, AT[s], DISTRICTS[s]).await;
    let operator = account(app, Role::Operator, Some(&station), None).await;
    let staff = account(app, Role::Staff, None, Some(DISTRICTS[s])).await;
    let rider = account(app, Role::Rider, None, None).await;
    give(app, rider.id.parse().unwrap(), 10_000).await;
    let help = create(app, &rider.access, at_station("wage_arrears", &station)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let service_log = service_log(app, &operator.access, &station).await;
    let reward = reward(
        app,
        &admin.access,
        reward_body("毛巾", 1, Some(&station), None),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let code = code_for(app, &rider).await;
    Side {
        station,
        operator,
        staff,
        rider,
        help,
        service_log,
        reward,
        code,
    }
}
