//! Structural reading of snapshots and change sets (spec §8). The JSON is
//! walked against a small hand-written description of its shape, so that
//! every structural problem — a wrong type, an invalid value, a missing or
//! unknown field, a malformed rule — is reported at its path, not only the
//! first. The walk repairs the value as it goes (unknown fields removed, bad
//! values replaced by harmless defaults) so that the semantic validation can
//! still run on it and report its own problems too.

use super::catalog::Compiled;
use super::problem::{About, Code, Problem, Problems};
use super::snapshot::Snapshot;
use super::validate::validate;
use serde_json::{Map, Value};
use std::fmt::Write;

/// The shape of a JSON value.
enum Shape {
    Str,
    Bool,
    /// A string out of a fixed set; the first is the default.
    Enum(&'static [&'static str]),
    /// `null` or the shape (an `Option`).
    Opt(&'static Shape),
    List(&'static Shape),
    Object(&'static [Field]),
    /// Any problem inside is `malformed-rule`, reported at this value's path.
    Rule(&'static Shape),
}

/// A field of an object.
struct Field {
    name: &'static str,
    shape: Shape,
    required: bool,
}

const fn req(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
    }
}

const fn opt(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
    }
}

use Shape::{Bool, List, Object, Opt, Str};

const STRINGS: Shape = List(&Str);
const ROLE: Shape = Shape::Enum(&["member", "analyst", "admin"]);
const RULE: Shape = Shape::Rule(&Object(&[
    req("table", Str),
    req("column", Str),
    req("values", STRINGS),
]));
const ENTRY: Shape = Object(&[
    req("principal", Str),
    opt("access", Shape::Rule(&Opt(&Str))),
    opt("rules", Shape::Rule(&Opt(&List(&RULE)))),
]);
const ENTRIES: Shape = List(&ENTRY);

/// The snapshot of `../shared/spec/snapshot-format.md` (`model::snapshot`).
static SNAPSHOT: Shape = Object(&[
    opt(
        "directory",
        Object(&[
            opt(
                "users",
                List(&Object(&[
                    req("id", Str),
                    req("name", Str),
                    opt("email", Str),
                    req("role", ROLE),
                ])),
            ),
            opt(
                "groups",
                List(&Object(&[
                    req("id", Str),
                    req("name", Str),
                    req("role", ROLE),
                    opt("members", STRINGS),
                ])),
            ),
            opt(
                "applications",
                List(&Object(&[req("id", Str), req("name", Str)])),
            ),
            opt(
                "api_keys",
                List(&Object(&[
                    req("id", Str),
                    req("owner", Str),
                    opt("name", Opt(&Str)),
                ])),
            ),
            opt(
                "oauth_clients",
                List(&Object(&[
                    req("id", Str),
                    req("name", Str),
                    opt("scopes", STRINGS),
                ])),
            ),
        ]),
    ),
    opt(
        "resources",
        List(&Object(&[
            req("id", Str),
            req("kind", Str),
            opt("parent", Opt(&Str)),
            req("name", Str),
            opt("created_by", Opt(&Str)),
        ])),
    ),
    opt(
        "grants",
        List(&Object(&[
            req("principal", Str),
            req("resource", Str),
            req("permissions", STRINGS),
            opt("origin", Shape::Enum(&["manual", "creator"])),
        ])),
    ),
    opt(
        "data_permissions",
        List(&Object(&[
            req("data_model", Str),
            req("enabled", Bool),
            opt("entries", ENTRIES),
        ])),
    ),
    opt("version", Opt(&Str)),
]);

const OPS: [&str; 3] = ["grant", "revoke", "set-data-permissions"];
const GRANT_OP: &[Field] = &[
    req("op", Str),
    req("principal", Str),
    req("resource", Str),
    req("permission", Str),
];
const SET_DATA_OP: &[Field] = &[
    req("op", Str),
    req("data_model", Str),
    req("enabled", Bool),
    opt("entries", ENTRIES),
];

/// Reads a snapshot from JSON text. Without structural problems it is
/// returned as is (not validated: [`crate::eval::Team::new`] does that);
/// with some, they are returned together with the problems the validation
/// finds in the repaired snapshot outside the places already reported.
pub fn read_snapshot(catalog: &Compiled, json: &str) -> Result<Snapshot, Problems> {
    // A well-formed snapshot, the usual case, is read in one pass, four to
    // five times faster than building its JSON tree and walking it. That pass
    // accepts what the walk accepts, but for one thing: serde reads a
    // struct from a list of its fields' values; the scan rules that out.
    // (The test `what_reads_in_one_pass_the_walk_accepts_as_is`.)
    if arrays_only_in_lists(json, &SNAPSHOT) {
        if let Ok(snapshot) = serde_json::from_str::<Snapshot>(json) {
            return Ok(snapshot);
        }
    }
    read_snapshot_walked(catalog, json)
}

/// [`read_snapshot`] by the walk alone.
fn read_snapshot_walked(catalog: &Compiled, json: &str) -> Result<Snapshot, Problems> {
    match serde_json::from_str(json) {
        Ok(value) => read(catalog, value),
        Err(e) => Err(Problems(vec![Problem::new(
            Code::MalformedJson,
            "$",
            format!("the text is not JSON: {e}"),
        )])),
    }
}

/// [`read_snapshot`] for a snapshot already parsed as JSON.
pub fn read_snapshot_value(catalog: &Compiled, value: &Value) -> Result<Snapshot, Problems> {
    read(catalog, value.clone())
}

fn read(catalog: &Compiled, mut value: Value) -> Result<Snapshot, Problems> {
    let mut w = Walker::default();
    w.walk_top(&mut value, &SNAPSHOT, "$");
    let mut problems = w.problems;
    let snapshot = match serde_json::from_str::<Snapshot>(&value.to_string()) {
        Ok(s) => s,
        Err(e) => {
            problems.push(
                Code::MalformedJson,
                "$",
                format!("the snapshot cannot be read: {e}"),
            );
            return Err(problems);
        }
    };
    if problems.0.is_empty() {
        return Ok(snapshot);
    }
    let semantic = validate(catalog, &snapshot);
    let new = |p: &&Problem| !w.covered.iter().any(|c| at_or_below(&p.path, c));
    let more: Vec<Problem> = semantic
        .errors()
        .chain(semantic.warnings())
        .filter(new)
        .cloned()
        .collect();
    problems.0.extend(more);
    Err(problems)
}

/// Whether every array in `json` (its syntax assumed valid: the parser
/// checks it) is the value of a field that holds a list somewhere in
/// `shape`. Such field names are never used for anything else.
fn arrays_only_in_lists(json: &str, shape: &Shape) -> bool {
    let mut lists = Vec::new();
    list_fields(shape, &mut lists);
    let bytes = json.as_bytes();
    let (mut i, mut string, mut key) = (0, None, None);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                string = json.get(start..i);
            }
            b':' => key = string.take(),
            b'[' => {
                if !key.take().is_some_and(|k| lists.contains(&k)) {
                    return false;
                }
            }
            b' ' | b'\n' | b'\r' | b'\t' => {}
            _ => (string, key) = (None, None),
        }
        i += 1;
    }
    true
}

