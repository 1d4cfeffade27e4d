//! The options a host passes to `mount` / `update`, read and checked: every
//! problem at once, each with a code, a JSON path (`$.actor`,
//! `$.snapshot.resources[2].kind`) and a readable message — the snapshot's
//! problems are the model's own validation.

use crate::eval::Team;
use crate::model::validate::PrincipalType;
use crate::ui::dialog::state::Tab;
use serde::Serialize;
use serde_json::{Map, Value};
use std::rc::Rc;

/// How the widget sits in the page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Part of the page: no backdrop, focus is not trapped.
    Inline,
    /// A modal dialog above the page while a resource is open.
    Modal,
}

/// Light, dark, or whatever the user's system prefers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Inline => "inline",
            Mode::Modal => "modal",
        }
    }
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// One problem of the options: `{code, path, message}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionProblem {
    pub code: String,
    pub path: String,
    pub message: String,
}

impl OptionProblem {
    pub fn new(code: &str, path: &str, message: impl Into<String>) -> OptionProblem {
        OptionProblem {
            code: code.into(),
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The problems as one readable sentence per problem.
pub fn problems_message(problems: &[OptionProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{} ({})", p.message, p.path))
        .collect();
    match lines.len() {
        0 => "the options are not valid".into(),
        1 => format!("invalid permissions widget options: {}", lines.join("")),
        n => format!(
            "invalid permissions widget options ({n} problems): {}",
            lines.join("; ")
        ),
    }
}

/// Where the team comes from.
#[derive(Clone)]
pub enum Source {
    /// A snapshot given by the host (held in memory; saves go to the host).
    Snapshot(Rc<Team>),
    /// The permission service's HTTP API at `url`, with a bearer token.
    Service { url: String, token: Option<String> },
}

/// Options that were read without problems.
#[derive(Clone)]
pub struct Options {
    pub source: Source,
    pub actor: String,
    pub resource: Option<String>,
    pub tab: Tab,
    pub mode: Mode,
    pub theme: Theme,
}

const KNOWN: [&str; 7] = [
    "snapshot", "backend", "actor", "resource", "tab", "mode", "theme",
];

fn string_at<'a>(
    o: &'a Map<String, Value>,
    key: &str,
    problems: &mut Vec<OptionProblem>,
) -> Option<&'a str> {
    match o.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            problems.push(OptionProblem::new(
                "invalid-option",
                &format!("$.{key}"),
                format!("`{key}` must be a string"),
            ));
            None
        }
    }
}

fn one_of<T: Copy>(
    o: &Map<String, Value>,
    key: &str,
    choices: &[(&str, T)],
    default: T,
    problems: &mut Vec<OptionProblem>,
) -> T {
    let Some(given) = string_at(o, key, problems) else {
        return default;
    };
    match choices.iter().find(|(name, _)| *name == given) {
        Some(&(_, v)) => v,
        None => {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("`{n}`")).collect();
            problems.push(OptionProblem::new(
                "invalid-option",
                &format!("$.{key}"),
                format!(
                    "`{key}` is `{given}`; it must be one of {}",
                    names.join(", ")
                ),
            ));
            default
        }
    }
}

/// The snapshot option: an object or its JSON text, validated by the model.
fn snapshot(v: &Value, problems: &mut Vec<OptionProblem>) -> Option<Rc<Team>> {
    let json = match v {
        Value::String(s) => s.clone(),
        Value::Object(_) => v.to_string(),
        _ => {
            problems.push(OptionProblem::new(
                "invalid-option",
                "$.snapshot",
                "`snapshot` must be a snapshot object or its JSON text",
            ));
            return None;
        }
    };
    match Team::from_json(&json) {
        Ok(team) => Some(Rc::new(team)),
        Err(found) => {
            problems.extend(found.errors().map(|p| OptionProblem {
                code: p.code.as_str().into(),
                path: format!("$.snapshot{}", p.path.trim_start_matches('$')),
                message: format!("the snapshot is not valid: {}", p.message),
            }));
            None
        }
    }
}

