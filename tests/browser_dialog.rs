//! Component tests of the permissions dialog, the resource tree and the app
//! shell in headless Chromium: each test mounts into a fresh element over the
//! demo team (`src/demo/team.json`, facts in its README) or a generated one,
//! clicks and types through real DOM events, and asserts on the DOM.
#![cfg(target_arch = "wasm32")]

use permissions_widget::backend::browser::{from_stored, ACTOR_KEY, STORAGE_KEY};
use permissions_widget::backend::memory::MemoryBackend;
use permissions_widget::backend::{
    ready_now, Backend, BackendHandle, BoxFuture, Loaded, SaveOutcome, SaveRequest,
};
use permissions_widget::eval::Team;
use permissions_widget::ui::dialog::grid::{FIRST_FRAME_ROWS, PAGE_SIZE};
use permissions_widget::ui::dialog::later::SLICE_MS;
use permissions_widget::ui::dialog::state::{
    now_ms, ClassClock, Tab, DEFER_IMPACT_FROM, QUICK_EVALUATION_MS,
};
use permissions_widget::ui::dialog::{DialogProps, PermissionsDialog, Saved};
use permissions_widget::ui::hooks::after_paint;
use permissions_widget::ui::App;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::{all, demo_team, fresh_root, q, q1, text};

fn click(el: &Element) {
    el.clone()
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// `new <ctor>(kind, {bubbles: true, cancelable: true, ...extra})`.
fn event(ctor: &str, kind: &str, extra: &[(&str, &str)]) -> web_sys::Event {
    let window = gloo::utils::window();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &JsValue::from_str(ctor))
        .expect("the constructor exists")
        .unchecked_into();
    let init = js_sys::Object::new();
    for (k, v) in [("bubbles", JsValue::TRUE), ("cancelable", JsValue::TRUE)]
        .into_iter()
        .chain(extra.iter().map(|(k, v)| (*k, JsValue::from_str(v))))
    {
        js_sys::Reflect::set(&init, &JsValue::from_str(k), &v).expect("set a field");
    }
    let args = js_sys::Array::of2(&JsValue::from_str(kind), &init);
    js_sys::Reflect::construct(&ctor, &args)
        .expect("construct the event")
        .unchecked_into()
}

/// Dispatches `keydown` with this key on the element (bubbling, cancelable).
fn key(el: &Element, key: &str) {
    let e = event("KeyboardEvent", "keydown", &[("key", key)]);
    el.dispatch_event(&e).expect("dispatch");
}

/// What the dialog handed back on Save, if anything.
type SavedSlot = Rc<RefCell<Option<Saved>>>;

#[derive(Properties, PartialEq)]
struct HarnessProps {
    backend: BackendHandle,
    dialog: DialogProps,
}

/// The dialog with a backend in its context, as the app provides it.
#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    html! {
        <ContextProvider<BackendHandle> context={props.backend.clone()}>
            <PermissionsDialog ..props.dialog.clone() />
        </ContextProvider<BackendHandle>>
    }
}

/// Mounts the dialog of `resource` as `actor` over a backend holding `team`
/// in memory, and lets it render.
async fn mount_dialog(
    root_id: &str,
    team: Rc<Team>,
    resource: &str,
    actor: &str,
) -> (Element, SavedSlot) {
    let backend = Rc::new(MemoryBackend::new("Demo", (*team).clone()));
    mount_dialog_on(root_id, team, resource, actor, backend).await
}

async fn mount_dialog_on(
    root_id: &str,
    team: Rc<Team>,
    resource: &str,
    actor: &str,
    backend: Rc<dyn Backend>,
) -> (Element, SavedSlot) {
    clear_drafts();
    remount_dialog(root_id, team, resource, actor, backend).await
}

/// Each test starts without the drafts earlier tests left in this tab.
fn clear_drafts() {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .expect("session storage")
        .clear()
        .expect("cleared");
}

/// Mounts the dialog as a new page would, keeping this tab's drafts.
async fn remount_dialog(
    root_id: &str,
    team: Rc<Team>,
    resource: &str,
    actor: &str,
    backend: Rc<dyn Backend>,
) -> (Element, SavedSlot) {
    let saved: SavedSlot = Rc::new(RefCell::new(None));
    let dialog = dialog_props(team, resource, actor, &saved);
    (mount_props(root_id, dialog, backend).await, saved)
}

/// The dialog's props as the app gives them; what it saves goes to `saved`.
fn dialog_props(team: Rc<Team>, resource: &str, actor: &str, saved: &SavedSlot) -> DialogProps {
    let slot = saved.clone();
    DialogProps {
        resource: team.resource_idx(resource).expect("the resource exists"),
        actor: team.principal_idx(actor).expect("the actor exists"),
        team,
        tab: Tab::Permissions,
        on_tab: Callback::noop(),
        on_close: Callback::noop(),
        on_save: Callback::from(move |s: Saved| *slot.borrow_mut() = Some(s)),
        return_focus: None,
        inline: false,
        keep_draft: true,
        on_change: Callback::noop(),
        quick_evaluation_ms: QUICK_EVALUATION_MS,
        slice_ms: SLICE_MS,
    }
}

async fn mount_props(root_id: &str, dialog: DialogProps, backend: Rc<dyn Backend>) -> Element {
    let root = mount_first_frame(root_id, dialog, backend).await;
    // The grid's first frame mounts FIRST_FRAME_ROWS; the rest of its page after it.
    after_paint().await;
    yew::scheduler::flush().await;
    root
}

