//! About 200 demo stations across Shanghai's 16 districts: two around each of about 100 street
//! or town centres, named after the street and a nearby road, with a realistic mix of hours,
//! amenities and capacities. Deterministic (seeded RNG) and idempotent (by `external_id`).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::phone::Phone;
use crate::entity::{region, station, user};
use crate::error::ApiError;
use crate::state::AppState;
use crate::stations::domain::{Amenity, StationStatus};
use crate::stations::generate::{self, SeedStation};
use crate::stations::sync;

/// A street's (or town's) centre, approximately, and two of its roads (zh, en).
struct Anchor {
    code: &'static str,
    en: &'static str,
    lat: f64,
    lng: f64,
    roads: [(&'static str, &'static str); 2],
}

const fn a(
    code: &'static str,
    en: &'static str,
    lat: f64,
    lng: f64,
    road0: (&'static str, &'static str),
    road1: (&'static str, &'static str),
) -> Anchor {
    Anchor {
        code,
        en,
        lat,
        lng,
        roads: [road0, road1],
    }
}

#[rustfmt::skip]
const ANCHORS: &[Anchor] = &[
    // Jing'an. The first is the demo operator's station: 24/7, at Jing'an Temple.
    a("310106013", "Jing'ansi Subdistrict", 31.2235, 121.4452, ("华山路", "Huashan Road"), ("常德路", "Changde Road")),
    a("310106012", "Nanjing West Road Subdistrict", 31.2296, 121.4578, ("南京西路", "Nanjing West Road"), ("石门一路", "Shimen 1st Road")),
    a("310106011", "Shimen 2nd Road Subdistrict", 31.2368, 121.4618, ("石门二路", "Shimen 2nd Road"), ("新闸路", "Xinzha Road")),
    a("310106006", "Jiangning Road Subdistrict", 31.2405, 121.4482, ("江宁路", "Jiangning Road"), ("昌平路", "Changping Road")),
    a("310106014", "Caojiadu Subdistrict", 31.2318, 121.4335, ("万航渡路", "Wanhangdu Road"), ("康定路", "Kangding Road")),
    a("310106015", "Tianmu West Road Subdistrict", 31.2497, 121.4598, ("天目西路", "Tianmu West Road"), ("恒丰路", "Hengfeng Road")),
    a("310106016", "Beizhan Subdistrict", 31.2478, 121.4735, ("天目中路", "Tianmu Middle Road"), ("浙江北路", "Zhejiang North Road")),
    a("310106017", "Baoshan Road Subdistrict", 31.2551, 121.4702, ("宝山路", "Baoshan Road"), ("中兴路", "Zhongxing Road")),
    a("310106019", "Daning Road Subdistrict", 31.2802, 121.4533, ("大宁路", "Daning Road"), ("广中西路", "Guangzhong West Road")),
    a("310106021", "Linfen Road Subdistrict", 31.3048, 121.4561, ("临汾路", "Linfen Road"), ("阳曲路", "Yangqu Road")),
    // Huangpu
    a("310101002", "Nanjing East Road Subdistrict", 31.2372, 121.4795, ("南京东路", "Nanjing East Road"), ("福建中路", "Fujian Middle Road")),
    a("310101013", "Waitan Subdistrict", 31.2381, 121.4858, ("九江路", "Jiujiang Road"), ("四川中路", "Sichuan Middle Road")),
    a("310101018", "Yuyuan Subdistrict", 31.2284, 121.4893, ("人民路", "Renmin Road"), ("河南南路", "Henan South Road")),
    a("310101017", "Xiaodongmen Subdistrict", 31.2226, 121.4985, ("中山南路", "Zhongshan South Road"), ("东门路", "Dongmen Road")),
    a("310101019", "Laoximen Subdistrict", 31.2186, 121.4797, ("中华路", "Zhonghua Road"), ("西藏南路", "Xizang South Road")),
    a("310101015", "Bansongyuan Road Subdistrict", 31.2049, 121.4921, ("半淞园路", "Bansongyuan Road"), ("瞿溪路", "Quxi Road")),
    a("310101020", "Wuliqiao Subdistrict", 31.2011, 121.4788, ("局门路", "Jumen Road"), ("鲁班路", "Luban Road")),
    a("310101021", "Dapuqiao Subdistrict", 31.2063, 121.4688, ("徐家汇路", "Xujiahui Road"), ("瑞金南路", "Ruijin South Road")),
    a("310101022", "Huaihai Middle Road Subdistrict", 31.2198, 121.4712, ("淮海中路", "Huaihai Middle Road"), ("重庆南路", "Chongqing South Road")),
    // Xuhui
    a("310104014", "Xujiahui Subdistrict", 31.1947, 121.4372, ("漕溪北路", "Caoxi North Road"), ("虹桥路", "Hongqiao Road")),
    a("310104003", "Tianping Road Subdistrict", 31.2038, 121.4418, ("天平路", "Tianping Road"), ("衡山路", "Hengshan Road")),
    a("310104004", "Hunan Road Subdistrict", 31.2112, 121.4426, ("复兴西路", "Fuxing West Road"), ("武康路", "Wukang Road")),
    a("310104007", "Xietu Road Subdistrict", 31.1962, 121.4548, ("斜土路", "Xietu Road"), ("宛平南路", "Wanping South Road")),
    a("310104011", "Tianlin Subdistrict", 31.1738, 121.4251, ("田林路", "Tianlin Road"), ("钦州路", "Qinzhou Road")),
    a("310104010", "Changqiao Subdistrict", 31.1482, 121.4418, ("罗秀路", "Luoxiu Road"), ("龙吴路", "Longwu Road")),
    a("310104016", "Longhua Subdistrict", 31.1763, 121.4528, ("龙华西路", "Longhua West Road"), ("天钥桥南路", "Tianyaoqiao South Road")),
    a("310104017", "Caohejing Subdistrict", 31.1682, 121.4352, ("漕宝路", "Caobao Road"), ("桂林路", "Guilin Road")),
    a("310104012", "Hongmei Road Subdistrict", 31.1702, 121.4049, ("虹梅路", "Hongmei Road"), ("宜山路", "Yishan Road")),
    // Changning
    a("310105006", "Tianshan Road Subdistrict", 31.2141, 121.4031, ("天山路", "Tianshan Road"), ("娄山关路", "Loushanguan Road")),
    a("310105008", "Xianxia Xincun Subdistrict", 31.2082, 121.3918, ("仙霞路", "Xianxia Road"), ("威宁路", "Weining Road")),
    a("310105009", "Hongqiao Subdistrict", 31.2009, 121.4138, ("延安西路", "Yan'an West Road"), ("古北路", "Gubei Road")),
    a("310105004", "Xinhua Road Subdistrict", 31.2061, 121.4279, ("新华路", "Xinhua Road"), ("番禺路", "Panyu Road")),
    a("310105002", "Jiangsu Road Subdistrict", 31.2203, 121.4301, ("江苏路", "Jiangsu Road"), ("愚园路", "Yuyuan Road")),
    a("310105011", "Beixinjing Subdistrict", 31.2183, 121.3762, ("天山西路", "Tianshan West Road"), ("哈密路", "Hami Road")),
    // Putuo
    a("310107015", "Changshou Road Subdistrict", 31.2418, 121.4352, ("长寿路", "Changshou Road"), ("武宁路", "Wuning Road")),
    a("310107005", "Caoyang Xincun Subdistrict", 31.2452, 121.4103, ("曹杨路", "Caoyang Road"), ("兰溪路", "Lanxi Road")),
    a("310107014", "Changfeng Xincun Subdistrict", 31.2248, 121.3952, ("大渡河路", "Daduhe Road"), ("云岭东路", "Yunling East Road")),
    a("310107022", "Zhenru Town Subdistrict", 31.2502, 121.3948, ("铜川路", "Tongchuan Road"), ("真北路", "Zhenbei Road")),
    a("310107020", "Yichuan Road Subdistrict", 31.2598, 121.4348, ("宜川路", "Yichuan Road"), ("延长西路", "Yanchang West Road")),
    a("310107102", "Changzheng Town", 31.2449, 121.3702, ("金沙江路", "Jinshajiang Road"), ("梅川路", "Meichuan Road")),
    a("310107103", "Taopu Town", 31.2801, 121.3598, ("桃浦路", "Taopu Road"), ("武威路", "Wuwei Road")),
    // Hongkou
    a("310109017", "North Sichuan Road Subdistrict", 31.2601, 121.4853, ("四川北路", "North Sichuan Road"), ("多伦路", "Duolun Road")),
    a("310109018", "North Bund Subdistrict", 31.2566, 121.4993, ("东大名路", "Dongdaming Road"), ("公平路", "Gongping Road")),
    a("310109014", "Jiaxing Road Subdistrict", 31.2584, 121.4948, ("嘉兴路", "Jiaxing Road"), ("海伦路", "Hailun Road")),
    a("310109010", "Quyang Road Subdistrict", 31.2821, 121.4902, ("曲阳路", "Quyang Road"), ("玉田路", "Yutian Road")),
    a("310109011", "Guangzhong Road Subdistrict", 31.2731, 121.4752, ("广中路", "Guangzhong Road"), ("西江湾路", "Xijiangwan Road")),
    a("310109016", "Liangcheng Xincun Subdistrict", 31.2948, 121.4801, ("凉城路", "Liangcheng Road"), ("广灵四路", "Guangling 4th Road")),
    // Yangpu
    a("310110019", "Wujiaochang Subdistrict", 31.3001, 121.5138, ("淞沪路", "Songhu Road"), ("国定路", "Guoding Road")),
    a("310110006", "Pingliang Road Subdistrict", 31.2602, 121.5301, ("平凉路", "Pingliang Road"), ("许昌路", "Xuchang Road")),
    a("310110012", "Kongjiang Road Subdistrict", 31.2751, 121.5302, ("控江路", "Kongjiang Road"), ("凤城路", "Fengcheng Road")),
    a("310110018", "Daqiao Subdistrict", 31.2662, 121.5372, ("隆昌路", "Longchang Road"), ("杨树浦路", "Yangshupu Road")),
    a("310110016", "Yinhang Subdistrict", 31.3148, 121.5301, ("殷行路", "Yinhang Road"), ("国和路", "Guohe Road")),
    a("310110020", "Xinjiangwancheng Subdistrict", 31.3302, 121.5049, ("殷高西路", "Yingao West Road"), ("政立路", "Zhengli Road")),
    a("310110009", "Siping Road Subdistrict", 31.2779, 121.5152, ("四平路", "Siping Road"), ("鞍山路", "Anshan Road")),
    // Minhang
    a("310112101", "Xinzhuang Town", 31.1112, 121.3851, ("莘松路", "Xinsong Road"), ("沪闵路", "Humin Road")),
    a("310112102", "Qibao Town", 31.1551, 121.3502, ("七莘路", "Qixin Road"), ("新镇路", "Xinzhen Road")),
    a("310112006", "Gumei Subdistrict", 31.1401, 121.3952, ("古美路", "Gumei Road"), ("顾戴路", "Gudai Road")),
    a("310112001", "Jiangchuan Road Subdistrict", 31.0151, 121.3902, ("江川路", "Jiangchuan Road"), ("沧源路", "Cangyuan Road")),
    a("310112114", "Pujiang Town", 31.0802, 121.5101, ("浦星公路", "Puxing Highway"), ("三鲁公路", "Sanlu Highway")),
    a("310112108", "Meilong Town", 31.1302, 121.4201, ("莲花南路", "Lianhua South Road"), ("春申路", "Chunshen Road")),
    a("310112107", "Hongqiao Town", 31.1851, 121.3952, ("吴中路", "Wuzhong Road"), ("虹井路", "Hongjing Road")),
    a("310112106", "Huacao Town", 31.2202, 121.2902, ("华翔路", "Huaxiang Road"), ("北翟路", "Beidi Road")),
    a("310112103", "Zhuanqiao Town", 31.0652, 121.4051, ("都市路", "Dushi Road"), ("颛兴路", "Zhuanxing Road")),
    // Baoshan
    a("310113003", "Youyi Road Subdistrict", 31.4051, 121.4889, ("友谊路", "Youyi Road"), ("牡丹江路", "Mudanjiang Road")),
    a("310113007", "Wusong Subdistrict", 31.3802, 121.4998, ("淞滨路", "Songbin Road"), ("同泰北路", "Tongtai North Road")),
    a("310113008", "Zhangmiao Subdistrict", 31.3251, 121.4501, ("长江西路", "Changjiang West Road"), ("呼兰路", "Hulan Road")),
    a("310113109", "Gucun Town", 31.3502, 121.3801, ("宝安公路", "Bao'an Highway"), ("泰和西路", "Taihe West Road")),
    a("310113102", "Dachang Town", 31.3101, 121.4202, ("场联路", "Changlian Road"), ("环镇北路", "Huanzhen North Road")),
    a("310113101", "Luodian Town", 31.4101, 121.3401, ("美丹路", "Meidan Road"), ("罗溪路", "Luoxi Road")),
    a("310113103", "Yanghang Town", 31.3902, 121.4401, ("宝杨路", "Baoyang Road"), ("杨桃路", "Yangtao Road")),
    // Jiading
    a("310114004", "Jiading Town Subdistrict", 31.3832, 121.2502, ("城中路", "Chengzhong Road"), ("博乐路", "Bole Road")),
    a("310114001", "Xincheng Road Subdistrict", 31.3902, 121.2601, ("新成路", "Xincheng Road"), ("沪宜公路", "Huyi Highway")),
    a("310114102", "Nanxiang Town", 31.2991, 121.3181, ("古猗园路", "Guyiyuan Road"), ("真南路", "Zhennan Road")),
    a("310114103", "Anting Town", 31.2951, 121.1601, ("墨玉路", "Moyu Road"), ("曹安公路", "Cao'an Highway")),
    a("310114106", "Malu Town", 31.3302, 121.2702, ("白银路", "Baiyin Road"), ("嘉戬公路", "Jiajian Highway")),
    a("310114118", "Jiangqiao Town", 31.2502, 121.3202, ("金沙江西路", "Jinshajiang West Road"), ("华江路", "Huajiang Road")),
    // Pudong
    a("310115005", "Lujiazui Subdistrict", 31.2362, 121.5052, ("陆家嘴环路", "Lujiazui Ring Road"), ("银城中路", "Yincheng Middle Road")),
    a("310115004", "Weifang Xincun Subdistrict", 31.2301, 121.5252, ("潍坊路", "Weifang Road"), ("崂山路", "Laoshan Road")),
    a("310115008", "Tangqiao Subdistrict", 31.2152, 121.5202, ("浦东南路", "Pudong South Road"), ("东方路", "Dongfang Road")),
    a("310115016", "Huamu Subdistrict", 31.2151, 121.5551, ("锦绣路", "Jinxiu Road"), ("芳甸路", "Fangdian Road")),
    a("310115013", "Yangjing Subdistrict", 31.2452, 121.5352, ("民生路", "Minsheng Road"), ("羽山路", "Yushan Road")),
    a("310115007", "Zhoujiadu Subdistrict", 31.1902, 121.4951, ("云台路", "Yuntai Road"), ("上南路", "Shangnan Road")),
    a("310115130", "Sanlin Town", 31.1452, 121.5051, ("三林路", "Sanlin Road"), ("东明路", "Dongming Road")),
    a("310115125", "Zhangjiang Town", 31.2052, 121.5902, ("祖冲之路", "Zuchongzhi Road"), ("张衡路", "Zhangheng Road")),
    a("310115120", "Jinqiao Town", 31.2602, 121.6001, ("金桥路", "Jinqiao Road"), ("新金桥路", "Xinjinqiao Road")),
    a("310115103", "Chuansha New Town", 31.1952, 121.7002, ("新川路", "Xinchuan Road"), ("华夏东路", "Huaxia East Road")),
    a("310115131", "Huinan Town", 31.0502, 121.7601, ("人民东路", "Renmin East Road"), ("沪南公路", "Hunan Highway")),
    a("310115132", "Zhoupu Town", 31.1152, 121.5752, ("年家浜路", "Nianjiabang Road"), ("周康路", "Zhoukang Road")),
    a("310115104", "Gaoqiao Town", 31.3502, 121.5701, ("港城路", "Gangcheng Road"), ("季景北路", "Jijing North Road")),
    a("310115145", "Nanhui New City Town", 30.9002, 121.9201, ("水芸路", "Shuiyun Road"), ("申港大道", "Shengang Avenue")),
    // Songjiang
    a("310117003", "Fangsong Subdistrict", 31.0352, 121.2201, ("文诚路", "Wencheng Road"), ("广富林路", "Guangfulin Road")),
    a("310117001", "Yueyang Subdistrict", 31.0102, 121.2301, ("中山中路", "Zhongshan Middle Road"), ("人民南路", "Renmin South Road")),
    a("310117102", "Sijing Town", 31.1202, 121.2651, ("泗通路", "Sitong Road"), ("鼓浪路", "Gulang Road")),
    a("310117107", "Jiuting Town", 31.1352, 121.3251, ("沪亭北路", "Huting North Road"), ("涞寅路", "Laiyin Road")),
    // Qingpu
    a("310118002", "Yingpu Subdistrict", 31.1652, 121.1101, ("公园路", "Gongyuan Road"), ("青松路", "Qingsong Road")),
    a("310118106", "Xujing Town", 31.1902, 121.2651, ("诸光路", "Zhuguang Road"), ("双联路", "Shuanglian Road")),
    a("310118102", "Zhujiajiao Town", 31.1082, 121.0531, ("沪青平公路", "Huqingping Highway"), ("祥凝浜路", "Xiangningbang Road")),
    // Fengxian
    a("310120101", "Nanqiao Town", 30.9202, 121.4601, ("解放东路", "Jiefang East Road"), ("环城东路", "Huancheng East Road")),
    a("310120003", "Jinhai Subdistrict", 30.9152, 121.5101, ("金海公路", "Jinhai Highway"), ("望园路", "Wangyuan Road")),
    a("310120102", "Fengcheng Town", 30.9302, 121.6301, ("南奉公路", "Nanfeng Highway"), ("城东路", "Chengdong Road")),
    // Jinshan
    a("310116001", "Shihua Subdistrict", 30.7231, 121.3401, ("卫零路", "Weiling Road"), ("蒙山路", "Mengshan Road")),
    a("310116101", "Zhujing Town", 30.9002, 121.1701, ("亭枫公路", "Tingfeng Highway"), ("新农路", "Xinnong Road")),
    a("310116102", "Fengjing Town", 30.8902, 121.0101, ("枫阳路", "Fengyang Road"), ("朱枫公路", "Zhufeng Highway")),
    // Chongming
    a("310151101", "Chengqiao Town", 31.6272, 121.4001, ("八一路", "Bayi Road"), ("南门路", "Nanmen Road")),
    a("310151102", "Baozhen Town", 31.5302, 121.6101, ("堡镇南路", "Baozhen South Road"), ("工农路", "Gongnong Road")),
    a("310151116", "Changxing Town", 31.3902, 121.7001, ("潘园公路", "Panyuan Highway"), ("凤凰公路", "Fenghuang Highway")),
];