fn service(v: &Value, problems: &mut Vec<OptionProblem>) -> Option<Source> {
    let Value::Object(b) = v else {
        problems.push(OptionProblem::new(
            "invalid-option",
            "$.backend",
            "`backend` must be an object: `{url, token}`",
        ));
        return None;
    };
    let url = match b.get("url") {
        Some(Value::String(u)) if !u.trim().is_empty() => Some(u.clone()),
        _ => {
            problems.push(OptionProblem::new(
                "missing-option",
                "$.backend.url",
                "`backend.url` must be the permission service's API base URL (e.g. `/api/v1`)",
            ));
            None
        }
    };
    let token = match b.get("token") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => {
            problems.push(OptionProblem::new(
                "invalid-option",
                "$.backend.token",
                "`backend.token` must be a string",
            ));
            None
        }
    };
    url.map(|url| Source::Service { url, token })
}

/// Reads the options; `previous` keeps an already-built team when the
/// snapshot did not change.
pub fn parse(
    v: &Value,
    previous: Option<(&Value, &Source)>,
) -> Result<Options, Vec<OptionProblem>> {
    let mut problems = Vec::new();
    let Value::Object(o) = v else {
        return Err(vec![OptionProblem::new(
            "invalid-options",
            "$",
            "the options must be an object such as `{snapshot, actor, resource}`",
        )]);
    };
    for key in o.keys().filter(|k| !KNOWN.contains(&k.as_str())) {
        problems.push(OptionProblem::new(
            "unknown-option",
            &format!("$.{key}"),
            format!("`{key}` is not an option (known: {})", KNOWN.join(", ")),
        ));
    }
    let given = |k: &str| o.get(k).is_some_and(|v| !v.is_null());
    let source = match (given("snapshot"), given("backend")) {
        (true, true) => {
            problems.push(OptionProblem::new(
                "conflicting-options",
                "$",
                "give either `snapshot` or `backend`, not both",
            ));
            None
        }
        (false, false) => {
            problems.push(OptionProblem::new(
                "missing-option",
                "$.snapshot",
                "give the team: `snapshot` (an object or JSON text) or `backend` (`{url, token}`)",
            ));
            None
        }
        (true, false) => {
            let raw = o.get("snapshot").unwrap_or(&Value::Null);
            match previous {
                Some((old, Source::Snapshot(team))) if old.get("snapshot") == Some(raw) => {
                    Some(Source::Snapshot(team.clone()))
                }
                _ => snapshot(raw, &mut problems).map(Source::Snapshot),
            }
        }
        (false, true) => service(o.get("backend").unwrap_or(&Value::Null), &mut problems),
    };
    let actor = string_at(o, "actor", &mut problems).map(str::to_string);
    if !given("actor") {
        problems.push(OptionProblem::new(
            "missing-option",
            "$.actor",
            "`actor` must name the acting user (a principal id)",
        ));
    }
    let resource = string_at(o, "resource", &mut problems).map(str::to_string);
    let tab = one_of(
        o,
        "tab",
        &[
            ("permissions", Tab::Permissions),
            ("data", Tab::Data),
            ("check", Tab::Check),
        ],
        Tab::Permissions,
        &mut problems,
    );
    let mode = one_of(
        o,
        "mode",
        &[("inline", Mode::Inline), ("modal", Mode::Modal)],
        Mode::Inline,
        &mut problems,
    );
    let theme = one_of(
        o,
        "theme",
        &[
            ("auto", Theme::Auto),
            ("light", Theme::Light),
            ("dark", Theme::Dark),
        ],
        Theme::Auto,
        &mut problems,
    );
    match (source, actor) {
        (Some(source), Some(actor)) if problems.is_empty() => Ok(Options {
            source,
            actor,
            resource,
            tab,
            mode,
            theme,
        }),
        _ => Err(problems),
    }
}

/// What the options name in the team: the acting user and the resource
/// (a Data tab on a resource without one opens on Permissions).
pub fn check_against(o: &Options, team: &Team) -> Vec<OptionProblem> {
    let mut problems = Vec::new();
    match team.principal_idx(&o.actor) {
        None => problems.push(OptionProblem::new(
            "unknown-principal",
            "$.actor",
            format!("the actor `{}` is not a principal of the team", o.actor),
        )),
        Some(p) if team.principal(p).ptype != PrincipalType::User => {
            problems.push(OptionProblem::new(
                "invalid-option",
                "$.actor",
                format!("the actor `{}` is not a user", o.actor),
            ))
        }
        Some(_) => {}
    }
    if let Some(r) = &o.resource {
        if team.resource_idx(r).is_none() {
            problems.push(OptionProblem::new(
                "unknown-resource",
                "$.resource",
                format!("the resource `{r}` is not in the team"),
            ));
        }
    }
    problems
}
