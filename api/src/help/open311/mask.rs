//! Masking what could identify or reach a person in text that leaves the city's systems
//! (Open311 readers): phone, ID card and bank numbers however they are written, e-mail
//! addresses and chat ids. Over-masking a harmless number is the cheaper mistake.

use std::sync::LazyLock;

use regex::Regex;

/// Matched on a copy where every character is mapped one-to-one onto its plain form, so that
/// `１３８`, `一三八` and `138` are one pattern and positions carry back to the original.
static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // e-mail, also with spaces around `@` and dots
        r"[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)+",
        // chat ids named as such: 微信 / vx / wx / QQ … followed by the id
        r"(?i)(?:微信号?|威信|薇信|weixin|wechat|v信|vx|wx|加v|qq号?|扣扣)\s*(?:id|号|账号)?\s*[:=]?\s*([A-Za-z0-9][A-Za-z0-9_.-]{3,})",
        r"(?i)wxid_[A-Za-z0-9_-]+",
        // seven or more digits with at most two separators between neighbours
        r"\+?\d(?:[\s\-._/()·~]{0,2}\d){6,}",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid mask pattern"))
    .collect()
});

/// One character's plain form: full-width forms to ASCII, Chinese numerals as spoken in
/// phone numbers (幺 for 1, 两 for 2) to digits.
fn plain(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '〇' | '零' => '0',
        '一' | '壹' | '幺' => '1',
        '二' | '贰' | '两' => '2',
        '三' | '叁' => '3',
        '四' | '肆' => '4',
        '五' | '伍' => '5',
        '六' | '陆' => '6',
        '七' | '柒' => '7',
        '八' | '捌' => '8',
        '九' | '玖' => '9',
        '＠' => '@',
        '．' | '。' => '.',
        '－' | '—' | '–' | '﹣' => '-',
        '＿' => '_',
        '／' => '/',
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '＝' => '=',
        '　' => ' ',
        '＋' => '+',
        _ => c,
    }
}

/// Free text with what could identify or reach a person replaced by `***`.
pub fn mask_personal(text: &str) -> String {
    let original: Vec<char> = text.chars().collect();
    let normal: String = original.iter().map(|&c| plain(c)).collect();
    // Byte offset in `normal` → char index (the mapping keeps the char count).
    let mut index_of = vec![0usize; normal.len() + 1];
    for (i, (b, _)) in normal.char_indices().enumerate() {
        index_of[b] = i;
    }
    index_of[normal.len()] = original.len();
    let mut hidden = vec![false; original.len()];
    for re in PATTERNS.iter() {
        for caps in re.captures_iter(&normal) {
            let m = caps.get(1).or_else(|| caps.get(0)).expect("match");
            hidden[index_of[m.start()]..index_of[m.end()]].fill(true);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_mask = false;
    for (c, h) in original.iter().zip(&hidden) {
        if *h {
            if !in_mask {
                out.push_str("***");
            }
        } else {
            out.push(*c);
        }
        in_mask = *h;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask_personal;

    #[test]
    fn every_way_of_writing_a_number_or_an_id_is_masked() {
        for (text, leak) in [
            ("电话13812345678", "5678"),
            ("138-1234-5678", "5678"),
            ("+86 138 1234 5678", "5678"),
            ("138.1234.5678", "5678"),
            ("138_1234_5678", "5678"),
            ("138/1234/5678", "5678"),
            ("(021) 6234 5678", "5678"),
            ("打１３８１２３４５６７８找我", "５６７８"),
            ("一三八一二三四五六七八", "五六七八"),
            ("幺三八 幺二三四 五六七八", "五六七八"),
            ("邮箱 rider.x@example.com", "example"),
            ("rider.x ＠ example . com", "example"),
            ("加我微信：zhang_rider88", "zhang_rider88"),
            ("微信号 wxid_abc123def", "abc123"),
            ("vx: rider2026", "rider2026"),
            ("WeChat ID=lixiao_99", "lixiao_99"),
            ("QQ 12345678", "12345678"),
            ("身份证31010119900101123X", "1990"),
            ("卡号 6222 0212 3456 7890", "7890"),
        ] {
            let masked = mask_personal(text);
            assert!(!masked.contains(leak), "{text} → {masked}");
            assert!(masked.contains("***"), "{text} → {masked}");
        }
    }

    #[test]
    fn ordinary_text_stays_readable() {
        for text in [
            "订单 12 份，等了 45 分钟",
            "11月25日下午三点在静安寺",
            "一共欠了三个月工资，约 8000 元",
            "电动车在华山路爆胎",
        ] {
            assert_eq!(mask_personal(text), text);
        }
        assert_eq!(mask_personal("打 13812345678 找老王"), "打 *** 找老王");
    }
}
