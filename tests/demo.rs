//! The embedded demo team is valid and shows what its README promises.
#![cfg(not(target_arch = "wasm32"))]

use permissions_widget::eval::{AccessKind, Team};

fn demo() -> Team {
    Team::from_json(include_str!("../src/demo/team.json"))
        .unwrap_or_else(|p| panic!("demo team is invalid:\n{p}"))
}

#[test]
fn demo_team_is_valid_and_sized_as_promised() {
    let t = demo();
    let d = &t.snapshot.directory;
    assert_eq!(d.users.len(), 40);
    assert_eq!(d.groups.len(), 8);
    assert_eq!(d.applications.len(), 2);
    assert_eq!(d.oauth_clients.len(), 3);
    let count = |k: &str| t.snapshot.resources.iter().filter(|r| r.kind == k).count();
    assert_eq!((count("data-pool"), count("data-model")), (3, 8));
    assert_eq!((count("space"), count("package")), (4, 12));
}

#[test]
fn named_users_behave_as_the_readme_says() {
    let t = demo();
    assert!(t.can("u-carla", "sp-sales", "manage-permissions").unwrap());
    assert!(permissions_widget::eval::change::may_manage(
        &t.view(),
        t.find_principal("u-carla").unwrap(),
        t.find_resource("pk-o2c").unwrap()
    )
    .is_ok());
    assert!(permissions_widget::eval::change::may_manage(
        &t.view(),
        t.find_principal("u-carla").unwrap(),
        t.find_resource("sp-fin").unwrap()
    )
    .is_err());
    assert!(!t.can("u-sam", "sp-ops", "see").unwrap());
    assert_eq!(
        t.data_access("u-sam", "dm-inv").unwrap().access,
        AccessKind::Filtered
    );
    assert_eq!(
        t.data_access("u-admin", "dm-o2c").unwrap().access,
        AccessKind::None
    );
    let reasons: Vec<String> = t
        .flag("u-jill", "pk-cases", "delete")
        .unwrap()
        .reason
        .map(|r| r.code())
        .into_iter()
        .collect();
    assert_eq!(reasons, ["requires:edit"]);
    let redundant = t.redundant_grants();
    assert!(redundant
        .iter()
        .any(|g| g.principal == "u-gus" && g.resource == "pk-o2c" && g.from == "sp-sales"));
}
