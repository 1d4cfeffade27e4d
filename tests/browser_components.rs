//! Component tests of `ExplainView`, `PrincipalPicker`,
//! `DataPermissionsEditor` and `CheckAccess` in headless Chromium: each test
//! mounts one component into a fresh element over the demo team
//! (`src/demo/team.json`, facts in its README), drives DOM events and asserts
//! on the DOM.
//!
//! Events are built with the browser's own constructors (`new
//! KeyboardEvent("keydown", {key, bubbles})`) through `js_sys::Reflect`, so the
//! test needs no extra web-sys features.
#![cfg(target_arch = "wasm32")]

use permissions_widget::eval::{prepare, Op, PrincipalIdx, SetDataOp, Team};
use permissions_widget::ui::check_access::{CheckAccess, CheckAccessProps};
use permissions_widget::ui::data_permissions::{DataPermissionsEditor, DataPermissionsEditorProps};
use permissions_widget::ui::explain::{ExplainView, ExplainViewProps};
use permissions_widget::ui::principal_picker::{PrincipalPicker, PrincipalPickerProps};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::{all, demo_team, fresh_root, q, q1, text};

/// `new <ctor>(kind, {bubbles: true, cancelable: true, ...init})`.
fn js_event(ctor: &str, kind: &str, init: &[(&str, JsValue)]) -> web_sys::Event {
    let window = gloo::utils::window();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &JsValue::from_str(ctor))
        .expect("the constructor exists")
        .unchecked_into();
    let dict = js_sys::Object::new();
    for (k, v) in [("bubbles", JsValue::TRUE), ("cancelable", JsValue::TRUE)]
        .into_iter()
        .chain(init.iter().map(|(k, v)| (*k, v.clone())))
    {
        js_sys::Reflect::set(&dict, &JsValue::from_str(k), &v).expect("set an init field");
    }
    let args = js_sys::Array::of2(&JsValue::from_str(kind), &dict);
    js_sys::Reflect::construct(&ctor, &args)
        .expect("construct the event")
        .unchecked_into()
}

/// Types `value` into an input: sets it and dispatches an `input` event.
async fn type_into(input: &Element, value: &str) {
    let input: &HtmlInputElement = input.dyn_ref().expect("an <input>");
    input.set_value(value);
    input
        .dispatch_event(&js_event("InputEvent", "input", &[]))
        .expect("dispatch input");
    yew::scheduler::flush().await;
}

async fn key(el: &Element, key: &str) {
    el.dispatch_event(&js_event(
        "KeyboardEvent",
        "keydown",
        &[("key", JsValue::from_str(key))],
    ))
    .expect("dispatch keydown");
    yew::scheduler::flush().await;
}

async fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>()
        .expect("an HTML element")
        .click();
    yew::scheduler::flush().await;
}

// --- ExplainView -------------------------------------------------------------------

