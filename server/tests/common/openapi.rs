//! `api/openapi.yaml` as a checker: every answer must be a documented status
//! of its operation, with the documented content type and a body that fits
//! the schema (`$ref`, `allOf`, `oneOf`, `type`, `required`, `properties`,
//! `items`, `const`, `enum`).

use super::Reply;
use serde_json::Value;

pub struct Spec {
    pub doc: Value,
}

impl Spec {
    pub fn load() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/openapi.yaml");
        let text = std::fs::read_to_string(path).expect("api/openapi.yaml");
        Spec {
            doc: serde_yaml::from_str(&text).expect("the OpenAPI document is YAML"),
        }
    }

    /// Every `(method, path)` the document declares.
    pub fn operations(&self) -> Vec<(String, String)> {
        let mut ops = Vec::new();
        for (path, item) in self.doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                ops.push((method.clone(), path.clone()));
            }
        }
        ops.sort();
        ops
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let mut cur = &self.doc;
                for part in r.trim_start_matches("#/").split('/') {
                    cur = &cur[part];
                }
                self.resolve(cur)
            }
            None => v,
        }
    }

    /// Checks one answer of `method path`.
    pub fn check(&self, method: &str, path: &str, reply: &Reply) -> Result<(), String> {
        let op = &self.doc["paths"][path][method.to_ascii_lowercase()];
        if op.is_null() {
            // Paths outside the API (static files, CORS preflights), and
            // refused paths and methods.
            let refused = matches!(reply.status, 404 | 405);
            return if path.starts_with("/api/") && method != "OPTIONS" && !refused {
                Err(format!("{method} {path} is not in the OpenAPI document"))
            } else {
                Ok(())
            };
        }
        let status = reply.status.to_string();
        let response = op["responses"]
            .get(&status)
            .ok_or_else(|| format!("status {status} is not documented"))?;
        let response = self.resolve(response);
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return if reply.body.is_null() {
                Ok(())
            } else {
                Err("a body where none is documented".into())
            };
        };
        let ct = reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .to_string();
        let media = content
            .get(&ct)
            .ok_or_else(|| format!("content type `{ct}` is not documented"))?;
        self.fits(&media["schema"], &reply.body, "$")
    }

    fn fits(&self, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.fits(s, v, at)?;
            }
        }
        if let Some(any) = schema.get("oneOf").and_then(Value::as_array) {
            if !any.iter().any(|s| self.fits(s, v, at).is_ok()) {
                return Err(format!("{at}: fits none of oneOf"));
            }
        }
        if let Some(c) = schema.get("const") {
            if c != v {
                return Err(format!("{at}: expected {c}, found {v}"));
            }
        }
        if let Some(e) = schema.get("enum").and_then(Value::as_array) {
            if !e.contains(v) {
                return Err(format!("{at}: {v} is not one of {e:?}"));
            }
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let ok = types.iter().any(|t| match *t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "null" => v.is_null(),
                _ => false,
            });
            if !ok {
                return Err(format!("{at}: expected {types:?}, found {v}"));
            }
        }
        if let (Some(req), Some(obj)) = (
            schema.get("required").and_then(Value::as_array),
            v.as_object(),
        ) {
            for key in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(key) {
                    return Err(format!("{at}: missing `{key}`"));
                }
            }
        }
        if let (Some(props), Some(obj)) = (
            schema.get("properties").and_then(Value::as_object),
            v.as_object(),
        ) {
            for (key, s) in props {
                if let Some(x) = obj.get(key) {
                    self.fits(s, x, &format!("{at}.{key}"))?;
                }
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                if let Some(extra) = obj.keys().find(|k| !props.contains_key(*k)) {
                    return Err(format!("{at}: undocumented `{extra}`"));
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
            for (i, x) in arr.iter().enumerate() {
                self.fits(items, x, &format!("{at}[{i}]"))?;
            }
        }
        Ok(())
    }
}
