//! The spec's XML: the same values as the JSON answers, a list as `<services><service>…`,
//! `<service_requests><request>…`, `<errors><error>…`; null as an empty element.

use serde_json::Value;

/// The element a list's items are written as.
fn item_name(list: &str) -> &str {
    match list {
        "service_requests" => "request",
        "services" => "service",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

/// A whole document with `root` as its element.
pub fn document(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    element(&mut out, root, value);
    out.push('\n');
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
        }
        Value::Array(items) => {
            open(out, name);
            let item = item_name(name);
            for v in items {
                element(out, item, v);
            }
            close(out, name);
        }
        Value::Object(fields) => {
            open(out, name);
            for (k, v) in fields {
                element(out, k, v);
            }
            close(out, name);
        }
        Value::String(s) => {
            open(out, name);
            escape_into(out, s);
            close(out, name);
        }
        Value::Bool(_) | Value::Number(_) => {
            open(out, name);
            out.push_str(&value.to_string());
            close(out, name);
        }
    }
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Text content: markup escaped, and characters XML 1.0 cannot carry dropped.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_objects_nulls_and_escaping() {
        let v = json!([{"service_request_id": "1", "status_notes": null, "lat": 31.2,
            "description": "<b>&\u{1}\"x\"</b>"}]);
        assert_eq!(
            document("service_requests", &v),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests><request>\
             <description>&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</description><lat>31.2</lat>\
             <service_request_id>1</service_request_id><status_notes/></request></service_requests>\n"
        );
        let d =
            json!({"changeset": "c", "endpoints": [{"formats": ["text/xml", "application/json"]}]});
        assert!(document("discovery", &d).contains(
            "<endpoints><endpoint><formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints>"
        ));
        assert!(
            document("errors", &json!([{"code": 404, "description": "x"}])).contains(
                "<errors><error><code>404</code><description>x</description></error></errors>"
            )
        );
    }
}
