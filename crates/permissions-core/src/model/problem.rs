//! Problems found in input: a stable code, the JSON path of the offending
//! value and a readable message (lowercase, ids in backticks).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The stable codes of `../shared/spec/snapshot-format.md`, errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    MalformedJson,
    UnknownField,
    DuplicateId,
    UnknownKind,
    UnknownParent,
    WrongParentKind,
    Cycle,
    DuplicateService,
    UnknownPrincipal,
    UnknownResource,
    UnknownPermission,
    GrantToApiKey,
    UnknownApiKeyOwner,
    GroupMemberNotUser,
    NotADataModel,
    MalformedRule,
    NotAllowed,
    /// A host-supplied catalog that contradicts itself.
    InvalidCatalog,
    // warnings
    Ineffective,
    Redundant,
    SelfLockout,
    NoEffect,
    DataExposure,
    TooManyGroups,
    UnknownScope,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MalformedJson => "malformed-json",
            Code::UnknownField => "unknown-field",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownKind => "unknown-kind",
            Code::UnknownParent => "unknown-parent",
            Code::WrongParentKind => "wrong-parent-kind",
            Code::Cycle => "cycle",
            Code::DuplicateService => "duplicate-service",
            Code::UnknownPrincipal => "unknown-principal",
            Code::UnknownResource => "unknown-resource",
            Code::UnknownPermission => "unknown-permission",
            Code::GrantToApiKey => "grant-to-api-key",
            Code::UnknownApiKeyOwner => "unknown-api-key-owner",
            Code::GroupMemberNotUser => "group-member-not-user",
            Code::NotADataModel => "not-a-data-model",
            Code::MalformedRule => "malformed-rule",
            Code::NotAllowed => "not-allowed",
            Code::InvalidCatalog => "invalid-catalog",
            Code::Ineffective => "ineffective",
            Code::Redundant => "redundant",
            Code::SelfLockout => "self-lockout",
            Code::NoEffect => "no-effect",
            Code::DataExposure => "data-exposure",
            Code::TooManyGroups => "too-many-groups",
            Code::UnknownScope => "unknown-scope",
        }
    }

    /// Warnings inform; everything else stops a snapshot or change set.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Code::Ineffective
                | Code::Redundant
                | Code::SelfLockout
                | Code::NoEffect
                | Code::DataExposure
                | Code::TooManyGroups
                | Code::UnknownScope
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: code, JSON path (`$.grants[2].permissions[0]`), message, and
/// what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: Code,
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "About::is_empty")]
    pub about: About,
}

/// What a problem is about, by id and position, so that a UI names it and
/// points at its form field without reading the message or the path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct About {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A permission (flag) id of the resource's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// A data-permission entry: its index in its `entries`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// A rule of that entry: its index in the entry's `rules`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// The field at fault: a rule's `values` or `operator`, an unknown field's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl About {
    pub fn is_empty(&self) -> bool {
        *self == About::default()
    }
    pub fn principal(id: impl Into<String>) -> About {
        About::default().and_principal(id)
    }
    pub fn resource(id: impl Into<String>) -> About {
        About::default().and_resource(id)
    }
    pub fn field(name: impl Into<String>) -> About {
        About {
            field: Some(name.into()),
            ..About::default()
        }
    }
    /// Entry `entry` of a data-permission list, and its rule `rule` if given.
    pub fn entry(entry: usize, rule: Option<usize>) -> About {
        About {
            entry: Some(entry),
            rule,
            ..About::default()
        }
    }
    pub fn and_principal(mut self, id: impl Into<String>) -> About {
        self.principal = Some(id.into());
        self
    }
    pub fn and_resource(mut self, id: impl Into<String>) -> About {
        self.resource = Some(id.into());
        self
    }
    pub fn and_permission(mut self, id: impl Into<String>) -> About {
        self.permission = Some(id.into());
        self
    }
    pub fn and_field(mut self, name: impl Into<String>) -> About {
        self.field = Some(name.into());
        self
    }
}

impl Problem {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            path: path.into(),
            message: message.into(),
            about: About::default(),
        }
    }
    pub fn about(mut self, about: About) -> Self {
        self.about = about;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.path, self.message)
    }
}

/// Every problem of one input, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::new(code, path, message));
    }
    /// Adds a problem with what it is about.
    pub fn push_about(
        &mut self,
        code: Code,
        path: impl Into<String>,
        message: impl Into<String>,
        about: About,
    ) {
        self.0.push(Problem::new(code, path, message).about(about));
    }
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| !p.code.is_warning())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.code.is_warning())
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    pub fn codes(&self) -> Vec<Code> {
        self.0.iter().map(|p| p.code).collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Parses JSON into `T`, turning the first serde error into one [`Problem`]
/// that names the JSON path (serde stops at the first structural error).
pub fn parse_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Problems> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        let text = inner.to_string();
        let code = if text.starts_with("unknown field") {
            Code::UnknownField
        } else {
            Code::MalformedJson
        };
        Problems(vec![Problem::new(code, path, text)])
    })
}

fn json_path(serde_path: &str) -> String {
    if serde_path.is_empty() || serde_path == "." || serde_path == "?" {
        "$".to_string()
    } else if serde_path.starts_with('[') {
        format!("${serde_path}")
    } else {
        format!("$.{serde_path}")
    }
}