/// The names of the fields that hold lists, in `shape` and below.
fn list_fields(shape: &Shape, out: &mut Vec<&'static str>) {
    match shape {
        Opt(inner) | List(inner) | Shape::Rule(inner) => list_fields(inner, out),
        Object(fields) => {
            for f in fields.iter() {
                if is_list(&f.shape) {
                    out.push(f.name);
                }
                list_fields(&f.shape, out);
            }
        }
        Str | Bool | Shape::Enum(_) => {}
    }
}

fn is_list(shape: &Shape) -> bool {
    match shape {
        List(_) => true,
        Opt(inner) | Shape::Rule(inner) => is_list(inner),
        _ => false,
    }
}

/// Checks the shape of a change set (a JSON list of operations): every
/// structural problem of every operation, at `$.changes[i]…`, and the
/// operations that are well-formed (repaired of nothing), with their index.
pub fn read_op_values(value: &Value) -> (Vec<(usize, Value)>, Problems) {
    let mut w = Walker::default();
    let Value::Array(items) = value else {
        w.problems.push(
            Code::MalformedJson,
            "$.changes",
            format!("expected a list of operations, found {}", found(value)),
        );
        return (Vec::new(), w.problems);
    };
    let mut ops = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("$.changes[{i}]");
        let before = w.problems.0.len();
        let fields = match item.get("op") {
            _ if !item.is_object() => {
                let msg = format!("expected an operation (an object), found {}", found(item));
                w.problems.push(Code::MalformedJson, &path, msg);
                continue;
            }
            None => {
                w.problems
                    .push(Code::MalformedJson, &path, "missing field `op`");
                continue;
            }
            Some(Value::String(name)) if name == "set-data-permissions" => SET_DATA_OP,
            Some(Value::String(name)) if OPS.contains(&name.as_str()) => GRANT_OP,
            Some(Value::String(name)) => {
                let msg = format!(
                    "`{name}` is not one of {}{}",
                    listing(&OPS),
                    suggest(name, &OPS)
                );
                w.problems
                    .push(Code::MalformedJson, format!("{path}.op"), msg);
                continue;
            }
            Some(other) => {
                let msg = format!("expected a string, found {}", found(other));
                w.problems
                    .push(Code::MalformedJson, format!("{path}.op"), msg);
                continue;
            }
        };
        let mut op = item.clone();
        w.walk_top(&mut op, &Object(fields), &path);
        if w.problems.0.len() > before {
            continue;
        }
        ops.push((i, op));
    }
    (ops, w.problems)
}

