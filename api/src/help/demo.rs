//! About 36 demo help requests across the demo city, in every status: a dozen at the demo
//! operator's station (静安寺街道暖新驿站), more in Jing'an for the demo district staff, some
//! elsewhere for the city view. Each request's history is played through the same rules the
//! API and the SLA worker apply (`domain::check`, the configured deadlines), so timelines, tiers
//! and deadlines agree with its status; a few have missed deadlines and sit overdue at the city.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::domain::{
    self, HelpAction, HelpActorRole, HelpCategory, HelpEventKind, HelpStatus, HelpStep, HelpTier,
    HelpUrgency, Snapshot, Viewer,
};
use super::routing::{self, Chain};
use super::service::HAZARD_POINTS;
use crate::auth::phone::Phone;
use crate::auth::Role;
use crate::entity::{help_event, help_request, station, user};
use crate::error::ApiError;
use crate::points::ledger::{self, Reason};
use crate::state::AppState;

/// Demo riders by index into this list (their accounts are in `seed::demo::ACCOUNTS`).
const RIDERS: [&str; 3] = ["13800000001", "13800000005", "13800000006"];

const H: i64 = 60;
const D: i64 = 24 * 60;

/// Where the rider was: at a demo station (by external id), or only near a district's centre.
enum Place {
    Station(&'static str),
    District(&'static str, f64, f64),
}

/// One step of a request's history, `minutes` after it was filed. Handler steps are taken by
/// whoever handles the tier the request is at by then.
enum Step {
    Act(i64, HelpAction, &'static str),
    Rate(i64, i32, &'static str),
}

use HelpAction::{Accept, Cancel, Escalate, Reject, Reopen, Resolve, Start};
use Step::{Act, Rate};

struct Demo {
    rider: usize,
    category: HelpCategory,
    urgency: HelpUrgency,
    place: Place,
    /// Filed this many minutes ago.
    age: i64,
    text: &'static str,
    steps: &'static [Step],
}

const fn demo(
    rider: usize,
    category: HelpCategory,
    urgency: HelpUrgency,
    place: Place,
    age: i64,
    text: &'static str,
    steps: &'static [Step],
) -> Demo {
    Demo {
        rider,
        category,
        urgency,
        place,
        age,
        text,
        steps,
    }
}

use HelpCategory as C;
use HelpUrgency::{Normal, Sos, Urgent};
use Place::{District, Station};

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    // 静安寺街道暖新驿站 (demo-1): the demo operator's queue.
    demo(0, C::VehicleBreakdown, Normal, Station("demo-1"), 20,
        "电动车后胎被钉子扎破没气了，手上还有三单没送，附近有没有能补胎的地方？", &[]),
    demo(1, C::Medical, Urgent, Station("demo-1"), 50,
        "送餐途中有点中暑，头晕恶心，想在驿站休息一会儿，能否提供藿香正气水？", &[]),
    demo(2, C::CustomerDispute, Normal, Station("demo-1"), 5 * H,
        "顾客说餐洒了拒绝签收，要求我全额赔偿。我有送达时拍的照片，希望驿站帮忙调解。",
        &[Act(2 * H, Accept, "已联系顾客，约定下午三点在驿站当面沟通")]),
    demo(0, C::Psychological, Normal, Station("demo-1"), 2 * D,
        "最近连续被差评，压力很大，晚上睡不着，想找人聊一聊。",
        &[Act(3 * H, Accept, ""), Act(D, Start, "已安排社工周三晚上在驿站面谈")]),
    demo(1, C::TrafficAccident, Urgent, Station("demo-1"), 3 * D,
        "在常德路路口和一辆电动自行车发生剐蹭，对方要求私了赔500元，想咨询该怎么处理。",
        &[Act(30, Accept, ""), Act(40, Start, "已协助报警并联系交警到场"),
          Act(D, Resolve, "交警已出具事故认定书，双方按责任比例协商赔偿")]),
    demo(0, C::VehicleBreakdown, Normal, Station("demo-1"), 10 * D,
        "电瓶没电了，车推不动，求借充电宝或者换电。",
        &[Act(20, Accept, ""), Act(25, Start, ""), Act(2 * H, Resolve, "已在驿站换电"),
          Rate(3 * H, 5, "老李师傅帮我换了电池，非常及时！")]),
    demo(2, C::Other, Normal, Station("demo-1"), 14 * D,
        "下雨天外卖箱进水，想借个防水罩。",
        &[Act(15, Accept, ""), Act(20, Start, ""), Act(40, Resolve, "已借出雨衣和防水罩，请用完归还"),
          Rate(5 * H, 4, "东西很实用，就是数量有点少")]),
    demo(1, C::Suggestion, Normal, Station("demo-1"), 6 * D,
        "希望驿站晚上十点以后也能开放微波炉。",
        &[Act(2 * H, Reject, "驿站已24小时开放，微波炉夜间也可使用，门口有使用说明")]),
    demo(0, C::Other, Normal, Station("demo-1"), 4 * D,
        "手机好像落在驿站休息区了，黑色外壳。",
        &[Act(15, Cancel, "已经在车筐里找到了，谢谢")]),
    demo(2, C::VehicleBreakdown, Normal, Station("demo-1"), 4 * D + 12 * H,
        "静安寺地铁站旁的换电柜把电池锁住了，取不出来，联系平台客服三天都没人处理。", &[]),
    demo(1, C::HazardReport, Normal, Station("demo-1"), 7 * H,
        "华山路常德路口有个井盖松动，电动车压过去差点摔倒，晚上特别危险。",
        &[Act(H, Accept, "已通知市政养护单位，先设置了警示锥")]),
    demo(0, C::WageArrears, Normal, Station("demo-1"), 2 * H,
        "之前所在的配送站拖欠我两个月工资共8600元，站长一直推脱，想申请劳动仲裁。", &[]),
    demo(2, C::Other, Urgent, Station("demo-1"), 2 * H + 10,
        "驿站门口的饮水机坏了，天太热了，附近没有别的地方能打水。", &[]),
    demo(0, C::CustomerDispute, Normal, Station("demo-1"), D,
        "小区保安不让电动车进，要求步行送上18楼，超时被扣钱了。",
        &[Act(10, Escalate, "涉及小区物业管理，请街道协调"), Act(2 * H, Accept, ""),
          Act(3 * H, Start, "已与物业约谈，商定骑手临时通行方案")]),
    // Elsewhere in Jing'an: the demo district staff's view.
    demo(1, C::CustomerDispute, Normal, Station("demo-3"), 3 * H,
        "顾客投诉送错地址，但系统定位就是这里，平台判我全责。", &[]),
    demo(2, C::LegalConsult, Normal, Station("demo-3"), 2 * D,
        "和劳务公司签的是承揽协议不是劳动合同，受伤了算不算工伤？",
        &[Act(4 * H, Accept, ""), Act(D, Start, "已预约区法律援助中心律师周五上午面谈")]),
    demo(0, C::Medical, Normal, Station("demo-7"), 2 * D,
        "手腕扭伤了，想问问附近哪家医院看骨科方便，能不能走工伤保险。",
        &[Act(H, Accept, ""), Act(90, Start, ""), Act(D, Resolve, "已陪同就医并指导职业伤害保障申报")]),
    demo(1, C::Housing, Normal, Station("demo-7"), 3 * D,
        "房东突然要求一周内搬走，押金也不退，一时找不到住的地方。",
        &[Act(6 * H, Accept, "已联系街道新就业群体公寓，有空床位")]),
    demo(2, C::TrafficAccident, Sos, Station("demo-9"), 3 * H,
        "在万航渡路被一辆右转的轿车撞倒，膝盖流血，车主想走。",
        &[Act(5, Escalate, "有人受伤，需街道协调交警和医疗"), Act(15, Accept, "已联系120和交警")]),
    demo(0, C::ChildrenEducation, Normal, Station("demo-9"), 20 * D,
        "孩子明年上小学，我们是外地户口，想了解积分入学要准备什么材料。",
        &[Act(3 * H, Accept, ""), Act(D, Start, ""), Act(3 * D, Resolve, "已发送入学材料清单并预约教育局咨询"),
          Rate(4 * D, 3, "材料清单有用，但预约等了好几天")]),
    demo(1, C::PlatformDispute, Normal, Station("demo-11"), 3 * D,
        "平台无故封了我的骑手账号，申诉三次都被驳回，已经一周没有收入。", &[]),
    demo(2, C::HazardReport, Normal, District("310106", 31.262, 121.456), H,
        "大宁路附近施工围挡占了非机动车道，晚上没有警示灯，骑车很危险。", &[]),
    // Huangpu.
    demo(0, C::Other, Normal, Station("demo-21"), 40,
        "南京东路步行街禁止电动车进入，取餐点在里面，想问问有没有指定的停车点。", &[]),
    demo(1, C::TrafficAccident, Urgent, Station("demo-21"), D,
        "被一辆违停的快递三轮车别倒，车把撞坏了。",
        &[Act(20, Accept, ""), Act(30, Start, "已联系对方车主，正在协商维修费用")]),
    demo(2, C::CustomerDispute, Normal, Station("demo-23"), 4 * D,
        "写字楼前台不让进，顾客又不下楼，订单超时被罚款20元。",
        &[Act(2 * H, Accept, ""), Act(3 * H, Start, ""), Act(D, Resolve, "已与楼宇物业沟通，设置了外卖取餐架")]),
    demo(0, C::Psychological, Normal, Station("demo-23"), 12 * D,
        "跑单太累了，和家里人也经常吵架，情绪很低落。",
        &[Act(H, Accept, ""), Act(2 * H, Start, ""), Act(2 * D, Resolve, "已进行两次心理疏导，并留下热线电话"),
          Rate(3 * D, 5, "心理老师很耐心，聊完轻松多了")]),
    demo(1, C::Medical, Sos, Station("demo-25"), 6 * H,
        "同事在豫园附近突然胸口疼，脸色发白，我们在驿站门口。",
        &[Act(10, Accept, "已拨打120，驿站AED已取出备用")]),
    // Xuhui.
    demo(2, C::VehicleBreakdown, Normal, Station("demo-39"), 9 * D,
        "车链条断了，推着走了两公里。",
        &[Act(30, Accept, ""), Act(35, Start, ""), Act(90, Resolve, "驿站工具箱已帮忙接好链条"),
          Rate(2 * H, 4, "修得很快")]),
    demo(0, C::WageArrears, Normal, Station("demo-39"), 3 * D,
        "劳务派遣公司克扣了上个月的全勤奖和高温补贴，共1300元。",
        &[Act(5 * H, Accept, ""), Act(D, Start, "已转区劳动监察大队立案调查")]),
    demo(1, C::HazardReport, Normal, Station("demo-41"), 5 * D,
        "衡山路有一段路灯坏了好几天，晚上送餐看不清路面。",
        &[Act(3 * H, Accept, ""), Act(4 * H, Start, ""), Act(2 * D, Resolve, "路灯已由区绿化市容局修复")]),
    // Changning.
    demo(2, C::Other, Normal, Station("demo-57"), 2 * D,
        "想问驿站能不能帮忙代收一下快递。",
        &[Act(30, Cancel, "")]),
    demo(0, C::LegalConsult, Normal, Station("demo-57"), 8 * D,
        "想咨询电动车被盗以后保险怎么理赔。",
        &[Act(4 * H, Reject, "请携带购车发票和报案回执到区法律援助中心现场咨询")]),
    // Putuo.
    demo(1, C::CustomerDispute, Normal, Station("demo-69"), 90,
        "顾客给了差评还在群里骂人，平台不给申诉渠道。", &[]),
    // Hongkou.
    demo(2, C::Housing, Normal, Station("demo-83"), 2 * D,
        "合租的房子被认定为群租要整改，月底就得搬。",
        &[Act(8 * H, Accept, "已登记区保障性租赁住房需求")]),
    // Yangpu.
    demo(0, C::Medical, Urgent, Station("demo-95"), 5 * D,
        "骑车摔倒后胳膊一直疼，想去医院检查但不知道费用能不能报销。",
        &[Act(20, Accept, ""), Act(30, Start, ""), Act(D, Resolve, "已陪同拍片，无骨折"),
          Act(5 * D - 30, Reopen, "还是很疼，医生建议复查，想问报销的事")]),
    // Pudong: no station nearby, straight to the district.
    demo(1, C::Suggestion, Normal, District("310115", 31.2215, 121.5447), 5 * H,
        "建议在陆家嘴写字楼集中的地方设置骑手临时停车点和取餐柜。", &[]),
];

/// Who the demo accounts are.
struct Cast {
    riders: Vec<Option<Uuid>>,
    operator: Option<(Uuid, Uuid)>,
    staff: Option<(Uuid, String)>,
}

async fn user_id(state: &AppState, phone: &str) -> Result<Option<user::Model>, ApiError> {
    let phone = Phone::parse(phone).map_err(|e| ApiError::internal("demo phone", e.message))?;
    Ok(user::Entity::find()
        .filter(user::Column::PhoneHash.eq(state.phones.lookup_hash(&phone)))
        .one(&state.db)
        .await?)
}

async fn cast(state: &AppState) -> Result<Cast, ApiError> {
    let mut riders = Vec::new();
    for phone in RIDERS {
        riders.push(user_id(state, phone).await?.map(|u| u.id));
    }
    let mut operator = None;
    let mut staff = None;
    for account in &crate::seed::demo::ACCOUNTS {
        let Some(u) = user_id(state, account.phone).await? else {
            continue;
        };
        match account.role {
            Role::Operator => operator = operator.or(u.station_id.map(|s| (u.id, s))),
            Role::Staff => staff = staff.or(u.region_code.map(|r| (u.id, r))),
            _ => {}
        }
    }
    Ok(Cast {
        riders,
        operator,
        staff,
    })
}

/// A request as its history leaves it, with its timeline.
struct Played {
    row: help_request::Model,
    events: Vec<help_event::Model>,
}

struct Player<'a> {
    cast: &'a Cast,
    row: help_request::Model,
    events: Vec<help_event::Model>,
    windows: domain::Windows,
}

impl Player<'_> {
    fn status(&self) -> HelpStatus {
        HelpStatus::parse(&self.row.status).unwrap_or(HelpStatus::Submitted)
    }

    fn tier(&self) -> HelpTier {
        HelpTier::parse(&self.row.tier).unwrap_or(HelpTier::City)
    }

    /// The handler of the current tier: the demo account where there is one.
    fn handler(&self) -> (Viewer, HelpActorRole, Option<Uuid>) {
        let r = &self.row;
        match self.tier() {
            HelpTier::Station => {
                let id = self
                    .cast
                    .operator
                    .filter(|(_, s)| Some(*s) == r.station_id)
                    .map(|(u, _)| u);
                (Viewer::Operator, HelpActorRole::Operator, id)
            }
            tier => {
                let id = self.cast.staff.as_ref().and_then(|(u, code)| {
                    let mine = [&r.street_code, &r.district_code]
                        .iter()
                        .any(|c| c.as_deref() == Some(code.as_str()))
                        || *code == r.city_code;
                    mine.then_some(*u)
                });
                let viewer = match tier {
                    HelpTier::Street => Viewer::StreetStaff,
                    HelpTier::District => Viewer::DistrictStaff,
                    _ => Viewer::CityStaff,
                };
                (viewer, HelpActorRole::Staff, id)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        at: DateTime<Utc>,
        role: HelpActorRole,
        actor: Option<Uuid>,
        kind: HelpEventKind,
        from: Option<HelpStatus>,
        to: Option<HelpStatus>,
        note: &str,
    ) {
        self.events.push(help_event::Model {
            id: Uuid::now_v7(),
            request_id: self.row.id,
            at,
            actor_id: actor,
            actor_role: role.as_str().into(),
            kind: kind.as_str().into(),
            from_status: from.map(|s| s.as_str().into()),
            to_status: to.map(|s| s.as_str().into()),
            tier: Some(self.row.tier.clone()),
            note: (!note.is_empty()).then(|| note.to_string()),
            step: None,
            due_at: None,
            from_tier: None,
        });
        self.row.updated_at = at;
        self.row.version += 1;
    }

    /// What the SLA worker would have done up to `t`.
    fn deadlines_until(&mut self, t: DateTime<Utc>) {
        while let Some(due) = self
            .row
            .due_at
            .filter(|d| *d <= t && !self.row.breach_noted)
        {
            let at = due;
            // As the SLA worker writes them (help/sla.rs): no words, what happened as data.
            let step = if self.status().awaits_accept() {
                HelpStep::Accept
            } else {
                HelpStep::Resolve
            };
            let tier = self.tier();
            self.event(
                at,
                HelpActorRole::System,
                None,
                HelpEventKind::SlaBreached,
                None,
                None,
                "",
            );
            if let Some(e) = self.events.last_mut() {
                e.step = Some(step.as_str().into());
                e.due_at = Some(due);
            }
            match tier.up() {
                Some(up) => {
                    self.row.tier = up.as_str().into();
                    self.row.assignee_id = None;
                    self.fresh_window(at);
                    self.event(
                        at,
                        HelpActorRole::System,
                        None,
                        HelpEventKind::Escalated,
                        None,
                        None,
                        "",
                    );
                    if let Some(e) = self.events.last_mut() {
                        e.from_tier = Some(tier.as_str().into());
                    }
                }
                None => self.row.breach_noted = true,
            }
        }
    }

    fn fresh_window(&mut self, at: DateTime<Utc>) {
        let due = if self.status().awaits_accept() {
            let d = at + self.windows.accept();
            self.row.accept_due_at = Some(d);
            d
        } else {
            let d = at + self.windows.resolve();
            self.row.resolve_due_at = Some(d);
            d
        };
        self.row.due_at = Some(due);
        self.row.breach_noted = false;
    }

    fn act(&mut self, at: DateTime<Utc>, action: HelpAction, note: &str) -> Result<(), ApiError> {
        let from = self.status();
        let snap = Snapshot {
            status: from,
            tier: self.tier(),
            reopen_count: self.row.reopen_count,
            resolved_at: self.row.resolved_at,
            rated: self.row.rating.is_some(),
        };
        let (viewer, role, actor) = if action.is_riders() {
            (Viewer::Owner, HelpActorRole::Rider, self.row.rider_id)
        } else {
            self.handler()
        };
        let to = domain::check(viewer, &snap, action, at).map_err(|d| {
            ApiError::internal("demo help requests", format!("{action} from {from}: {d:?}"))
        })?;
        self.row.status = to.as_str().into();
        let r = &mut self.row;
        match action {
            Accept => {
                r.assignee_id = actor;
                r.due_at = r.resolve_due_at;
                r.breach_noted = false;
            }
            Start if from == HelpStatus::Reopened => {
                r.assignee_id = actor;
                r.due_at = r.resolve_due_at;
                r.breach_noted = false;
            }
            Start => {}
            Resolve => {
                r.resolved_at = Some(at);
                r.due_at = None;
            }
            Reject | Cancel => r.due_at = None,
            Escalate => {
                let up = snap.tier.up().unwrap_or(snap.tier);
                r.tier = up.as_str().into();
                r.assignee_id = None;
                self.fresh_window(at);
            }
            Reopen => {
                r.reopen_count += 1;
                r.resolved_at = None;
                r.accept_due_at = Some(at + self.windows.accept());
                r.resolve_due_at = Some(at + self.windows.resolve());
                r.due_at = r.accept_due_at;
                r.breach_noted = false;
            }
        }
        let escalate = action == Escalate;
        let (f, t) = if escalate {
            (None, None)
        } else {
            (Some(from), Some(to))
        };
        self.event(at, role, actor, action.event(), f, t, note);
        if escalate {
            // Where a handler's escalation came from, as the API records it.
            if let Some(e) = self.events.last_mut() {
                e.from_tier = Some(snap.tier.as_str().into());
            }
        }
        Ok(())
    }

    fn rate(&mut self, at: DateTime<Utc>, rating: i32, comment: &str) {
        let rider = self.row.rider_id;
        self.row.status = HelpStatus::Closed.as_str().into();
        self.row.rating = Some(rating);
        self.row.feedback_comment = (!comment.is_empty()).then(|| comment.to_string());
        self.row.feedback_at = Some(at);
        self.row.due_at = None;
        self.event(
            at,
            HelpActorRole::Rider,
            rider,
            HelpEventKind::Feedback,
            None,
            None,
            comment,
        );
        let (from, to) = (Some(HelpStatus::Resolved), Some(HelpStatus::Closed));
        self.event(
            at,
            HelpActorRole::Rider,
            rider,
            HelpEventKind::Closed,
            from,
            to,
            "",
        );
    }
}

/// Plays one demo request's history up to `now`.
fn play(
    d: &Demo,
    cast: &Cast,
    state: &AppState,
    rider: Uuid,
    route: routing::Route,
    at: Option<(f64, f64)>,
    now: DateTime<Utc>,
) -> Result<Played, ApiError> {
    let created = now - Duration::minutes(d.age);
    let windows = state.settings.help.windows(d.category, d.urgency);
    let accept_due = created + windows.accept();
    let row = help_request::Model {
        id: Uuid::now_v7(),
        rider_id: Some(rider),
        category: d.category.as_str().into(),
        urgency: d.urgency.as_str().into(),
        description: d.text.into(),
        lat: at.map(|a| (a.0 * 1000.0).round() / 1000.0),
        lng: at.map(|a| (a.1 * 1000.0).round() / 1000.0),
        station_id: route.station_id,
        street_code: route.street_code,
        district_code: route.district_code,
        city_code: route.city_code,
        tier: route.tier.as_str().into(),
        status: HelpStatus::Submitted.as_str().into(),
        assignee_id: None,
        due_at: Some(accept_due),
        accept_due_at: Some(accept_due),
        resolve_due_at: Some(created + windows.resolve()),
        breach_noted: false,
        resolved_at: None,
        reopen_count: 0,
        rating: None,
        feedback_comment: None,
        feedback_at: None,
        version: -1,
        created_at: created,
        updated_at: created,
        source: None,
        address_text: None,
        caller_name: None,
        caller_phone_enc: None,
        caller_email_enc: None,
        anonymised_at: None,
    };
    let mut p = Player {
        cast,
        row,
        events: Vec::new(),
        windows,
    };
    let to = Some(HelpStatus::Submitted);
    p.event(
        created,
        HelpActorRole::Rider,
        Some(rider),
        HelpEventKind::Submitted,
        None,
        to,
        "",
    );
    for step in d.steps {
        match *step {
            Act(m, action, note) => {
                let t = created + Duration::minutes(m);
                p.deadlines_until(t);
                p.act(t, action, note)?;
            }
            Rate(m, rating, comment) => {
                let t = created + Duration::minutes(m);
                p.deadlines_until(t);
                p.rate(t, rating, comment);
            }
        }
    }
    p.deadlines_until(now);
    Ok(Played {
        row: p.row,
        events: p.events,
    })
}

async fn route_of<C: ConnectionTrait>(
    conn: &C,
    place: &Place,
    category: HelpCategory,
) -> Result<Option<(routing::Route, (f64, f64))>, ApiError> {
    let (station, chain, at) = match place {
        Place::Station(external) => {
            let Some(s) = station::Entity::find()
                .filter(station::Column::ExternalId.eq(*external))
                .one(conn)
                .await?
            else {
                return Ok(None);
            };
            let chain = routing::chain_of(conn, &s.region_code).await?;
            (Some(s.id), chain, (s.lat, s.lng))
        }
        Place::District(code, lat, lng) => {
            let chain = routing::chain_of(conn, code).await?;
            (None, chain, (*lat, *lng))
        }
    };
    let Chain {
        street,
        district,
        city,
    } = chain;
    let Some(city_code) = city.clone() else {
        return Ok(None);
    };
    let tier = routing::tier_for(
        category,
        station.is_some(),
        &Chain {
            street: street.clone(),
            district: district.clone(),
            city,
        },
    );
    Ok(Some((
        routing::Route {
            station_id: station,
            street_code: street,
            district_code: district,
            city_code,
            tier,
        },
        at,
    )))
}

/// Creates the demo requests unless the demo rider already has some. Returns how many.
pub async fn seed(state: &AppState) -> Result<usize, ApiError> {
    let cast = cast(state).await?;
    let Some(first) = cast.riders.first().copied().flatten() else {
        return Ok(0);
    };
    let existing = help_request::Entity::find()
        .filter(help_request::Column::RiderId.eq(first))
        .count(&state.db)
        .await?;
    if existing > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let mut created = 0;
    for d in DEMOS {
        let Some(rider) = cast.riders.get(d.rider).copied().flatten().or(Some(first)) else {
            continue;
        };
        let Some((route, at)) = route_of(&txn, &d.place, d.category).await? else {
            continue;
        };
        let played = play(d, &cast, state, rider, route, Some(at), now)?;
        let accepted_hazard = d.category == HelpCategory::HazardReport
            && played.events.iter().any(|e| e.kind == "accepted");
        let id = played.row.id;
        help_request::ActiveModel::from(played.row)
            .insert(&txn)
            .await?;
        for e in played.events {
            help_event::ActiveModel::from(e).insert(&txn).await?;
        }
        if accepted_hazard {
            ledger::award(
                &txn,
                rider,
                HAZARD_POINTS,
                Reason::HazardReport,
                &format!("hazard:{id}"),
            )
            .await?;
        }
        created += 1;
    }
    txn.commit().await?;
    tracing::info!(requests = created, "demo help requests created");
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(tier: HelpTier, station: bool) -> routing::Route {
        routing::Route {
            station_id: station.then(Uuid::now_v7),
            street_code: Some("310106013".into()),
            district_code: Some("310106".into()),
            city_code: "3101".into(),
            tier,
        }
    }

    fn state() -> AppState {
        AppState::new(
            sea_orm::DatabaseConnection::default(),
            crate::cache::Cache::new(None, "t:").unwrap(),
            crate::config::Settings::for_tests(),
        )
    }

    #[tokio::test]
    async fn every_history_plays_by_the_rules_and_covers_every_status() {
        let state = state();
        let cast = Cast {
            riders: vec![Some(Uuid::now_v7()); 3],
            operator: None,
            staff: None,
        };
        let now = Utc::now();
        let mut statuses = std::collections::HashSet::new();
        let mut overdue = 0;
        for d in DEMOS {
            let (tier, station) = match d.place {
                Place::Station(_) => (
                    routing::tier_for(
                        d.category,
                        true,
                        &Chain {
                            street: Some("x".into()),
                            district: Some("y".into()),
                            city: Some("z".into()),
                        },
                    ),
                    true,
                ),
                Place::District(..) => (HelpTier::District, false),
            };
            let p = play(
                d,
                &cast,
                &state,
                Uuid::now_v7(),
                route(tier, station),
                None,
                now,
            )
            .unwrap_or_else(|e| panic!("{}: {e}", d.text));
            let status = HelpStatus::parse(&p.row.status).unwrap();
            statuses.insert(status);
            assert_eq!(p.row.due_at.is_some(), status.is_open(), "{}", d.text);
            assert!(
                p.events.windows(2).all(|w| w[0].at <= w[1].at),
                "{}",
                d.text
            );
            assert!(p.events.iter().all(|e| e.at <= now));
            if p.row.due_at.is_some_and(|due| due < now) {
                overdue += 1;
                assert!(p.row.breach_noted && p.row.tier == "city", "{}", d.text);
            }
        }
        assert_eq!(statuses.len(), HelpStatus::ALL.len(), "{statuses:?}");
        assert!(overdue >= 2, "the queues show something overdue");
        assert!((30..=40).contains(&DEMOS.len()));
    }
}