async fn mount_explain(id: &str, props: ExplainViewProps) -> Element {
    let root = fresh_root(id);
    yew::Renderer::<ExplainView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn explain_view_renders_a_why() {
    let team = demo_team();
    // Carla created the Sales space: her creator `edit-space` lets her rename it.
    let explanation = team
        .explain("u-carla", "sp-sales", "rename")
        .expect("known ids");
    assert!(explanation.allowed);
    let root = mount_explain(
        "explain-why",
        ExplainViewProps {
            explanation: explanation.clone(),
            team: Some(team.clone()),
            note: None,
            how_open: false,
        },
    )
    .await;

    let view = q1(&root, ".explain");
    assert_eq!(view.get_attribute("data-allowed").as_deref(), Some("true"));
    let headline = text(&q1(&root, ".explain__headline"));
    assert!(headline.contains('✓'), "{headline}");
    assert!(
        headline.contains(&explanation.sentences[0]),
        "the headline is the evaluator's sentence: {headline}"
    );
    assert!(
        q(&root, ".explain__reasons").is_none(),
        "a why has no bullets"
    );
    assert_eq!(text(&q1(&root, ".explain__how > summary")), "How");
    let grant = text(&q1(&root, ".explain__step--grant"));
    assert!(
        grant.contains("Edit Space"),
        "labels from the team: {grant}"
    );
    assert!(grant.contains("Space Sales"), "{grant}");
}

#[wasm_bindgen_test]
async fn explain_view_names_a_service_as_its_kind_once() {
    let team = demo_team();
    // Devin's group holds "Edit all spaces" on the Studio service.
    let explanation = team
        .explain("u-dev", "sp-sales", "rename")
        .expect("known ids");
    assert!(explanation.allowed);
    let root = mount_explain(
        "explain-service",
        ExplainViewProps {
            explanation,
            team: Some(team.clone()),
            note: None,
            how_open: true,
        },
    )
    .await;

    let grant = text(&q1(&root, ".explain__step--grant"));
    assert!(grant.contains("on Studio"), "{grant}");
    assert!(!grant.contains("Studio Studio"), "{grant}");
}

#[wasm_bindgen_test]
async fn explain_view_renders_a_why_not_with_a_bullet_per_condition() {
    let team = demo_team();
    // Sam holds only use flags in Studio: he cannot even see the Sales space.
    let explanation = team.explain("u-sam", "sp-sales", "see").expect("known ids");
    assert!(!explanation.allowed);
    let root = mount_explain(
        "explain-why-not",
        ExplainViewProps {
            explanation: explanation.clone(),
            team: None,
            note: Some(AttrValue::Static("with pending changes")),
            how_open: true,
        },
    )
    .await;

    let view = q1(&root, ".explain");
    assert_eq!(view.get_attribute("data-allowed").as_deref(), Some("false"));
    let headline = text(&q1(&root, ".explain__headline"));
    assert!(
        headline.contains('✗') && headline.contains("cannot"),
        "{headline}"
    );
    assert!(headline.contains("with pending changes"), "{headline}");
    let bullets = all(&root, ".explain__reasons > li");
    assert_eq!(bullets.len(), explanation.conditions.len());
    assert_eq!(bullets.len(), explanation.sentences.len() - 1);
    assert!(q1(&root, "details.explain__how").has_attribute("open"));
}

// --- PrincipalPicker ----------------------------------------------------------------

fn mount_picker(
    id: &str,
    team: Rc<Team>,
    include_api_keys: bool,
) -> (Element, Rc<RefCell<Vec<PrincipalIdx>>>) {
    let picked = Rc::new(RefCell::new(Vec::new()));
    let root = fresh_root(id);
    let sink = picked.clone();
    yew::Renderer::<PrincipalPicker>::with_root_and_props(
        root.clone(),
        PrincipalPickerProps {
            team,
            exclude: Vec::new(),
            on_pick: Callback::from(move |p| sink.borrow_mut().push(p)),
            label: AttrValue::Static("Add people"),
            include_api_keys,
            disabled: false,
            placeholder: AttrValue::Static("Name"),
            max_options: 20,
            hint: None,
        },
    )
    .render();
    (root, picked)
}

#[wasm_bindgen_test]
async fn picker_filters_and_picks_with_the_keyboard() {
    let team = demo_team();
    let (root, picked) = mount_picker("picker-keys", team.clone(), false);
    yew::scheduler::flush().await;

    let input = q1(&root, "input[role=combobox]");
    let label = q1(&root, "label");
    assert_eq!(
        label.get_attribute("for"),
        input.get_attribute("id"),
        "the input is labelled"
    );
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );

    type_into(&input, "CARLA").await;
    let options = all(&root, "[role=option]");
    assert!(!options.is_empty(), "case-insensitive match");
    assert_eq!(
        options[0].get_attribute("data-principal").as_deref(),
        Some("u-carla")
    );
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let listbox = q1(&root, "[role=listbox]");
    assert_eq!(
        input.get_attribute("aria-controls"),
        listbox.get_attribute("id")
    );
    assert_eq!(
        input.get_attribute("aria-activedescendant"),
        options[0].get_attribute("id")
    );

    // Prefix-first: "ma" ranks names starting with it before names containing it.
    type_into(&input, "ma").await;
    let names: Vec<String> = all(&root, "[role=option] .picker__name")
        .iter()
        .map(text)
        .collect();
    let first_non_prefix = names
        .iter()
        .position(|n| !n.to_lowercase().starts_with("ma"))
        .unwrap_or(names.len());
    assert!(
        names[first_non_prefix..]
            .iter()
            .all(|n| !n.to_lowercase().starts_with("ma")),
        "prefix matches first: {names:?}"
    );

    // Down / Up / End / Home move the active option.
    let options = all(&root, "[role=option]");
    assert!(options.len() >= 2, "{names:?}");
    key(&input, "ArrowDown").await;
    assert_eq!(
        input.get_attribute("aria-activedescendant"),
        options[1].get_attribute("id")
    );
    assert_eq!(
        options[1].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    key(&input, "End").await;
    assert_eq!(
        input.get_attribute("aria-activedescendant"),
        options[options.len() - 1].get_attribute("id")
    );
    key(&input, "Home").await;
    key(&input, "ArrowDown").await;
    key(&input, "ArrowUp").await;
    assert_eq!(
        input.get_attribute("aria-activedescendant"),
        options[0].get_attribute("id")
    );
    let expected = options[0]
        .get_attribute("data-principal")
        .expect("options name their principal");

    // Enter picks the active option, closes the list and clears the input.
    key(&input, "Enter").await;
    assert_eq!(
        *picked.borrow(),
        vec![team.principal_idx(&expected).expect("known")]
    );
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        input.dyn_ref::<HtmlInputElement>().map(|i| i.value()),
        Some(String::new())
    );

    // Escape closes without picking.
    type_into(&input, "sam").await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    key(&input, "Escape").await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(picked.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn picker_never_offers_api_keys_and_caps_the_list() {
    let team = demo_team();
    let (root, picked) = mount_picker("picker-keys-hidden", team.clone(), false);
    yew::scheduler::flush().await;
    let input = q1(&root, "input[role=combobox]");
    let hint = text(&q1(&root, ".picker__hint"));
    assert!(hint.contains("API keys act as their owners"), "{hint}");

    type_into(&input, "k-").await;
    let offered: Vec<String> = all(&root, "[role=option]")
        .iter()
        .filter_map(|o| o.get_attribute("data-principal"))
        .collect();
    assert!(
        offered.iter().all(|id| team
            .principal_idx(id)
            .map(|p| team.principal(p).owner.is_none())
            == Some(true)),
        "no API key offered: {offered:?}"
    );
    let note = text(&q1(&root, ".picker__keynote"));
    assert!(
        note.contains("k-"),
        "the hint names the matching keys: {note}"
    );
    assert!(all(&root, "[data-ptype='API key']").is_empty());

    // A broad query mounts at most 20 options and says how many more match.
    type_into(&input, "a").await;
    assert_eq!(all(&root, "[role=option]").len(), 20);
    let more = text(&q1(&root, ".picker__more"));
    assert!(more.contains("more — keep typing"), "{more}");
    assert!(picked.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn picker_offers_api_keys_when_asked() {
    let team = demo_team();
    let (root, picked) = mount_picker("picker-keys-offered", team.clone(), true);
    yew::scheduler::flush().await;
    let input = q1(&root, "input[role=combobox]");
    type_into(&input, "k-ana").await;
    let option = q1(&root, "[role=option][data-principal='k-ana']");
    assert_eq!(
        option.get_attribute("data-ptype").as_deref(),
        Some("API key")
    );
    click(&option).await;
    assert_eq!(
        *picked.borrow(),
        vec![team.principal_idx("k-ana").expect("known")]
    );
}

// --- DataPermissionsEditor ------------------------------------------------------------

fn mount_editor(id: &str, team: Rc<Team>, model: &str) -> (Element, Rc<RefCell<Vec<SetDataOp>>>) {
    let ops = Rc::new(RefCell::new(Vec::new()));
    let sink = ops.clone();
    let model = team.resource_idx(model).expect("known model");
    let current = team.data_permissions(model).cloned();
    let root = fresh_root(id);
    yew::Renderer::<DataPermissionsEditor>::with_root_and_props(
        root.clone(),
        DataPermissionsEditorProps {
            team,
            model,
            current,
            read_only: false,
            on_change: Callback::from(move |op| sink.borrow_mut().push(op)),
            on_validity: Callback::noop(),
            page_size: 500,
        },
    )
    .render();
    (root, ops)
}

#[wasm_bindgen_test]
async fn editor_rejects_empty_values_and_columns_next_to_the_field() {
    let team = demo_team();
    let (root, ops) = mount_editor("editor-invalid", team, "dm-o2c");
    yew::scheduler::flush().await;

    let switch = q1(&root, "[role=switch]");
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    let carla = q1(&root, ".dpe__entry[data-principal='u-carla']");
    let values = q1(&carla, "input[id$='-values']");
    assert_eq!(
        values.dyn_ref::<HtmlInputElement>().map(|i| i.value()),
        Some("1000, 2000".to_string())
    );
    assert!(q(&root, ".pw-error-summary").is_none());

    // Empty values: a message next to the field, the field marked, nothing emitted.
    type_into(&values, " , ").await;
    let values = q1(&carla, "input[id$='-values']");
    assert_eq!(
        values.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let err_id = values
        .get_attribute("aria-describedby")
        .expect("the field points at its message");
    let err = q1(&carla, &format!("#{err_id}"));
    assert!(
        text(&err).contains("a rule needs at least one value"),
        "{}",
        text(&err)
    );
    assert_eq!(
        err.parent_element()
            .and_then(|p| p.query_selector("input").ok().flatten()),
        Some(values.clone()),
        "the message sits in the field's cell"
    );
    assert!(text(&q1(&root, ".pw-error-summary")).contains("1 problem"));
    assert!(ops.borrow().is_empty(), "an invalid draft is not emitted");
    assert_eq!(
        values.dyn_ref::<HtmlInputElement>().map(|i| i.value()),
        Some(" , ".to_string()),
        "the user's text is kept"
    );

    // An empty column too: two problems, each beside its own field.
    let column = q1(&carla, "input[id$='-column']");
    type_into(&column, "").await;
    let column = q1(&carla, "input[id$='-column']");
    assert_eq!(
        column.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let col_err = q1(
        &carla,
        &format!(
            "#{}",
            column.get_attribute("aria-describedby").expect("described")
        ),
    );
    assert!(
        text(&col_err).contains("a rule needs a column"),
        "{}",
        text(&col_err)
    );
    assert!(text(&q1(&root, ".pw-error-summary")).contains("2 problems"));
    let links: Vec<String> = all(&root, ".pw-error-summary a")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert!(links.contains(&format!(
        "#{}",
        column.get_attribute("id").unwrap_or_default()
    )));
    assert!(ops.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn editor_emits_a_valid_set_data_op_and_updates_the_resulting_access() {
    let team = demo_team();
    let (root, ops) = mount_editor("editor-valid", team, "dm-o2c");
    yew::scheduler::flush().await;
    let carla = q1(&root, ".dpe__entry[data-principal='u-carla']");
    let row = q1(&root, ".dpe__access tr[data-principal='u-carla']");
    assert!(
        text(&row).contains("VBAK.BUKRS ∈ {1000, 2000}"),
        "{}",
        text(&row)
    );

    type_into(&q1(&carla, "input[id$='-values']"), "1000, 3000, 3000,").await;
    assert!(q(&root, ".pw-error-summary").is_none());
    {
        let ops = ops.borrow();
        assert_eq!(ops.len(), 1, "one valid edit, one op");
        let op = &ops[0];
        assert_eq!(op.data_model, "dm-o2c");
        assert!(op.enabled);
        let entry = op
            .entries
            .iter()
            .find(|e| e.principal == "u-carla")
            .expect("Carla's entry is kept");
        let rules = entry.rules.as_ref().expect("rules");
        assert_eq!(
            rules[0].values,
            vec!["1000".to_string(), "3000".to_string()]
        );
        assert_eq!(op.entries.len(), 5, "the other entries are unchanged");
    }
    // Chips show the parsed values; the resulting access follows the draft.
    let chips: Vec<String> = all(&carla, ".dpe__values li").iter().map(text).collect();
    assert_eq!(chips, vec!["1000", "3000"]);
    let row = q1(&root, ".dpe__access tr[data-principal='u-carla']");
    assert!(
        text(&row).contains("VBAK.BUKRS ∈ {1000, 3000}"),
        "{}",
        text(&row)
    );

    // Switching to unlimited emits again, and Carla then sees all rows.
    let unlimited = q1(&carla, "input[type=radio]");
    click(&unlimited).await;
    assert_eq!(ops.borrow().len(), 2);
    assert_eq!(
        ops.borrow()[1]
            .entries
            .iter()
            .find(|e| e.principal == "u-carla")
            .and_then(|e| e.access.clone())
            .as_deref(),
        Some("unlimited")
    );
    let row = q1(&root, ".dpe__access tr[data-principal='u-carla']");
    assert!(text(&row).contains("All rows"), "{}", text(&row));

    // Switching data permissions off warns that everyone sees all data.
    click(&q1(&root, "[role=switch]")).await;
    assert_eq!(ops.borrow().len(), 3);
    assert!(!ops.borrow()[2].enabled);
    let warn = text(&q1(&root, ".dpe__exposure"));
    assert!(
        warn.contains("everyone who can use the model sees all data"),
        "{warn}"
    );
}

// --- CheckAccess ----------------------------------------------------------------------

#[wasm_bindgen_test]
async fn check_access_shows_capabilities_for_a_picked_principal() {
    let team = demo_team();
    let root = fresh_root("check-access");
    let resource = team.resource_idx("sp-sales").expect("known");
    yew::Renderer::<CheckAccess>::with_root_and_props(
        root.clone(),
        CheckAccessProps {
            team: team.clone(),
            overlay: None,
            resource,
            principal: None,
            page_size: 50,
        },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(q(&root, ".ca__table").is_none(), "nothing before a pick");

    let input = q1(&root, "input[role=combobox]");
    type_into(&input, "carla").await;
    key(&input, "Enter").await;

    let who = q1(&root, ".ca__who");
    assert_eq!(
        who.get_attribute("data-principal").as_deref(),
        Some("u-carla")
    );
    let space = q1(&root, "tr[data-resource='sp-sales']");
    let rename = q1(&space, "button[data-cap='rename']");
    assert_eq!(
        rename.get_attribute("data-allowed").as_deref(),
        Some("true")
    );
    assert!(text(&rename).contains('✓'));
    // She can edit the packages but not manage their permissions (README).
    let package = q1(&root, "tr[data-resource='pk-o2c']");
    let edit = q1(&package, "button[data-cap='edit']");
    assert_eq!(edit.get_attribute("data-allowed").as_deref(), Some("true"));
    let manage = q1(&package, "button[data-cap='manage-permissions']");
    assert_eq!(
        manage.get_attribute("data-allowed").as_deref(),
        Some("false")
    );
    // The subtree: the space, 3 packages, 15 assets.
    assert_eq!(all(&root, "tr.ca__row").len(), 19);

    // A chip opens its explanation.
    assert_eq!(
        manage.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    click(&manage).await;
    let manage = q1(
        &root,
        "tr[data-resource='pk-o2c'] button[data-cap='manage-permissions']",
    );
    assert_eq!(
        manage.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let panel_id = manage
        .get_attribute("aria-controls")
        .expect("controls the panel");
    let panel = q1(&root, &format!("#{panel_id}"));
    let explain = q1(&panel, ".explain");
    assert_eq!(
        explain.get_attribute("data-allowed").as_deref(),
        Some("false")
    );
    assert!(text(&explain).contains("cannot"), "{}", text(&explain));
}

#[wasm_bindgen_test]
async fn check_access_reflects_pending_changes_and_data_access() {
    let team = demo_team();
    let prepared = prepare(
        &team,
        "u-admin",
        &[Op::revoke("u-carla", "sp-sales", "edit-space")],
    )
    .expect("a valid change set");
    let root = fresh_root("check-access-pending");
    yew::Renderer::<CheckAccess>::with_root_and_props(
        root.clone(),
        CheckAccessProps {
            team: team.clone(),
            overlay: Some(Rc::new(prepared.overlay)),
            resource: team.resource_idx("sp-sales").expect("known"),
            principal: team.principal_idx("u-carla"),
            page_size: 50,
        },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(text(&q1(&root, ".ca__title")).contains("with pending changes"));
    let rename = q1(
        &root,
        "tr[data-resource='sp-sales'] button[data-cap='rename']",
    );
    assert_eq!(
        rename.get_attribute("data-allowed").as_deref(),
        Some("false")
    );
    click(&rename).await;
    let note = text(&q1(&root, ".ca__explain .explain__note"));
    assert_eq!(note, "with pending changes");

    // A data model row shows the data access (Carla: filtered on dm-o2c).
    let root = fresh_root("check-access-data");
    yew::Renderer::<CheckAccess>::with_root_and_props(
        root.clone(),
        CheckAccessProps {
            team: team.clone(),
            overlay: None,
            resource: team.resource_idx("dp-sap").expect("known"),
            principal: team.principal_idx("u-carla"),
            page_size: 2,
        },
    )
    .render();
    yew::scheduler::flush().await;
    // Paged: two rows at a time.
    assert_eq!(all(&root, "tr.ca__row").len(), 2);
    let model = q1(&root, "tr[data-resource='dm-o2c'] .ca__data");
    assert!(
        text(&model).contains("VBAK.BUKRS ∈ {1000, 2000}"),
        "{}",
        text(&model)
    );
    let next = all(&root, ".pw-pager button")
        .into_iter()
        .find(|b| text(b) == "Next")
        .expect("a Next button");
    click(&next).await;
    assert!(q(&root, "tr[data-resource='dm-p2p']").is_some());
}

#[wasm_bindgen_test]
async fn editor_adds_and_removes_entries_and_rules() {
    let team = demo_team();
    let (root, ops) = mount_editor("editor-entries", team.clone(), "dm-o2c");
    yew::scheduler::flush().await;

    // Add Sam through the picker: a new entry starts with one empty rule,
    // which is invalid, so nothing is emitted yet.
    let input = q1(&root, ".dpe__add input[role=combobox]");
    type_into(&input, "u-sam").await;
    key(&input, "Enter").await;
    let sam = q1(&root, ".dpe__entry[data-principal='u-sam']");
    assert_eq!(all(&sam, ".dpe__rules tbody tr").len(), 1);
    assert!(ops.borrow().is_empty());
    assert!(text(&q1(&root, ".pw-error-summary")).contains("3 problems"));
    // Entries already listed are not offered again.
    type_into(&input, "u-carla").await;
    assert!(q(&root, ".dpe__add [role=option][data-principal='u-carla']").is_none());
    key(&input, "Escape").await;

    type_into(&q1(&sam, "input[id$='-table']"), "MARD").await;
    type_into(&q1(&sam, "input[id$='-column']"), "WERKS").await;
    assert!(ops.borrow().is_empty());
    type_into(&q1(&sam, "input[id$='-values']"), "1000").await;
    assert_eq!(ops.borrow().len(), 1);
    assert_eq!(ops.borrow()[0].entries.len(), 6);

    // A second rule, left empty, blocks emission until it is removed.
    click(&q1(&sam, ".dpe__add-rule")).await;
    assert_eq!(all(&sam, ".dpe__rules tbody tr").len(), 2);
    let remove_second = all(&sam, ".dpe__rules tbody tr")[1]
        .query_selector("button")
        .expect("valid selector")
        .expect("a remove button per rule");
    click(&remove_second).await;
    assert_eq!(all(&sam, ".dpe__rules tbody tr").len(), 1);
    assert!(q(&root, ".pw-error-summary").is_none());
    assert_eq!(
        ops.borrow().len(),
        1,
        "back to what was emitted: nothing new"
    );

    // Removing the entry emits the entries without Sam.
    click(&q1(&sam, ".dpe__remove")).await;
    assert!(q(&root, ".dpe__entry[data-principal='u-sam']").is_none());
    assert_eq!(ops.borrow().len(), 2);
    assert!(ops.borrow()[1]
        .entries
        .iter()
        .all(|e| e.principal != "u-sam"));
}

#[wasm_bindgen_test]
async fn editor_read_only_changes_nothing() {
    let team = demo_team();
    let model = team.resource_idx("dm-ap").expect("known model");
    let ops = Rc::new(RefCell::new(Vec::<SetDataOp>::new()));
    let sink = ops.clone();
    let root = fresh_root("editor-read-only");
    yew::Renderer::<DataPermissionsEditor>::with_root_and_props(
        root.clone(),
        DataPermissionsEditorProps {
            team: team.clone(),
            model,
            current: team.data_permissions(model).cloned(),
            read_only: true,
            on_change: Callback::from(move |op| sink.borrow_mut().push(op)),
            on_validity: Callback::noop(),
            page_size: 25,
        },
    )
    .render();
    yew::scheduler::flush().await;
    // dm-ap is disabled but keeps a Finance rule (README): the warning shows.
    let switch = q1(&root, "[role=switch]");
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    assert!(switch.has_attribute("disabled"));
    assert!(text(&q1(&root, ".dpe__exposure")).contains("sees all data"));
    assert!(q(&root, ".dpe__entry[data-principal='g-fin']").is_some());
    assert!(q(&root, "input[role=combobox]").is_none(), "no picker");
    assert!(q(&root, ".dpe__remove").is_none());
    let values = q1(&root, "input[id$='-values']");
    assert!(values.has_attribute("readonly"));
    click(&switch).await;
    assert!(ops.borrow().is_empty());
}