/// Whether `path` is `base` or inside it.
fn at_or_below(path: &str, base: &str) -> bool {
    path.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[derive(Default)]
struct Walker {
    problems: Problems,
    /// Paths already reported (or repaired): the semantic validation's
    /// problems there are consequences, not news.
    covered: Vec<String>,
    /// The JSON path of the value being walked. Each level appends its
    /// segment and takes it off again, so that a path is only copied when a
    /// problem is reported there (a large snapshot has millions of fields).
    path: String,
}

impl Walker {
    /// Checks `v`, the value at `path`, against `shape`, repairing it.
    fn walk_top(&mut self, v: &mut Value, shape: &Shape, path: &str) {
        self.path.clear();
        self.path.push_str(path);
        self.walk(v, shape, At::TOP);
    }

    /// Checks `v` (of field `at.field`) against `shape` at the walker's
    /// path, repairing it. Inside a rule, `at.rule` is where the path of the
    /// rule ends.
    fn walk(&mut self, v: &mut Value, shape: &Shape, at: At) {
        match (shape, &mut *v) {
            (Shape::Rule(inner), _) => self.walk(
                v,
                inner,
                At {
                    rule: Some(self.path.len()),
                    ..at
                },
            ),
            (Opt(_), Value::Null) | (Str, Value::String(_)) | (Bool, Value::Bool(_)) => {}
            (Opt(inner), _) => self.walk(v, inner, at),
            (Shape::Enum(names), Value::String(s)) => {
                if !names.contains(&s.as_str()) {
                    let msg = format!(
                        "`{s}` is not one of {}{}",
                        listing(names),
                        suggest(s, names)
                    );
                    self.report(Code::MalformedJson, at, msg);
                    *v = default(shape);
                }
            }
            (List(item), Value::Array(items)) => {
                for (i, x) in items.iter_mut().enumerate() {
                    let len = self.path.len();
                    let _ = write!(self.path, "[{i}]");
                    self.walk(x, item, at);
                    self.path.truncate(len);
                }
            }
            (Object(fields), Value::Object(map)) => self.object(map, fields, at),
            _ => {
                let msg = format!("expected {}, found {}", expected(shape), found(v));
                self.report(Code::MalformedJson, at, msg);
                *v = default(shape);
            }
        }
    }

    fn object(&mut self, map: &mut Map<String, Value>, fields: &[Field], at: At) {
        let unknown: Vec<String> = map
            .keys()
            .filter(|k| !fields.iter().any(|f| f.name == k.as_str()))
            .cloned()
            .collect();
        // A misspelt field is one problem: its missing counterpart is not another.
        let mut misspelt = Vec::new();
        let names: Vec<&str> = match unknown.is_empty() {
            true => Vec::new(),
            false => fields.iter().map(|f| f.name).collect(),
        };
        for k in unknown {
            map.remove(&k);
            let hint = suggest(&k, &names);
            if let Some(n) = closest(&k, &names) {
                misspelt.push(n);
            }
            let msg = format!("unknown field `{k}`{hint}");
            let len = self.path.len();
            push_field(&mut self.path, &k);
            let field = Some(k.as_str());
            self.report(Code::UnknownField, At { field, ..at }, msg);
            self.path.truncate(len);
        }
        for f in fields {
            let len = self.path.len();
            match map.get_mut(f.name) {
                Some(x) => {
                    push_field(&mut self.path, f.name);
                    let field = Some(f.name);
                    self.walk(x, &f.shape, At { field, ..at });
                    self.path.truncate(len);
                }
                None if f.required => {
                    map.insert(f.name.to_string(), default(&f.shape));
                    if misspelt.contains(&f.name) {
                        push_field(&mut self.path, f.name);
                        self.covered.push(self.path.clone());
                        self.path.truncate(len);
                    } else {
                        let msg = format!("missing field `{}`", f.name);
                        self.report(
                            Code::MalformedJson,
                            At {
                                field: Some(f.name),
                                ..at
                            },
                            msg,
                        );
                    }
                }
                None => {}
            }
        }
    }

    /// Reports a problem; inside a rule, as `malformed-rule` at the rule,
    /// the message naming the part of the rule that is wrong.
    fn report(&mut self, code: Code, at: At, message: String) {
        let At { rule, field } = at;
        let (code, end, message) = match rule {
            None => (code, self.path.len(), message),
            Some(rule_end) => {
                let part = self.path[rule_end..].trim_start_matches('.');
                let message = if part.is_empty() || code == Code::UnknownField {
                    message
                } else {
                    format!("`{part}`: {message}")
                };
                (Code::MalformedRule, rule_end, message)
            }
        };
        let path = &self.path[..end];
        self.covered.push(path.to_string());
        let about = field.map(About::field).unwrap_or_default();
        self.problems.push_about(code, path, message, about);
    }
}

/// What the walker's path is: the field's name (none at the top or in a
/// list of operations) and, inside a data-permission rule, the length of
/// the rule's path.
#[derive(Clone, Copy)]
struct At<'a> {
    field: Option<&'a str>,
    rule: Option<usize>,
}