/// Stations per anchor.
const PER_ANCHOR: usize = 2;
/// How many demo stations there are (for the startup banner).
pub const COUNT: usize = ANCHORS.len() * PER_ANCHOR;
/// Fixed, so every fresh database gets the same city.
const SEED: u64 = 20261122;

/// The demo operator's station (the first one).
pub const OPERATOR_STATION: &str = "demo-1";

/// The demo station's public number: Shanghai landline shape (`021-` and eight digits), but
/// the eight start with 0, which no Shanghai subscriber number does (0 is the trunk prefix),
/// so a demo number can be dialled in a test and never rings a real person.
pub fn demo_phone(n: usize) -> String {
    let digits = (n as u64 * 7_919 + 1_234_567) % 10_000_000;
    format!("021-0{digits:07}")
}

/// A point `100–450 m` from the anchor in a random direction (stations sit on nearby roads,
/// not all on one spot).
fn near(rng: &mut StdRng, lat: f64, lng: f64) -> (f64, f64) {
    let d = rng.gen_range(100.0..450.0) / 1000.0;
    let bearing = rng.gen_range(0.0..std::f64::consts::TAU);
    let dlat = d * bearing.cos() / 110.57;
    let dlng = d * bearing.sin() / (111.32 * lat.to_radians().cos());
    let round6 = |x: f64| (x * 1e6).round() / 1e6;
    (round6(lat + dlat), round6(lng + dlng))
}