/// The dialog rendered, before its first frame is painted.
async fn mount_first_frame(
    root_id: &str,
    dialog: DialogProps,
    backend: Rc<dyn Backend>,
) -> Element {
    let root = fresh_root(root_id);
    let props = HarnessProps {
        backend: BackendHandle(backend),
        dialog,
    };
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// The Big space dialog of `team` as `boss`, with no draft left from an
/// earlier test, where an evaluation counts as quick under
/// `quick_evaluation_ms` (0: never, so every edit's preview is deferred;
/// infinity: always, so the edit's own task shows it). What it saves goes
/// to the slot returned.
async fn mount_timed(root_id: &str, team: Team, quick_evaluation_ms: f64) -> (Element, SavedSlot) {
    mount_sliced(root_id, team, quick_evaluation_ms, SLICE_MS).await
}

/// [`mount_timed`], each deferred evaluation's slices `slice_ms` long (0:
/// one class of principals per slice).
async fn mount_sliced(
    root_id: &str,
    team: Team,
    quick_evaluation_ms: f64,
    slice_ms: f64,
) -> (Element, SavedSlot) {
    let backend = Rc::new(MemoryBackend::new("Demo", team.clone()));
    let saved: SavedSlot = Rc::new(RefCell::new(None));
    clear_drafts();
    let dialog = DialogProps {
        quick_evaluation_ms,
        slice_ms,
        ..dialog_props(Rc::new(team), "sp", "boss", &saved)
    };
    (mount_props(root_id, dialog, backend).await, saved)
}

fn pending_count(root: &Element) -> String {
    q1(root, "#pending-count")
        .get_attribute("data-count")
        .unwrap_or_default()
}

fn cell_box(root: &Element, principal: &str, flag: &str) -> Element {
    q1(
        root,
        &format!("[data-testid=\"cell-{principal}-{flag}\"] [role=checkbox]"),
    )
}

fn cell_state(root: &Element, principal: &str, flag: &str) -> String {
    q1(root, &format!("[data-testid=\"cell-{principal}-{flag}\"]"))
        .get_attribute("data-state")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn each_dialog_kind_renders_from_a_snapshot() {
    let team = demo_team();
    // One resource of each kind: two services, pool, model, space, package, asset.
    for (i, id) in [
        "di",
        "dp-sap",
        "dm-o2c",
        "studio",
        "sp-sales",
        "pk-o2c",
        "v-o2c-overview",
    ]
    .into_iter()
    .enumerate()
    {
        let (root, _) = mount_dialog(&format!("kinds-{i}"), team.clone(), id, "u-admin").await;
        let r = team.resource_idx(id).expect("exists");
        let kind = team.kind_of(r);
        let dialog = q1(&root, "#permissions-dialog");
        assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
        assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
        let title_id = dialog.get_attribute("aria-labelledby").expect("labelled");
        let title = text(&q1(&root, &format!("#{title_id}")));
        assert!(
            title.contains(&team.resource(r).name),
            "{id}: the title names the resource: {title}"
        );
        let grid = q1(&root, "[role=grid]#perm-grid");
        let perm_headers = all(&grid, "thead th.col-perm");
        assert_eq!(
            perm_headers.len(),
            kind.perms.len(),
            "{id}: one column per permission"
        );
        for (th, perm) in perm_headers.iter().zip(&kind.perms) {
            assert!(
                text(th).contains(&perm.label),
                "{id}: column {}",
                perm.label
            );
            assert!(text(th).contains(perm.tier.label()), "{id}: tier shown");
        }
        assert!(!all(&grid, "tbody [role=row]").is_empty(), "{id}: has rows");
        assert!(q(&root, "#tab-check").is_some(), "{id}: check access tab");
        assert_eq!(
            q(&root, "#tab-data").is_some(),
            kind.id == "data-model",
            "{id}: data permissions tab only on data models"
        );
        assert_eq!(pending_count(&root), "0");
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn toggling_a_cell_updates_the_pending_count_and_the_preview() {
    let (root, saved) = mount_dialog("toggle", demo_team(), "sp-sales", "u-admin").await;
    assert_eq!(pending_count(&root), "0");
    assert!(text(&q1(&root, "#preview-summary")).contains("No pending changes"));
    let save = q1(&root, "#dialog-save");
    assert!(save.has_attribute("disabled"), "nothing to save yet");

    // Grant Edit all packages to Sales Ops' neighbour group Executives.
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1");
    assert_eq!(
        cell_state(&root, "g-exec", "edit-all-packages"),
        "pending-add"
    );
    let summary = text(&q1(&root, "#preview-summary"));
    assert!(
        summary.contains("gain"),
        "the summary says who gains what: {summary}"
    );
    assert!(
        q(&root, "[data-testid=\"preview-group-g-exec\"]").is_some(),
        "the changed group is listed, expandable to its users"
    );
    // Executives is a member-role group: the evaluator warns it is ineffective for the group.
    assert!(q(&root, "#preview-warnings [data-code=ineffective]").is_some());
    assert!(!q1(&root, "#dialog-save").has_attribute("disabled"));

    // Toggling back nets out; Undo restores it; Reset clears it.
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "0");
    click(&q1(&root, "#dialog-undo"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1");
    click(&q1(&root, "#dialog-reset"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "0");
    click(&q1(&root, "#dialog-undo"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1");

    // With pending changes, leaving the page warns and Escape asks before discarding.
    let unload = event("Event", "beforeunload", &[]);
    gloo::utils::window()
        .dispatch_event(&unload)
        .expect("dispatch");
    assert!(unload.default_prevented(), "beforeunload is cancelled");
    key(&q1(&root, "#permissions-dialog"), "Escape");
    yew::scheduler::flush().await;
    let doc = gloo::utils::document().document_element().expect("html");
    let confirm = q1(&doc, "#confirm-discard");
    assert_eq!(
        confirm.get_attribute("role").as_deref(),
        Some("alertdialog")
    );
    click(&q1(&doc, "#confirm-discard-cancel"));
    yew::scheduler::flush().await;
    assert!(q(&doc, "#confirm-discard").is_none());
    assert_eq!(pending_count(&root), "1", "keep editing keeps the changes");

    // Removing a direct grant shows as pending remove; Save hands back the next team.
    click(&cell_box(&root, "u-carla", "create-package"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "2");
    assert_eq!(
        cell_state(&root, "u-carla", "create-package"),
        "pending-remove"
    );
    press_save(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert!(saved.message.contains("2 changes"), "{}", saved.message);
    assert!(saved
        .team
        .can("u-hel", "pk-o2c", "edit")
        .expect("valid query"));
    assert!(
        !saved
            .team
            .flag("u-carla", "sp-sales", "create-package")
            .expect("valid")
            .held
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn keyboard_space_toggles_and_arrows_move_in_the_grid() {
    let (root, _) = mount_dialog("keys", demo_team(), "sp-sales", "u-admin").await;
    let grid = q1(&root, "#perm-grid");
    // Exactly one tab stop in the grid.
    let stops: Vec<Element> = all(&grid, "[tabindex=\"0\"]");
    assert_eq!(stops.len(), 1, "one roving tab stop");
    let first = cell_box(&root, "g-exec", "use-all-packages");
    first
        .clone()
        .dyn_into::<HtmlElement>()
        .expect("html")
        .focus()
        .expect("focus");
    yew::scheduler::flush().await;
    key(&first, "ArrowRight");
    yew::scheduler::flush().await;
    let active = gloo::utils::document().active_element().expect("focus");
    assert_eq!(
        active.get_attribute("aria-label").as_deref(),
        Some("Edit Space for Executives"),
        "ArrowRight moves to the next permission"
    );
    key(&active, " ");
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1", "Space toggles the focused cell");
    assert_eq!(cell_state(&root, "g-exec", "edit-space"), "pending-add");
    root.remove();
}

#[wasm_bindgen_test]
async fn inherited_cells_are_locked() {
    let (root, _) = mount_dialog("locked", demo_team(), "pk-o2c", "u-admin").await;
    // Sales Ops holds Edit all packages on Space Sales: Edit flows down to the package.
    assert_eq!(cell_state(&root, "g-salesops", "edit"), "inherited");
    let b = cell_box(&root, "g-salesops", "edit");
    assert_eq!(b.get_attribute("aria-checked").as_deref(), Some("true"));
    assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("true"));
    // Its title is its accessible description (its name is its aria-label).
    let desc = b.get_attribute("title").expect("described");
    assert!(
        desc.contains("Space Sales"),
        "the description names where it comes from: {desc}"
    );
    // Clicking a locked cell changes nothing and explains why.
    click(&b);
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "0");
    let why = q(
        &gloo::utils::document().document_element().expect("html"),
        "#why-dialog",
    )
    .expect("the Why? dialog opens");
    assert!(text(&why).contains("Space Sales"), "{}", text(&why));
    click(&q1(&why, "#why-close"));
    yew::scheduler::flush().await;
    // A redundant direct grant (Gus: Edit, also flowing from the space) is shown as such.
    assert!(q1(&root, "[data-testid=\"cell-u-gus-edit\"]")
        .class_list()
        .contains("is-redundant"));
    root.remove();
}

#[wasm_bindgen_test]
async fn read_only_for_a_non_manager() {
    let team = demo_team();
    let (root, _) = mount_dialog("readonly", team.clone(), "sp-ops", "u-sam").await;
    let banner = q1(&root, "#read-only-banner");
    assert!(
        text(&banner).contains("may not manage permissions"),
        "{}",
        text(&banner)
    );
    assert!(
        q1(&root, "#dialog-save").has_attribute("disabled"),
        "Save is disabled when read-only"
    );
    assert!(
        q(&root, "[data-testid=add-principal]").is_none(),
        "no picker"
    );
    let b = cell_box(&root, "g-log", "edit-space");
    assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("true"));
    click(&b);
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "0");
    root.remove();

    // Carla manages Sales (creator) and, by the evaluator's rule, what is in it;
    // not the Finance space; services are admins only.
    for id in ["sp-sales", "pk-o2c"] {
        let (root, _) = mount_dialog(&format!("carla-{id}"), team.clone(), id, "u-carla").await;
        assert!(
            q(&root, "#read-only-banner").is_none(),
            "{id} is editable for Carla"
        );
        root.remove();
    }
    for id in ["sp-fin", "pk-ap", "studio"] {
        let (root, _) = mount_dialog(&format!("carla-{id}"), team.clone(), id, "u-carla").await;
        assert!(
            q(&root, "#read-only-banner").is_some(),
            "{id} is read-only for Carla"
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn groups_expand_to_members_with_a_tri_state() {
    let (root, _) = mount_dialog("groups", demo_team(), "sp-sales", "u-admin").await;
    // Sales Ops does not hold Edit Space; Carla (a member, creator of the space) does.
    let mixed = cell_box(&root, "g-salesops", "edit-space");
    assert_eq!(
        mixed.get_attribute("aria-checked").as_deref(),
        Some("mixed")
    );
    let toggle = q1(&root, "[data-testid=\"expand-g-salesops\"]");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    click(&toggle);
    yew::scheduler::flush().await;
    let members = all(&root, "tr.member-row");
    assert_eq!(members.len(), 6, "Sales Ops has six members");
    assert!(q(&root, "[data-testid=\"member-row-u-carla\"]").is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn data_model_dialog_has_usage_and_data_tabs() {
    let (root, _) = mount_dialog("model", demo_team(), "dm-o2c", "u-admin").await;
    assert_eq!(
        text(&q1(&root, "#tab-permissions")).trim(),
        "Usage permissions"
    );
    click(&q1(&root, "#tab-data"));
    yew::scheduler::flush().await;
    let panel = q1(&root, "#panel-data");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("tabpanel"));
    assert!(
        q(&panel, ".dpe").is_some(),
        "the data permissions editor is shown"
    );
    assert!(q(&panel, "#preview").is_some(), "with the preview");
    click(&q1(&root, "#tab-check"));
    yew::scheduler::flush().await;
    assert!(
        q(&root, "#panel-check .ca").is_some(),
        "check access is shown"
    );
    root.remove();
}

/// A team of `n` analysts, all in one group granted on a space, `direct` of
/// them also granted directly: the dialog must page its rows.
fn large_team(n: usize, direct: usize) -> String {
    let users: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"u{i}","name":"User {i:05}","role":"analyst"}}"#))
        .collect();
    let members: Vec<String> = (0..n).map(|i| format!("\"u{i}\"")).collect();
    let mut grants = vec![
        r#"{"principal":"g-all","resource":"sp","permissions":["use-all-packages"]}"#.to_string(),
    ];
    grants.extend((0..direct).map(|i| {
        format!(r#"{{"principal":"u{i}","resource":"sp","permissions":["edit-space"]}}"#)
    }));
    format!(
        r#"{{"directory":{{"users":[{{"id":"boss","name":"Boss","role":"admin"}},{}],
            "groups":[{{"id":"g-all","name":"Everyone","role":"member","members":[{}]}}]}},
          "resources":[{{"id":"studio","kind":"studio","name":"Studio"}},
                       {{"id":"sp","kind":"space","parent":"studio","name":"Big"}}],
          "grants":[{}]}}"#,
        users.join(","),
        members.join(","),
        grants.join(",")
    )
}

#[wasm_bindgen_test]
async fn a_team_of_ten_thousand_users_is_paged() {
    let team = Rc::new(Team::from_json(&large_team(10_000, 1_200)).expect("valid"));
    // The dialog's first frame mounts the rows a window shows, then the rest of the page.
    clear_drafts();
    let backend = Rc::new(MemoryBackend::new("Demo", (*team).clone()));
    let dialog = dialog_props(team, "sp", "boss", &Rc::new(RefCell::new(None)));
    let root = mount_first_frame("large", dialog, backend).await;
    assert_eq!(all(&root, "#perm-grid tbody tr").len(), FIRST_FRAME_ROWS);
    after_paint().await;
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "#perm-grid tbody tr").len(), PAGE_SIZE);
    let grid = q1(&root, "#perm-grid");
    assert_eq!(
        grid.get_attribute("aria-rowcount").as_deref(),
        Some("1202"),
        "the grid announces every row (1,200 users, 1 group, 1 header)"
    );
    // Expanding the group of 10,000 still mounts one page.
    click(&q1(&root, "[data-testid=\"expand-g-all\"]"));
    yew::scheduler::flush().await;
    assert!(all(&root, "#perm-grid tbody tr").len() <= PAGE_SIZE);
    assert_eq!(
        text(&q1(&root, "#grid-pager-status")).trim(),
        format!("Rows 1–{PAGE_SIZE} of 11,201")
    );
    click(&q1(&root, "#grid-next"));
    yew::scheduler::flush().await;
    let second = format!("Rows {}–{}", PAGE_SIZE + 1, 2 * PAGE_SIZE);
    assert!(text(&q1(&root, "#grid-pager-status")).starts_with(&second));
    root.remove();
}

/// Whether the preview is still computing the impact of the last edit.
fn preview_busy(root: &Element) -> bool {
    q1(root, "#preview").get_attribute("aria-busy").as_deref() == Some("true")
}

#[wasm_bindgen_test]
async fn on_a_large_team_the_grid_shows_an_edit_at_once_and_the_preview_follows() {
    let team = Team::from_json(&large_team(2_000, 30)).expect("valid");
    assert!(team.principals.len() >= DEFER_IMPACT_FROM);
    // As if every evaluation were slow: each edit's preview is deferred.
    let (root, saved) = mount_timed("deferred", team, 0.0).await;
    assert!(!preview_busy(&root));

    // Two quick edits: the grid shows each at once; the preview is behind.
    click(&cell_box(&root, "u0", "edit-space"));
    yew::scheduler::flush().await;
    assert_eq!(cell_state(&root, "u0", "edit-space"), "pending-remove");
    assert_eq!(pending_count(&root), "1");
    assert!(
        preview_busy(&root),
        "the preview catches up after the grid is painted"
    );
    assert!(text(&q1(&root, "#preview-summary")).contains("No pending changes"));
    click(&cell_box(&root, "u1", "edit-space"));
    yew::scheduler::flush().await;
    assert_eq!(cell_state(&root, "u1", "edit-space"), "pending-remove");
    assert_eq!(pending_count(&root), "2");

    // A frame later the preview shows both edits, the first one's evaluation dropped.
    sleep(200).await;
    yew::scheduler::flush().await;
    assert!(!preview_busy(&root));
    let summary = text(&q1(&root, "#preview-summary"));
    assert!(summary.starts_with("2 users lose"), "{summary}");
    assert!(q(&root, "[data-testid=\"preview-row-u0\"]").is_some());
    assert!(q(&root, "[data-testid=\"preview-row-u1\"]").is_some());

    // Undo is deferred alike. Save right after it, before the preview has
    // caught up, waits for the preview (its evaluation is not redone in the
    // click's task), then saves the pending set.
    click(&q1(&root, "#dialog-undo"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1");
    assert!(preview_busy(&root));
    click(&q1(&root, "#dialog-save"));
    yew::scheduler::flush().await;
    assert!(saved.borrow().is_none(), "not before the preview");
    assert_eq!(
        text(&q1(&root, "#save-status")),
        "Saving once the preview is up to date…"
    );
    let save = q1(&root, "#dialog-save");
    assert_eq!(save.get_attribute("aria-busy").as_deref(), Some("true"));
    caught_up_preview(&root).await;
    save_settled(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert!(saved.message.contains("1 change"), "{}", saved.message);
    assert!(
        !saved
            .team
            .flag("u0", "sp", "edit-space")
            .expect("valid")
            .held
    );
    assert!(
        saved
            .team
            .flag("u1", "sp", "edit-space")
            .expect("valid")
            .held
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn an_edit_made_while_save_waits_for_the_preview_calls_the_save_off() {
    let team = Team::from_json(&large_team(2_000, 30)).expect("valid");
    let (root, saved) = mount_timed("save-waits", team, 0.0).await;
    click(&cell_box(&root, "u0", "edit-space"));
    yew::scheduler::flush().await;
    click(&q1(&root, "#dialog-save"));
    yew::scheduler::flush().await;
    assert!(q(&root, "#save-status").is_some());
    // Save approved what was previewed; the next edit was not.
    click(&cell_box(&root, "u1", "edit-space"));
    yew::scheduler::flush().await;
    assert!(q(&root, "#save-status").is_none());
    caught_up_preview(&root).await;
    sleep(50).await;
    yew::scheduler::flush().await;
    assert!(saved.borrow().is_none(), "nothing saved without Save");
    assert!(!q1(&root, "#dialog-save").has_attribute("aria-busy"));

    // Once the preview is up to date, Save saves at once.
    press_save(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert!(saved.message.contains("2 changes"), "{}", saved.message);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_saved_message_names_the_resource_once() {
    let team = demo_team();
    for (id, said) in [("studio", "to Studio."), ("sp-sales", "to Space Sales.")] {
        let (root, saved) = mount_dialog(&format!("said-{id}"), team.clone(), id, "u-admin").await;
        click(&q1(
            &root,
            "[data-testid^=\"cell-\"] [role=checkbox]:not([aria-disabled=\"true\"])",
        ));
        yew::scheduler::flush().await;
        press_save(&root).await;
        let message = saved.borrow().clone().expect("saved").message;
        assert!(message.ends_with(said), "{message}");
        root.remove();
    }
}

/// What the preview says once it has caught up: its summary, then each row.
async fn caught_up_preview(root: &Element) -> String {
    for _ in 0..100 {
        if !preview_busy(root) {
            break;
        }
        sleep(20).await;
        yew::scheduler::flush().await;
    }
    assert!(!preview_busy(root), "the preview caught up");
    let rows: Vec<String> = all(root, "#preview-table tbody tr")
        .iter()
        .map(text)
        .collect();
    format!(
        "{}\n{}",
        text(&q1(root, "#preview-summary")),
        rows.join("\n")
    )
}

#[wasm_bindgen_test]
fn a_slice_starts_another_class_only_if_one_as_long_as_the_longest_fits() {
    let mut clock = ClassClock::start(5.0);
    assert!(
        !clock.another_by(now_ms() + 4.0),
        "a class as long as the longest (5 ms) does not fit in 4 ms"
    );
    assert!(clock.another_by(now_ms() + 100.0));
    assert!(clock.longest >= 5.0);
}

#[wasm_bindgen_test]
async fn a_slow_impact_is_computed_in_slices_and_shows_what_one_task_would() {
    let json = large_team(2_000, 30);
    // The group given what 30 of its members hold directly: the others gain
    // it; the 30 are classes of their own: 31 slices of one class each.
    let grant = |root: &Element| click(&cell_box(root, "g-all", "edit-space"));
    let team = Team::from_json(&json).expect("valid");
    let (sliced, _) = mount_sliced("sliced", team, 0.0, 0.0).await;
    grant(&sliced);
    yew::scheduler::flush().await;
    assert!(preview_busy(&sliced));
    let in_slices = caught_up_preview(&sliced).await;
    let slices = q1(&sliced, "#preview").get_attribute("data-evaluation-slices");
    assert_eq!(slices.as_deref(), Some("31"));

    let team = Team::from_json(&json).expect("valid");
    let (at_once, _) = mount_timed("at-once", team, f64::INFINITY).await;
    grant(&at_once);
    yew::scheduler::flush().await;
    assert!(!preview_busy(&at_once));
    let slices = q1(&at_once, "#preview").get_attribute("data-evaluation-slices");
    assert_eq!(slices.as_deref(), Some("0"));
    assert_eq!(in_slices, caught_up_preview(&at_once).await);
    assert!(in_slices.starts_with("1,970 users gain"), "{in_slices}");
    sliced.remove();
    at_once.remove();
}

#[wasm_bindgen_test]
async fn on_a_large_team_a_quick_evaluation_shows_the_preview_with_the_grid() {
    let team = Team::from_json(&large_team(2_000, 30)).expect("valid");
    // As if every evaluation were quick: no edit's preview is deferred.
    let (root, _) = mount_timed("quick", team, f64::INFINITY).await;
    for (n, user) in ["u0", "u1"].into_iter().enumerate() {
        click(&cell_box(&root, user, "edit-space"));
        yew::scheduler::flush().await;
        assert_eq!(cell_state(&root, user, "edit-space"), "pending-remove");
        assert!(!preview_busy(&root), "the preview shows edit {n} at once");
        assert!(q(&root, &format!("[data-testid=\"preview-row-{user}\"]")).is_some());
    }
    let summary = text(&q1(&root, "#preview-summary"));
    assert!(summary.starts_with("2 users lose"), "{summary}");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_preview_of_a_change_to_thousands_mounts_one_page() {
    let team = Team::from_json(&large_team(2_000, 0)).expect("valid");
    let (root, _) = mount_timed("preview-pages", team, f64::INFINITY).await;
    click(&cell_box(&root, "g-all", "edit-space"));
    yew::scheduler::flush().await;
    let group = q1(&root, "[data-testid=\"preview-group-g-all\"]");
    assert!(
        text(&group).contains("2,000 members affected"),
        "{}",
        text(&group)
    );
    assert!(
        q(&root, "#preview-pager-status").is_none(),
        "one line: no pager"
    );

    click(&q1(&group, "button[aria-expanded]"));
    yew::scheduler::flush().await;
    let lines = || all(&root, "#preview-table > tbody > tr").len();
    assert_eq!(lines(), 25, "the group and a page of its members");
    assert_eq!(
        text(&q1(&root, "#preview-pager-status")).trim(),
        "Rows 1–25 of 2,001"
    );
    click(&q1(&root, "#preview-next"));
    yew::scheduler::flush().await;
    assert_eq!(lines(), 25);
    assert_eq!(
        text(&q1(&root, "#preview-pager-status")).trim(),
        "Rows 26–50 of 2,001"
    );
    root.remove();
}

/// A team whose user `u` uses a space of `packages` packages (a row of the
/// space's grid).
fn space_of_packages(packages: usize) -> String {
    let resources: Vec<String> = (0..packages)
        .map(|i| {
            format!(r#"{{"id":"pk{i}","kind":"package","parent":"sp","name":"Package {i:02}"}}"#)
        })
        .collect();
    format!(
        r#"{{"directory":{{"users":[{{"id":"boss","name":"Boss","role":"admin"}},
                                  {{"id":"u","name":"Ute","role":"analyst"}}]}},
          "resources":[{{"id":"studio","kind":"studio","name":"Studio"}},
                       {{"id":"sp","kind":"space","parent":"studio","name":"Big"}},{}],
          "grants":[{{"principal":"u","resource":"sp","permissions":["use-all-packages"]}}]}}"#,
        resources.join(",")
    )
}

#[wasm_bindgen_test]
async fn a_principals_many_changes_are_paged_too() {
    let team = Rc::new(Team::from_json(&space_of_packages(40)).expect("valid"));
    let (root, _) = mount_dialog("detail-pages", team, "sp", "boss").await;
    click(&cell_box(&root, "u", "edit-all-packages"));
    yew::scheduler::flush().await;
    let row = q1(&root, "[data-testid=\"preview-row-u\"]");
    click(&q1(&row, "button[aria-expanded]"));
    yew::scheduler::flush().await;
    let items = || all(&root, ".preview-items tbody tr").len();
    assert_eq!(items(), 30, "one page of the changes");
    let pager = q1(&root, ".preview-details nav.pw-pager");
    assert_eq!(
        pager.get_attribute("aria-label").as_deref(),
        Some("Pages of the changes for Ute")
    );
    let status = text(&q1(&pager, ".pw-pager__info"));
    let total: usize = status
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{status}"));
    assert!(
        status.starts_with("Changes 1–30 of ") && total >= 40,
        "{status}"
    );
    let next = all(&pager, "button")
        .into_iter()
        .find(|b| text(b) == "Next")
        .expect("Next");
    click(&next);
    yew::scheduler::flush().await;
    assert_eq!(items(), (total - 30).min(30));
    root.remove();
}

#[wasm_bindgen_test]
fn stored_data_that_is_invalid_falls_back_to_the_demo() {
    let bad = from_stored(Some("{\"directory\": 12")).expect("the demo team is used");
    let msg = bad.notice.expect("a message");
    assert!(msg.contains("could not be loaded"), "{msg}");
    assert_eq!(bad.current.team.snapshot, demo_team().snapshot);

    let mut team = (*demo_team()).clone();
    team.snapshot.version = Some("7".into());
    let json = serde_json::to_string(&team.snapshot).expect("serialise");
    let good = from_stored(Some(&json)).expect("loads");
    assert!(good.notice.is_none());
    assert_eq!(good.current.version, "7");
    let none = from_stored(None).expect("the demo team");
    assert!(none.notice.is_none());
    assert_eq!(none.current.version, "1");
}

#[wasm_bindgen_test]
async fn the_app_opens_a_dialog_from_the_options_menu_and_saves_to_local_storage() {
    let storage = gloo::utils::window()
        .local_storage()
        .expect("storage")
        .expect("storage exists");
    storage.remove_item(STORAGE_KEY).expect("clear");
    storage.remove_item(ACTOR_KEY).expect("clear");
    let root = fresh_root("app");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let tree = q1(&root, "[role=treegrid]#resource-tree");
    assert!(q(
        &tree,
        "[data-testid=\"tree-row-sp-sales\"][aria-level=\"2\"]"
    )
    .is_some());
    click(&q1(&root, "[data-testid=\"options-sp-sales\"]"));
    yew::scheduler::flush().await;
    let item = q1(&root, "[data-testid=\"menu-permissions-sp-sales\"]");
    assert_eq!(item.get_attribute("role").as_deref(), Some("menuitem"));
    click(&item);
    yew::scheduler::flush().await;
    assert!(
        q(&root, "#permissions-dialog").is_some(),
        "the dialog opens"
    );
    assert!(
        q1(&root, "main").has_attribute("inert"),
        "the page behind is inert"
    );
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    press_save(&root).await;
    assert!(
        q(&root, "#permissions-dialog").is_none(),
        "Save closes the dialog"
    );
    let stored = storage
        .get_item(STORAGE_KEY)
        .expect("read")
        .expect("the team is stored");
    let reloaded = Team::from_json(&stored).expect("the stored snapshot is valid");
    assert!(
        reloaded
            .flag("g-exec", "sp-sales", "edit-all-packages")
            .expect("valid")
            .held
    );
    storage.remove_item(STORAGE_KEY).expect("clear");
    root.remove();
}

#[wasm_bindgen_test]
async fn save_goes_to_the_backend_with_the_version_it_was_made_on() {
    let team = demo_team();
    let backend = Rc::new(MemoryBackend::new("Demo", (*team).clone()));
    let (root, saved) =
        mount_dialog_on("to-backend", team, "sp-sales", "u-admin", backend.clone()).await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    press_save(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert_eq!(saved.team.snapshot.version.as_deref(), Some("2"));
    let Ok(Ok(now)) = ready_now(backend.load()) else {
        panic!("the memory backend answers at once");
    };
    assert_eq!(now.current.version, "2");
    assert!(
        now.current
            .team
            .flag("g-exec", "sp-sales", "edit-all-packages")
            .expect("valid")
            .held
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn when_someone_saved_first_the_edits_are_rebased_and_nothing_is_lost() {
    let team = demo_team();
    let backend = Rc::new(MemoryBackend::new("Demo", (*team).clone()));
    let (root, saved) = mount_dialog_on(
        "conflict",
        team.clone(),
        "sp-sales",
        "u-admin",
        backend.clone(),
    )
    .await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    click(&cell_box(&root, "u-ken", "edit-space"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "2");

    // Meanwhile someone else grants Ken `edit-space` and saves (version 2).
    let theirs = team
        .apply(
            "u-admin",
            &[permissions_widget::eval::Op::grant(
                "u-ken",
                "sp-sales",
                "edit-space",
            )],
        )
        .expect("valid");
    let mut theirs = theirs;
    theirs.snapshot.version = Some("2".into());
    backend.replace(theirs);

    press_save(&root).await;
    assert!(saved.borrow().is_none(), "nothing was saved");
    let banner = text(&q1(&root, "#dialog-error"));
    assert!(
        banner.contains("Someone else saved these permissions first")
            && banner.contains("1 edit kept"),
        "{banner}"
    );
    assert!(banner.contains("already so"), "{banner}");
    assert_eq!(
        pending_count(&root),
        "1",
        "the edit that still applies is pending"
    );
    assert_eq!(cell_state(&root, "u-ken", "edit-space"), "granted");

    // Saving again goes through on the new version.
    press_save(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert_eq!(saved.team.snapshot.version.as_deref(), Some("3"));
    assert!(
        saved
            .team
            .flag("u-ken", "sp-sales", "edit-space")
            .expect("valid")
            .held
    );
    assert!(
        saved
            .team
            .flag("g-exec", "sp-sales", "edit-all-packages")
            .expect("valid")
            .held
    );
    root.remove();
}

/// Waits `ms` milliseconds (the browser's timer).
/// Presses Save and waits until the dialog is done with it: the backend
/// runs after the next frame, and its answer is shown in a task of its own.
async fn press_save(root: &Element) {
    click(&q1(root, "#dialog-save"));
    yew::scheduler::flush().await;
    save_settled(root).await;
}

/// Waits (up to 2 s) until Save is neither waiting for the preview nor saving.
async fn save_settled(root: &Element) {
    for _ in 0..200 {
        let busy = q(root, "#dialog-save").is_some_and(|b| b.has_attribute("aria-busy"));
        if !busy {
            break;
        }
        sleep(10).await;
        yew::scheduler::flush().await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer fired");
}

/// A backend that cannot be reached for its first `failures` saves, then saves.
struct Flaky {
    failures: std::cell::Cell<u32>,
    inner: MemoryBackend,
}

impl Flaky {
    fn failing(failures: u32, team: &Team) -> Flaky {
        Flaky {
            failures: std::cell::Cell::new(failures),
            inner: MemoryBackend::new("Demo", team.clone()),
        }
    }
}

impl Backend for Flaky {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        self.inner.load()
    }
    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        match self.failures.get() {
            0 => self.inner.save(request),
            n => {
                self.failures.set(n - 1);
                Box::pin(std::future::ready(SaveOutcome::Unavailable(
                    "the network is down".to_string(),
                )))
            }
        }
    }
    fn describe(&self) -> String {
        "Flaky".into()
    }
}

#[wasm_bindgen_test]
async fn an_unreachable_backend_is_tried_again_by_itself_until_it_saves() {
    let team = demo_team();
    let backend = Rc::new(Flaky::failing(1, &team));
    let (root, saved) = mount_dialog_on("flaky", team, "sp-sales", "u-admin", backend).await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    press_save(&root).await;
    let banner = text(&q1(&root, "#dialog-error"));
    assert!(
        banner.contains("tried again in 1 s (retry 1 of 5)"),
        "{banner}"
    );
    assert!(saved.borrow().is_none());
    sleep(1_400).await;
    yew::scheduler::flush().await;
    let saved = saved.borrow().clone().expect("saved by the retry");
    assert_eq!(saved.team.snapshot.version.as_deref(), Some("2"));
    root.remove();
}

#[wasm_bindgen_test]
async fn pending_edits_survive_a_reload_until_saved() {
    let team = demo_team();
    let backend = Rc::new(MemoryBackend::new("Demo", (*team).clone()));
    let (root, _) = mount_dialog_on(
        "draft-1",
        team.clone(),
        "sp-sales",
        "u-admin",
        backend.clone(),
    )
    .await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    root.remove();
    // A new dialog on the same resource, as after a reload (the tab's storage stays).
    let (root, saved) = remount_dialog("draft-2", team, "sp-sales", "u-admin", backend).await;
    assert_eq!(pending_count(&root), "1", "the edit is back");
    let banner = text(&q1(&root, "#dialog-error"));
    assert!(
        banner.contains("Restored 1 edit not saved before the page was reloaded"),
        "{banner}"
    );
    press_save(&root).await;
    assert!(saved.borrow().is_some());
    let left = web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| {
            s.get_item("permissions-widget.draft.sp-sales")
                .ok()
                .flatten()
        });
    assert_eq!(left, None, "a saved draft is forgotten");
    root.remove();
}

#[wasm_bindgen_test]
async fn an_unreachable_backend_keeps_the_edits_and_says_so() {
    let (root, saved) = mount_dialog_on(
        "offline",
        demo_team(),
        "sp-sales",
        "u-admin",
        Rc::new(Flaky::failing(u32::MAX, &demo_team())),
    )
    .await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    press_save(&root).await;
    assert!(saved.borrow().is_none());
    let banner = text(&q1(&root, "#dialog-error"));
    assert!(
        banner.contains("Saving failed: the network is down")
            && banner.contains("your changes are still here"),
        "{banner}"
    );
    assert_eq!(pending_count(&root), "1");
    assert!(
        q(&root, "#permissions-dialog").is_some(),
        "the dialog stays open"
    );
    root.remove();
}

/// A backend that answers each save after `ms`, counting the saves.
struct Slow {
    ms: i32,
    saves: Rc<std::cell::Cell<u32>>,
    inner: Rc<MemoryBackend>,
}

impl Backend for Slow {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        self.inner.load()
    }
    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        self.saves.set(self.saves.get() + 1);
        let (inner, ms) = (self.inner.clone(), self.ms);
        Box::pin(async move {
            sleep(ms).await;
            inner.save(request).await
        })
    }
    fn describe(&self) -> String {
        "Slow".into()
    }
}

#[wasm_bindgen_test]
async fn while_saving_the_footer_says_so_and_neither_a_second_click_nor_an_edit_gets_in() {
    let team = demo_team();
    let saves = Rc::new(std::cell::Cell::new(0));
    let backend = Rc::new(Slow {
        ms: 300,
        saves: saves.clone(),
        inner: Rc::new(MemoryBackend::new("Demo", (*team).clone())),
    });
    let (root, saved) = mount_dialog_on("in-flight", team, "sp-sales", "u-admin", backend).await;
    click(&cell_box(&root, "g-exec", "edit-all-packages"));
    yew::scheduler::flush().await;
    click(&q1(&root, "#dialog-save"));
    yew::scheduler::flush().await;
    assert_eq!(text(&q1(&root, "#save-status")), "Saving…");
    let save = q1(&root, "#dialog-save");
    assert_eq!(save.get_attribute("aria-busy").as_deref(), Some("true"));

    // Pressed again, and an edit, while the backend works: neither counts.
    let before = cell_state(&root, "g-exec", "edit-space");
    click(&save);
    click(&cell_box(&root, "g-exec", "edit-space"));
    yew::scheduler::flush().await;
    assert_eq!(pending_count(&root), "1");
    assert_eq!(cell_state(&root, "g-exec", "edit-space"), before);
    save_settled(&root).await;
    let saved = saved.borrow().clone().expect("saved");
    assert!(
        saved.message.starts_with("Saved 1 change "),
        "{}",
        saved.message
    );
    assert_eq!(saves.get(), 1, "saved once");
    assert!(q(&root, "#save-status").is_none());
    root.remove();
}