impl At<'_> {
    const TOP: At<'static> = At {
        field: None,
        rule: None,
    };
}

/// A harmless value of the shape: `""`, `false`, `[]`, the first of an enum,
/// an object with its required fields.
fn default(shape: &Shape) -> Value {
    match shape {
        Str => Value::String(String::new()),
        Bool => Value::Bool(false),
        Shape::Enum(names) => Value::String(names.first().copied().unwrap_or("").into()),
        Opt(inner) | Shape::Rule(inner) => default(inner),
        List(_) => Value::Array(Vec::new()),
        Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|f| f.required)
                .map(|f| (f.name.to_string(), default(&f.shape)))
                .collect(),
        ),
    }
}

fn expected(shape: &Shape) -> String {
    match shape {
        Str => "a string".into(),
        Bool => "true or false".into(),
        Shape::Enum(names) => format!("one of {}", listing(names)),
        Opt(inner) | Shape::Rule(inner) => expected(inner),
        List(_) => "a list".into(),
        Object(_) => "an object".into(),
    }
}

fn found(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn listing(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// Appends the field `key` to `path`: `.key`, or `["key"]` for an odd key.
fn push_field(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        let _ = write!(path, "[{}]", Value::from(key));
    }
}

/// `: did you mean `x`?` when a known name is close to `word`.
pub(crate) fn suggest(word: &str, names: &[&str]) -> String {
    closest(word, names)
        .map(|n| format!(": did you mean `{n}`?"))
        .unwrap_or_default()
}

/// The known name closest to `word`, when it is a likely misspelling.
fn closest<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    names
        .iter()
        .map(|n| (distance(&word, n), *n))
        .filter(|(d, n)| *d <= (n.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Edit distance counting a swap of neighbours as one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![(0..=b.len()).collect::<Vec<usize>>()];
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (rows[i - 1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(row);
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    /// Every variation of `value` one edit away, anywhere in it: a field
    /// removed, a value replaced by one of each JSON type, an object by the
    /// list of its values, an unknown field added.
    fn variations(value: &Value, out: &mut Vec<Value>) {
        let odd = [
            Value::Null,
            Value::Bool(true),
            Value::from(1),
            Value::from("zz"),
            Value::Array(vec![]),
            Value::Object(Map::new()),
        ];
        let mut with = |f: &dyn Fn(&mut Value)| {
            let mut v = value.clone();
            f(&mut v);
            out.push(v);
        };
        if let Value::Object(map) = value {
            with(&|v| v["zz"] = Value::Null);
            with(&|v| *v = Value::Array(map.values().cloned().collect()));
            for key in map.keys() {
                with(&|v| drop(v.as_object_mut().map(|m| m.remove(key))));
                for o in &odd {
                    with(&|v| v[key] = o.clone());
                }
            }
        }
        if let Value::Array(items) = value {
            for o in odd.iter().filter(|_| !items.is_empty()) {
                with(&|v| v[0] = o.clone());
            }
        }
        let children: Vec<(Value, Value)> = match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, c)| (k.clone().into(), c.clone()))
                .collect(),
            // The first items and the last: lists repeat their shapes.
            Value::Array(items) => (items.iter().enumerate())
                .filter(|&(i, _)| i < 2 || i + 1 == items.len())
                .map(|(i, c)| (i.into(), c.clone()))
                .collect(),
            _ => Vec::new(),
        };
        for (at, child) in children {
            let mut inner = Vec::new();
            variations(&child, &mut inner);
            for c in inner {
                let mut v = value.clone();
                match &at {
                    Value::String(k) => v[k.as_str()] = c,
                    _ => v[at.as_u64().unwrap_or(0) as usize] = c,
                }
                out.push(v);
            }
        }
    }

    #[test]
    fn what_reads_in_one_pass_the_walk_accepts_as_is() {
        let catalog = Catalog::builtin();
        let demo = include_str!("../../../../src/demo/team.json");
        let mut all = Vec::new();
        variations(&serde_json::from_str(demo).unwrap(), &mut all);
        assert!(all.len() > 800, "{} variations", all.len());
        let mut in_one_pass = 0;
        for (i, v) in all.iter().enumerate() {
            let pretty = (i % 5 == 0).then(|| serde_json::to_string_pretty(v).unwrap());
            for json in [Some(v.to_string()), pretty].into_iter().flatten() {
                let walked = read_snapshot_walked(&catalog, &json);
                if arrays_only_in_lists(&json, &SNAPSHOT) {
                    if let Ok(one_pass) = serde_json::from_str::<Snapshot>(&json) {
                        in_one_pass += 1;
                        assert_eq!(walked, Ok(one_pass), "{json}");
                    }
                }
                assert_eq!(read_snapshot(&catalog, &json), walked);
            }
        }
        // Both kinds occur: optional fields removed, and everything else.
        assert!(
            in_one_pass > 100 && in_one_pass < all.len(),
            "{in_one_pass}"
        );
    }

    #[test]
    fn arrays_are_found_where_only_a_list_may_be() {
        let ok = |json: &str| arrays_only_in_lists(json, &SNAPSHOT);
        assert!(ok(
            r#"{"directory": {"users": [], "groups": [{"members": ["a", "b"]}]}}"#
        ));
        assert!(ok(r#"{"resources":[{"id":"x [","name":"a \" : ["}]}"#));
        assert!(!ok(r#"{"directory": []}"#));
        assert!(!ok(r#"{"grants": [["g", "r", []]]}"#));
        assert!(!ok(r#"{"grants": [], "version": ["1"]}"#));
        assert!(!ok(r#"[]"#));
        assert!(
            !ok(r#"{"gr\u0061nts": []}"#),
            "an escaped name is not looked into"
        );
    }

    #[test]
    fn a_field_that_holds_a_list_holds_one_wherever_it_is() {
        fn names(shape: &Shape, out: &mut Vec<(&'static str, bool)>) {
            match shape {
                Opt(inner) | List(inner) | Shape::Rule(inner) => names(inner, out),
                Object(fields) => fields.iter().for_each(|f| {
                    out.push((f.name, is_list(&f.shape)));
                    names(&f.shape, out);
                }),
                _ => {}
            }
        }
        let mut all = Vec::new();
        names(&SNAPSHOT, &mut all);
        for (name, list) in &all {
            assert!(all.iter().all(|(n, l)| n != name || l == list), "{name}");
        }
    }

    #[test]
    fn misspellings_are_recognised() {
        let fields = ["principal", "resource", "permissions", "origin"];
        assert_eq!(closest("orign", &fields), Some("origin"));
        assert_eq!(closest("Permisions", &fields), Some("permissions"));
        assert_eq!(closest("table", &["tabel"]), Some("tabel"));
        assert_eq!(closest("colour", &fields), None);
        assert_eq!(closest("", &["id"]), None);
    }

    #[test]
    fn paths_name_odd_keys_in_brackets() {
        let field_path = |path: &str, key: &str| {
            let mut path = path.to_string();
            push_field(&mut path, key);
            path
        };
        assert_eq!(field_path("$", "grants"), "$.grants");
        assert_eq!(field_path("$.a", "x y"), "$.a[\"x y\"]");
        assert!(at_or_below("$.a[1].b", "$.a[1]"));
        assert!(at_or_below("$.a", "$.a"));
        assert!(!at_or_below("$.ab", "$.a"));
        assert!(at_or_below("$.a", "$"));
    }
}