/// Every demo station; `names` maps region codes to their Chinese names.
fn build(names: &HashMap<String, String>) -> Vec<SeedStation> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut out = Vec::with_capacity(COUNT);
    for (j, anchor) in ANCHORS.iter().enumerate() {
        let street = names.get(anchor.code).cloned().unwrap_or_default();
        let district = names.get(&anchor.code[..6]).cloned().unwrap_or_default();
        for k in 0..PER_ANCHOR {
            let n = out.len() + 1;
            let (road, road_en) = anchor.roads[k];
            // Four kinds of post, as the city names them.
            let (name, name_en) = match (k, j % 2, j % 3) {
                (0, 0, _) => (
                    format!("{street}暖新驿站"),
                    format!("{} Warm-New Station", anchor.en),
                ),
                (0, _, _) => (
                    format!("{street}户外劳动者服务站"),
                    format!("{} Outdoor Workers' Station", anchor.en),
                ),
                (_, _, 0) => (
                    format!("{street}小哥加油站"),
                    format!("{} Courier Rest Stop", anchor.en),
                ),
                _ => (
                    format!("{road}骑手驿站"),
                    format!("{road_en} Rider Station"),
                ),
            };
            let (lat, lng) = if n == 1 {
                (anchor.lat, anchor.lng)
            } else {
                near(&mut rng, anchor.lat, anchor.lng)
            };
            let number = rng.gen_range(1..900);
            let hours = generate::random_hours(&mut rng);
            let amenities = generate::random_amenities(&mut rng);
            let capacity = rng.gen_range(6..=40);
            let status = generate::random_status(&mut rng);
            let first = n == 1;
            out.push(SeedStation {
                external_id: format!("demo-{n}"),
                name,
                name_en,
                address: format!("{district}{road}{number}号"),
                lat,
                lng,
                region_code: anchor.code.to_string(),
                // The operator's station: open around the clock with a full set, so the
                // operator screen and the rider's nearest result both have something to show.
                opening_hours: if first { "24/7" } else { hours },
                amenities: if first {
                    vec![
                        Amenity::DrinkingWater,
                        Amenity::PhoneCharging,
                        Amenity::BatterySwap,
                        Amenity::Microwave,
                        Amenity::Toilet,
                        Amenity::RestArea,
                        Amenity::AirConditioning,
                        Amenity::Heating,
                        Amenity::FirstAid,
                        Amenity::Wifi,
                    ]
                } else {
                    amenities
                },
                capacity: if first { 20 } else { capacity },
                status: if first { StationStatus::Open } else { status },
            });
        }
    }
    out
}

