//! Just enough `multipart/form-data` (RFC 7578) for Open311 clients that post that way: the
//! text fields, by name. File parts (`media`) are skipped: media are not stored.

use std::collections::HashMap;

/// The `boundary` parameter of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        let v = v.trim().trim_matches('"');
        (k.trim().eq_ignore_ascii_case("boundary") && !v.is_empty() && v.len() <= 70)
            .then(|| v.to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// `name="…"` and whether a `filename` is given, from a part's Content-Disposition.
fn disposition(headers: &str) -> Option<(String, bool)> {
    let line = headers.lines().find(|l| {
        l.split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    let (_, value) = line.split_once(':')?;
    let mut parts = value.split(';').map(str::trim);
    if !parts.next()?.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut file) = (None, false);
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            let v = v.trim().trim_matches('"').to_string();
            match k.trim().to_ascii_lowercase().as_str() {
                "name" => name = Some(v),
                "filename" | "filename*" => file = true,
                _ => {}
            }
        }
    }
    Some((name?, file))
}

/// The text fields of a body; `Err` names what is malformed.
pub fn fields(body: &[u8], boundary: &str) -> Result<HashMap<String, String>, &'static str> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or("no boundary in the body")?;
    let mut out = HashMap::new();
    loop {
        at += delimiter.len();
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(out);
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return Err("a boundary is not followed by a line break");
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a part has no end of headers")?;
        let headers =
            std::str::from_utf8(&body[at..head_end]).map_err(|_| "part headers are not UTF-8")?;
        let content = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let end = find(body, &closing, content).ok_or("the body ends inside a part")?;
        let (name, file) = disposition(headers).ok_or("a part has no form-data name")?;
        if !file {
            let text =
                std::str::from_utf8(&body[content..end]).map_err(|_| "a field is not UTF-8")?;
            out.insert(name, text.to_string());
        }
        at = end + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_read_and_files_skipped() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nmedical\r\n\
            --XyZ\r\ncontent-disposition: form-data; name=\"description\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n中暑\r\n两行\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x7fPNG\r\n\
            --XyZ--\r\n";
        let f = fields(body.as_bytes(), "XyZ").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f["service_code"], "medical");
        assert_eq!(f["description"], "中暑\r\n两行");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert!(fields(b"no parts here", "b").is_err());
        assert!(fields(
            b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated",
            "b"
        )
        .is_err());
        assert!(fields(b"--b\r\nX: y\r\n\r\nv\r\n--b--", "b").is_err());
        assert_eq!(fields(b"--b--\r\n", "b").unwrap().len(), 0);
    }
}
