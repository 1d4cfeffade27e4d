//! Explanations read as sentences and name the highest source.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::Team;

fn example() -> Team {
    let case: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/golden/space-edit-flows.json"))
            .expect("case");
    Team::from_json(&case["snapshot"].to_string()).expect("valid")
}

#[test]
fn why_names_the_group_the_grant_and_the_flow() {
    let e = example().explain("u-ana", "v-ovw", "edit").expect("ids");
    assert!(e.allowed);
    let s = &e.sentences[0];
    assert!(s.starts_with("On View Overview, Ana Lima can edit because group Finance holds Edit all packages on Space Sales"), "{s}");
    assert!(
        s.contains("which flows to Package Order to Cash as Edit package"),
        "{s}"
    );
}

#[test]
fn why_not_gives_one_reason_per_condition() {
    let t = example();
    let e = t.explain("u-ana", "v-ovw", "delete").expect("ids");
    assert!(!e.allowed);
    assert!(
        e.sentences[0].contains("cannot delete"),
        "{:?}",
        e.sentences
    );
    assert_eq!(e.sentences.len(), 1 + e.conditions.len());
    let flag = t.flag("oc-bi", "dp-sap", "manage").expect("ids");
    assert_eq!(flag.reason.map(|r| r.code()).as_deref(), Some("scope"));
    let e = t.explain("oc-bi", "dp-sap", "delete").expect("ids");
    assert!(
        e.sentences.iter().any(|s| s.contains("OAuth scopes")),
        "{:?}",
        e.sentences
    );
}

#[test]
fn who_can_and_what_can_agree() {
    let t = example();
    for r in t.snapshot.resources.iter().map(|r| r.id.clone()) {
        for cap in ["edit", "use-in-apps", "see", "use"] {
            let Ok(who) = t.who_can(&r, cap) else {
                continue;
            };
            for p in ["u-ana", "app-etl", "oc-bi", "k-ana"] {
                let what = t.what_can(p, cap).expect("id");
                assert_eq!(
                    who.iter().any(|x| x == p),
                    what.contains(&r),
                    "{p} {cap} {r}"
                );
            }
        }
    }
    assert!(t.who_can("v-ovw", "fly").is_err());
}

#[test]
fn a_flag_explains_where_it_comes_from_and_whether_it_works() {
    let t = example();
    let e = t.explain_flag("u-ana", "pk-o2c", "edit").expect("ids");
    assert!(e.flag.held && e.flag.inherited);
    assert_eq!(
        e.chain.len(),
        2,
        "grant on the space, then the flow: {:?}",
        e.chain
    );
    assert!(
        e.sentences[0].starts_with("Ana Lima holds Edit package on Package Order to Cash"),
        "{:?}",
        e.sentences
    );
    assert!(
        e.sentences.iter().any(|s| s.contains("locked here")),
        "{:?}",
        e.sentences
    );
    let e = t.explain_flag("oc-bi", "dp-sap", "manage").expect("ids");
    assert!(
        e.sentences
            .iter()
            .any(|s| s.contains("not effective") && s.contains("OAuth scopes")),
        "{:?}",
        e.sentences
    );
    let e = t.explain_flag("app-etl", "v-ovw", "use").expect("ids");
    assert!(
        !e.flag.held && e.sentences[0].contains("does not hold"),
        "{:?}",
        e.sentences
    );
    assert!(t.explain_flag("u-ana", "v-ovw", "fly").is_err());
}

#[test]
fn a_flag_names_what_it_lets_a_person_do() {
    use permissions_core::eval::words::flag_effects;
    let t = example();
    let at = |id: &str| t.resource_idx(id).expect("id");
    assert_eq!(flag_effects(&t, at("sp-sales"), "edit-space"), ["Rename"]);
    assert_eq!(
        flag_effects(&t, at("sp-sales"), "edit-all-packages"),
        ["Create packages", "Edit package on every Package in it"]
    );
    assert_eq!(
        flag_effects(&t, at("pk-o2c"), "use"),
        ["Use in apps", "Use on everything in it"]
    );
    let manage = flag_effects(&t, at("dp-sap"), "manage");
    for effect in ["View", "Edit", "Delete", "Manage permissions", "Push data"] {
        assert!(manage.iter().any(|e| e == effect), "{effect}: {manage:?}");
    }
    assert!(
        manage
            .iter()
            .any(|e| e.ends_with("on every Data Model in it")),
        "{manage:?}"
    );
    assert_eq!(
        flag_effects(&t, at("studio"), "delete-all-spaces"),
        ["Delete space on every Space in it (with Edit all spaces)"]
    );
    assert!(flag_effects(&t, at("studio"), "no-such-flag").is_empty());
}