/// Inserts the demo stations not there yet and gives the demo operator the first one.
/// Returns how many stations were inserted.
pub async fn seed(state: &AppState) -> Result<usize, ApiError> {
    let names: HashMap<String, String> = region::Entity::find()
        .select_only()
        .column(region::Column::Code)
        .column(region::Column::NameZh)
        .into_tuple::<(String, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let existing: HashSet<String> = station::Entity::find()
        .select_only()
        .column(station::Column::ExternalId)
        .filter(station::Column::ExternalId.starts_with("demo-"))
        .into_tuple::<Option<String>>()
        .all(&state.db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let mut inserted = 0;
    for d in build(&names) {
        if existing.contains(&d.external_id) {
            continue;
        }
        if !names.contains_key(&d.region_code) {
            return Err(ApiError::internal(
                "demo stations",
                format!("unknown region {}", d.region_code),
            ));
        }
        let id = Uuid::now_v7();
        let n: usize = d.external_id["demo-".len()..].parse().unwrap_or(0);
        let mut row = d.into_active_model(id, now);
        row.contact_phone = Set(Some(demo_phone(n)));
        row.insert(&txn).await?;
        // The feed lets a running server pick up `warmnew seed demo` without a restart.
        sync::record_change(&txn, id).await?;
        inserted += 1;
    }
    txn.commit().await?;
    assign_operator(state).await?;
    if inserted > 0 {
        tracing::info!(stations = inserted, "demo stations created");
    }
    Ok(inserted)
}

/// The demo operator manages the first demo station (unless already given another).
async fn assign_operator(state: &AppState) -> Result<(), ApiError> {
    let Some(account) = super::demo::ACCOUNTS
        .iter()
        .find(|a| a.role == crate::auth::Role::Operator)
    else {
        return Ok(());
    };
    let phone =
        Phone::parse(account.phone).map_err(|e| ApiError::internal("demo phone", e.message))?;
    let hash = state.phones.lookup_hash(&phone);
    let Some(operator) = user::Entity::find()
        .filter(user::Column::PhoneHash.eq(hash))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    if operator.station_id.is_some() {
        return Ok(());
    }
    let Some(station) = station::Entity::find()
        .filter(station::Column::ExternalId.eq(OPERATOR_STATION))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let mut active: user::ActiveModel = operator.into();
    active.station_id = Set(Some(station.id));
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stations::domain::{haversine_m, LatLng};
    use crate::stations::hours;

    fn names() -> HashMap<String, String> {
        crate::regions::seed::parse(include_str!("../../seed/shanghai-regions.csv"))
            .unwrap()
            .into_iter()
            .map(|r| (r.code.unwrap(), r.name_zh.unwrap()))
            .collect()
    }

    #[test]
    fn demo_city_is_complete_unique_and_plausible() {
        let names = names();
        let demo = build(&names);
        assert_eq!(demo.len(), COUNT);
        const { assert!(COUNT >= 190) };
        let districts: HashSet<&str> = demo.iter().map(|d| &d.region_code[..6]).collect();
        assert_eq!(districts.len(), 16);
        let unique: HashSet<&str> = demo.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(unique.len(), demo.len(), "station names repeat");
        for d in &demo {
            assert!(names.contains_key(&d.region_code), "{}", d.region_code);
            assert!(!d.name.starts_with("暖新") && !d.address.starts_with('号'));
            assert!(hours::parse(d.opening_hours).is_ok());
            assert!((6..=40).contains(&d.capacity));
            assert!((30.7..31.9).contains(&d.lat) && (120.85..122.0).contains(&d.lng));
        }
        let first = &demo[0];
        assert_eq!(first.name, "静安寺街道暖新驿站");
        assert_eq!(first.opening_hours, "24/7");
        let jingan = LatLng {
            lat: 31.2235,
            lng: 121.4452,
        };
        assert!(
            haversine_m(
                jingan,
                LatLng {
                    lat: first.lat,
                    lng: first.lng
                }
            ) < 1.0
        );
        for n in 1..=COUNT {
            let phone = demo_phone(n);
            assert!(
                crate::stations::domain::contact_phone(&phone).is_ok(),
                "{phone}"
            );
            assert!(phone.starts_with("021-0") && phone.len() == 12, "{phone}");
        }
        let round_the_clock = demo.iter().filter(|d| d.opening_hours == "24/7").count();
        assert!((60..=110).contains(&round_the_clock), "{round_the_clock}");
        // Deterministic.
        let again = build(&names);
        assert!(demo
            .iter()
            .zip(&again)
            .all(|(a, b)| a.name == b.name && a.lat == b.lat));
    }
}
