//! `mount(element, options)`: the permissions dialog rendered by Yew into
//! an open shadow root of a host page's element, with its styles adopted
//! there; the handle (`PermissionsWidget`) a host keeps to open, update,
//! read, close and destroy it; saves through a backend that lets the host
//! handle them (`permissions-save`, cancelable); every failure a
//! `permissions-error` event and a message in the widget.

use super::events::{self, ErrorDetail};
use super::options::{self, problems_message, Mode, OptionProblem, Options, Source, Theme};
use super::styles;
use crate::backend::fetch::FetchBackend;
use crate::backend::memory::MemoryBackend;
use crate::backend::{
    Backend, BackendHandle, BoxFuture, Loaded, SaveOutcome, SaveRequest, Versioned,
};
use crate::eval::{Op, Team};
use crate::ui::dialog::state::Tab;
use crate::ui::dialog::{PendingChanges, PermissionsDialog, Saved};
use crate::ui::hooks::ByPtr;
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::prelude::*;
use yew::AppHandle;

/// What the widget shows.
#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Problem {
        message: String,
        problems: Vec<OptionProblem>,
    },
}

/// A save the host took over (`preventDefault()` on `permissions-save`):
/// settled by `saved()` or `failed()`.
struct HostSave {
    resolve: Option<js_sys::Function>,
    outcome: Rc<RefCell<Option<SaveOutcome>>>,
}

struct Inner {
    host: Element,
    root: ShadowRoot,
    container: Element,
    app: Option<AppHandle<EmbedRoot>>,
    /// Set when a render was asked for while one was running.
    dirty: bool,
    destroyed: bool,
    /// The options as given (merged by `update`).
    raw: Value,
    options: Option<Options>,
    memory: Option<Rc<MemoryBackend>>,
    backend: Option<BackendHandle>,
    team: Option<Rc<Team>>,
    status: Status,
    /// The open resource (id) and tab.
    open: Option<(String, Tab)>,
    /// Bumped to start the dialog afresh (after a save or a cancel inline).
    generation: u32,
    /// Bumped by every load, so that an older load's answer is ignored.
    load_generation: u32,
    pending: Vec<Op>,
    host_save: Option<HostSave>,
}

impl Inner {
    /// After a save or a cancel: nothing is pending; a modal closes, an
    /// inline dialog starts afresh.
    fn start_afresh(&mut self) {
        self.pending.clear();
        self.generation += 1;
        if self.options.as_ref().is_some_and(|o| o.mode == Mode::Modal) {
            self.open = None;
        }
    }
}

type Shared = Rc<RefCell<Inner>>;

thread_local! {
    /// Every live widget (for a second mount on the same element, and the panic hook).
    static LIVE: RefCell<Vec<Weak<RefCell<Inner>>>> = const { RefCell::new(Vec::new()) };
    /// Widgets whose mount threw (the host has no handle): they show their
    /// problems until the next mount on, or `unmount` of, their element.
    static FAILED: RefCell<Vec<Shared>> = const { RefCell::new(Vec::new()) };
}

/// A JS `Error` with a readable message and `problems: [{code, path, message}]`.
pub fn problems_error(message: &str, problems: &[OptionProblem]) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&error, &"problems".into(), &events::to_js(&problems));
    error.into()
}

fn error_event(host: &Element, code: &str, message: &str, problems: &[OptionProblem]) {
    let detail = events::to_js(&ErrorDetail {
        code,
        message,
        problems,
    });
    events::emit(host, events::ERROR, &detail, false);
}

/// The handle a host keeps: `open`, `update`, `pending`, `close`,
/// `destroy`, and `saved` / `failed` for a save it handles itself.
#[wasm_bindgen(js_name = PermissionsWidget)]
pub struct Widget {
    shared: Shared,
}

/// Mounts the permissions dialog into `element` (in an open shadow root);
/// throws an `Error` with `problems` when the options are not valid (the
/// widget then shows them, and a `permissions-error` event says so too).
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) -> Result<Widget, JsValue> {
    install_panic_hook();
    destroy_widget_on(&element);
    let root = match element.shadow_root() {
        Some(root) => root,
        None => element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| {
                let p = [OptionProblem::new(
                    "invalid-element",
                    "element",
                    format!("a shadow root cannot be attached to <{}>: mount into a <div> or a custom element", element.tag_name().to_lowercase()),
                )];
                problems_error(&problems_message(&p), &p)
            })?,
    };
    root.replace_children_with_node_0();
    if let Err(e) = styles::adopt(&root) {
        web_sys::console::warn_2(&"permissions widget: styles not adopted".into(), &e);
    }
    let document = gloo::utils::document();
    let container = document.create_element("div")?;
    container.set_class_name("pw-root");
    container.set_attribute("part", "root")?;
    root.append_child(&container)?;
    let raw = to_value(&options);
    let shared = Rc::new(RefCell::new(Inner {
        host: element,
        root,
        container: container.clone(),
        app: None,
        dirty: false,
        destroyed: false,
        raw: Value::Null,
        options: None,
        memory: None,
        backend: None,
        team: None,
        status: Status::Loading,
        open: None,
        generation: 0,
        load_generation: 0,
        pending: Vec::new(),
        host_save: None,
    }));
    LIVE.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|w| w.strong_count() > 0);
        l.push(Rc::downgrade(&shared));
    });
    let props = view_props(&shared);
    let app = yew::Renderer::<EmbedRoot>::with_root_and_props(container, props).render();
    shared.borrow_mut().app = Some(app);
    let widget = Widget { shared };
    if let Err(e) = widget.apply(raw) {
        FAILED.with(|f| f.borrow_mut().push(widget.shared.clone()));
        return Err(e);
    }
    Ok(widget)
}

/// Removes whatever `mount` left in `element` (a widget, or the problems of
/// a mount that threw); nothing when there is none.
#[wasm_bindgen]
pub fn unmount(element: &Element) {
    destroy_widget_on(element);
}

/// The options as JSON (a snapshot given as an object included).
fn to_value(options: &JsValue) -> Value {
    if options.is_undefined() || options.is_null() {
        return Value::Null;
    }
    let text = js_sys::JSON::stringify(options)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn destroy_widget_on(element: &Element) {
    let failed: Vec<Shared> = FAILED.with(|f| {
        let mut f = f.borrow_mut();
        let (mine, others) = f
            .drain(..)
            .partition(|s| s.try_borrow().is_ok_and(|i| &i.host == element));
        *f = others;
        mine
    });
    for shared in failed {
        destroy(&shared);
    }
    let found = LIVE.with(|l| {
        l.borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .find(|s| s.try_borrow().is_ok_and(|i| &i.host == element))
    });
    if let Some(shared) = found {
        destroy(&shared);
    }
}

fn destroy(shared: &Shared) {
    let app = {
        let Ok(mut inner) = shared.try_borrow_mut() else {
            return;
        };
        if inner.destroyed {
            return;
        }
        inner.destroyed = true;
        inner.host_save = None;
        inner.app.take()
    };
    if let Some(app) = app {
        app.destroy();
    }
    let inner = shared.borrow();
    inner.container.remove();
    inner.root.replace_children_with_node_0();
    styles::release(&inner.root);
    LIVE.with(|l| {
        l.borrow_mut()
            .retain(|w| w.upgrade().is_some_and(|s| !Rc::ptr_eq(&s, shared)))
    });
}

/// A panic in wasm ends every widget of the page: each says so (a message
/// in place and a `permissions-error` event) before the module stops.
fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = format!("the permissions widget stopped on an internal error: {info}");
        web_sys::console::error_1(&message.clone().into());
        LIVE.with(|l| {
            let Ok(live) = l.try_borrow() else { return };
            for shared in live.iter().filter_map(Weak::upgrade) {
                if let Ok(inner) = shared.try_borrow() {
                    inner.container.set_text_content(Some(&message));
                    error_event(&inner.host, "internal", &message, &[]);
                }
            }
        });
    }));
}

impl Widget {
    fn ensure_live(&self) -> Result<(), JsValue> {
        if self.shared.borrow().destroyed {
            return Err(js_sys::Error::new("this permissions widget was destroyed").into());
        }
        Ok(())
    }

    /// Takes `raw` as the options: checked, then shown (or the problems shown).
    fn apply(&self, raw: Value) -> Result<(), JsValue> {
        let parsed = {
            let inner = self.shared.borrow();
            let previous = inner.options.as_ref().map(|o| (&inner.raw, &o.source));
            options::parse(&raw, previous)
        };
        let options = match parsed {
            Ok(o) => o,
            Err(problems) => return self.fail_options(raw, problems),
        };
        let load = {
            let mut inner = self.shared.borrow_mut();
            let same_source = match (&inner.options, &options.source) {
                (Some(old), Source::Snapshot(t)) => {
                    matches!(&old.source, Source::Snapshot(o) if Rc::ptr_eq(o, t))
                }
                (Some(old), Source::Service { url, token }) => matches!(&old.source,
                    Source::Service { url: u, token: t } if u == url && t == token),
                _ => false,
            };
            inner.open = options.resource.clone().map(|r| (r, options.tab));
            inner.raw = raw;
            if !same_source || inner.team.is_none() {
                inner.pending.clear();
                inner.generation += 1;
                match &options.source {
                    Source::Snapshot(team) => {
                        let memory = Rc::new(MemoryBackend::new(
                            "Team given by the page",
                            (**team).clone(),
                        ));
                        inner.memory = Some(memory.clone());
                        inner.backend = Some(BackendHandle(Rc::new(HostBackend {
                            inner: memory,
                            widget: Rc::downgrade(&self.shared),
                        })));
                        inner.team = Some(team.clone());
                        inner.status = Status::Ready;
                    }
                    Source::Service { url, token } => {
                        let service = Rc::new(FetchBackend::new(url, token.clone()));
                        inner.memory = None;
                        inner.backend = Some(BackendHandle(Rc::new(HostBackend {
                            inner: service,
                            widget: Rc::downgrade(&self.shared),
                        })));
                        inner.team = None;
                        inner.status = Status::Loading;
                    }
                }
            }
            inner.options = Some(options);
            inner.team.is_none()
        };
        if load {
            render(&self.shared);
            start_load(&self.shared);
            return Ok(());
        }
        self.check_team()
    }

    /// Checks the options against the team (actor, resource); shows the result.
    fn check_team(&self) -> Result<(), JsValue> {
        let problems = {
            let inner = self.shared.borrow();
            match (&inner.options, &inner.team) {
                (Some(o), Some(team)) => options::check_against(o, team),
                _ => Vec::new(),
            }
        };
        if problems.is_empty() {
            self.shared.borrow_mut().status = Status::Ready;
            render(&self.shared);
            return Ok(());
        }
        let raw = self.shared.borrow().raw.clone();
        self.fail_options(raw, problems)
    }

    fn fail_options(&self, raw: Value, problems: Vec<OptionProblem>) -> Result<(), JsValue> {
        let message = problems_message(&problems);
        let host = {
            let mut inner = self.shared.borrow_mut();
            inner.raw = raw;
            inner.status = Status::Problem {
                message: message.clone(),
                problems: problems.clone(),
            };
            inner.host.clone()
        };
        render(&self.shared);
        error_event(&host, "invalid-options", &message, &problems);
        Err(problems_error(&message, &problems))
    }

    fn settle_host_save(&self, outcome: SaveOutcome) -> Result<(), JsValue> {
        let save = self.shared.borrow_mut().host_save.take();
        let Some(save) = save else {
            return Err(js_sys::Error::new(
                "no save is waiting: call saved() or failed() after preventDefault() on a permissions-save event",
            )
            .into());
        };
        *save.outcome.borrow_mut() = Some(outcome);
        if let Some(resolve) = save.resolve {
            let _ = resolve.call0(&JsValue::NULL);
        }
        Ok(())
    }
}

#[wasm_bindgen(js_class = PermissionsWidget)]
impl Widget {
    /// Opens `resource` (`{tab}`: `permissions`, `data`, `check`).
    pub fn open(&self, resource: String, options: JsValue) -> Result<(), JsValue> {
        self.ensure_live()?;
        let mut raw = self.shared.borrow().raw.clone();
        if let Value::Object(o) = &mut raw {
            o.insert("resource".into(), Value::String(resource));
            let tab = to_value(&options)
                .get("tab")
                .cloned()
                .unwrap_or(Value::Null);
            o.insert("tab".into(), tab);
        }
        self.apply(raw)
    }

    /// Changes some options (the others stay as they are); throws like `mount`.
    pub fn update(&self, options: JsValue) -> Result<(), JsValue> {
        self.ensure_live()?;
        let mut raw = self.shared.borrow().raw.clone();
        match (&mut raw, to_value(&options)) {
            (Value::Object(o), Value::Object(new)) => o.extend(new),
            (_, new) => raw = new,
        }
        self.apply(raw)
    }

    /// The pending change set: an array of operations (`[]` when none).
    pub fn pending(&self) -> Result<JsValue, JsValue> {
        self.ensure_live()?;
        Ok(events::to_js(&self.shared.borrow().pending))
    }

    /// Closes the dialog; its pending changes are dropped.
    pub fn close(&self) -> Result<(), JsValue> {
        self.ensure_live()?;
        {
            let mut inner = self.shared.borrow_mut();
            inner.open = None;
            inner.pending.clear();
            if let Value::Object(o) = &mut inner.raw {
                o.remove("resource");
            }
        }
        render(&self.shared);
        Ok(())
    }

    /// Removes the widget: its DOM, listeners and styles; the handle is done.
    pub fn destroy(&self) {
        destroy(&self.shared);
    }

    /// The host saved the change set itself: `snapshot` is the team now.
    pub fn saved(&self, snapshot: JsValue) -> Result<(), JsValue> {
        self.ensure_live()?;
        let json = match to_value(&snapshot) {
            Value::String(s) => s,
            other => other.to_string(),
        };
        match Team::from_json(&json) {
            Ok(team) => {
                let memory = self.shared.borrow().memory.clone();
                if let Some(m) = memory {
                    m.replace(team.clone());
                }
                self.settle_host_save(SaveOutcome::Saved(Versioned::new(team)))
            }
            Err(found) => {
                let problems: Vec<OptionProblem> = found
                    .errors()
                    .map(|p| OptionProblem {
                        code: p.code.as_str().into(),
                        path: p.path.clone(),
                        message: p.message.clone(),
                    })
                    .collect();
                let message = format!("saved(): the snapshot is not valid: {}", found);
                let _ = self.settle_host_save(SaveOutcome::Failed(message.clone()));
                Err(problems_error(&message, &problems))
            }
        }
    }

    /// The host's save failed: the dialog says why and keeps the edits.
    pub fn failed(&self, error: JsValue) -> Result<(), JsValue> {
        self.ensure_live()?;
        let message = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .or_else(|| {
                to_value(&error)
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "the page could not save the changes".into());
        self.settle_host_save(SaveOutcome::Failed(message))
    }
}

/// Loads the team from the service; the answer is shown (or why not).
fn start_load(shared: &Shared) {
    let (backend, generation) = {
        let mut inner = shared.borrow_mut();
        inner.load_generation += 1;
        (inner.backend.clone(), inner.load_generation)
    };
    let Some(backend) = backend else { return };
    let weak = Rc::downgrade(shared);
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = backend.0.load().await;
        let Some(shared) = weak.upgrade() else { return };
        {
            let inner = shared.borrow();
            if inner.destroyed || inner.load_generation != generation {
                return;
            }
        }
        let widget = Widget { shared };
        match loaded {
            Ok(loaded) => {
                widget.shared.borrow_mut().team = Some(loaded.current.team);
                let _ = widget.check_team();
            }
            Err(why) => {
                let message =
                    format!("the team could not be loaded from the permission service: {why}");
                let host = {
                    let mut inner = widget.shared.borrow_mut();
                    inner.status = Status::Problem {
                        message: message.clone(),
                        problems: Vec::new(),
                    };
                    inner.host.clone()
                };
                render(&widget.shared);
                error_event(&host, "load-failed", &message, &[]);
            }
        }
    });
}

/// Shows the current state (re-entrant: a render asked for during one runs after it).
fn render(shared: &Shared) {
    loop {
        let app = {
            let Ok(mut inner) = shared.try_borrow_mut() else {
                return;
            };
            if inner.destroyed {
                return;
            }
            let theme = inner.options.as_ref().map_or(Theme::Auto, |o| o.theme);
            let mode = inner.options.as_ref().map_or(Mode::Inline, |o| o.mode);
            let _ = inner.container.set_attribute("data-theme", theme.as_str());
            let _ = inner.container.set_attribute("data-mode", mode.as_str());
            match inner.app.take() {
                Some(app) => app,
                None => {
                    inner.dirty = true;
                    return;
                }
            }
        };
        let mut app = app;
        app.update(view_props(shared));
        let Ok(mut inner) = shared.try_borrow_mut() else {
            return;
        };
        inner.app = Some(app);
        if !std::mem::take(&mut inner.dirty) {
            return;
        }
    }
}

/// The component's props for the current state.
fn view_props(shared: &Shared) -> EmbedProps {
    let inner = shared.borrow();
    let weak = Rc::downgrade(shared);
    let team = inner.team.clone();
    let dialog = match (&team, &inner.open, &inner.options, &inner.status) {
        (Some(team), Some((r, tab)), Some(o), Status::Ready) => {
            match (team.resource_idx(r), team.principal_idx(&o.actor)) {
                (Some(resource), Some(actor)) => Some(DialogView {
                    team: team.clone(),
                    resource,
                    actor,
                    tab: *tab,
                    generation: inner.generation,
                }),
                _ => None,
            }
        }
        _ => None,
    };
    EmbedProps {
        view: ByPtr(Rc::new(View {
            status: inner.status.clone(),
            dialog,
            inline: inner
                .options
                .as_ref()
                .is_none_or(|o| o.mode == Mode::Inline),
            backend: inner.backend.clone(),
            on_change: on_change(weak.clone()),
            on_save: on_saved(weak.clone()),
            on_close: on_cancel(weak),
        })),
    }
}

/// `permissions-change`: the pending change set and its impact (made when
/// `detail.impact` is first read), when it changed.
fn on_change(weak: Weak<RefCell<Inner>>) -> Callback<PendingChanges> {
    Callback::from(move |p: PendingChanges| {
        let Some(shared) = weak.upgrade() else { return };
        let (host, detail) = {
            let Ok(mut inner) = shared.try_borrow_mut() else {
                return;
            };
            if inner.pending == p.changes {
                return;
            }
            inner.pending = p.changes.clone();
            let resource = inner.open.as_ref().map(|o| o.0.clone()).unwrap_or_default();
            #[derive(Serialize)]
            struct Detail<'a> {
                resource: String,
                count: usize,
                changes: &'a [Op],
                summary: &'a [String],
            }
            let detail = events::to_js(&Detail {
                resource,
                count: p.changes.len(),
                changes: &p.changes,
                summary: &p.summary,
            });
            // Per principal, the impact of a large change set is large (a
            // group toggle on 2,000 assets: 82,841 entries): made when read.
            let (impact, team) = (p.impact.clone(), p.team.clone());
            events::define_lazy(&detail, "impact", move || {
                events::to_js(&impact.to_impact(&team))
            });
            (inner.host.clone(), detail)
        };
        events::emit(&host, events::CHANGE, &detail, false);
    })
}

/// `permissions-saved`: the team after the save; modal → closes, inline → starts afresh.
fn on_saved(weak: Weak<RefCell<Inner>>) -> Callback<Saved> {
    Callback::from(move |saved: Saved| {
        let Some(shared) = weak.upgrade() else { return };
        let (host, detail) = {
            let Ok(mut inner) = shared.try_borrow_mut() else {
                return;
            };
            inner.team = Some(saved.team.clone());
            inner.start_afresh();
            #[derive(Serialize)]
            struct Detail<'a> {
                message: &'a str,
                version: Option<&'a str>,
                snapshot: &'a crate::model::Snapshot,
            }
            let detail = events::to_js(&Detail {
                message: &saved.message,
                version: saved.team.snapshot.version.as_deref(),
                snapshot: &saved.team.snapshot,
            });
            (inner.host.clone(), detail)
        };
        render(&shared);
        events::emit(&host, events::SAVED, &detail, false);
    })
}

/// `permissions-cancel`: the user closed the dialog (pending changes discarded).
fn on_cancel(weak: Weak<RefCell<Inner>>) -> Callback<()> {
    Callback::from(move |()| {
        let Some(shared) = weak.upgrade() else { return };
        let (host, detail) = {
            let Ok(mut inner) = shared.try_borrow_mut() else {
                return;
            };
            let resource = inner.open.as_ref().map(|o| o.0.clone());
            inner.start_afresh();
            (
                inner.host.clone(),
                events::to_js(&serde_json::json!({ "resource": resource })),
            )
        };
        render(&shared);
        events::emit(&host, events::CANCEL, &detail, false);
    })
}

/// The backend the dialog saves through: `permissions-save` first (a host
/// that calls `preventDefault()` saves itself and settles with `saved()` /
/// `failed()`), else the given team's memory or the service; a failed save
/// is a `permissions-error` too.
struct HostBackend<B: Backend + ?Sized> {
    inner: Rc<B>,
    widget: Weak<RefCell<Inner>>,
}

impl<B: Backend + ?Sized + 'static> Backend for HostBackend<B> {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        self.inner.load()
    }

    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        let Some(shared) = self.widget.upgrade() else {
            return Box::pin(std::future::ready(SaveOutcome::Failed(
                "the widget was destroyed".into(),
            )));
        };
        // Ready before the event, for a host that settles inside its listener.
        let outcome = Rc::new(RefCell::new(None::<SaveOutcome>));
        let mut resolve_slot = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| resolve_slot = Some(resolve));
        let (host, resource) = {
            let mut inner = shared.borrow_mut();
            inner.host_save = Some(HostSave {
                resolve: resolve_slot,
                outcome: outcome.clone(),
            });
            (inner.host.clone(), inner.open.as_ref().map(|o| o.0.clone()))
        };
        let detail = events::to_js(&serde_json::json!({
            "resource": resource,
            "actor": request.actor,
            "baseVersion": request.base_version,
            "changes": request.changes,
        }));
        let proceed = events::emit(&host, events::SAVE, &detail, true);
        let weak = self.widget.clone();
        let future: BoxFuture<SaveOutcome> = if proceed {
            if let Ok(mut inner) = shared.try_borrow_mut() {
                inner.host_save = None;
            }
            self.inner.save(request)
        } else {
            Box::pin(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                let taken = outcome.borrow_mut().take();
                taken.unwrap_or_else(|| {
                    SaveOutcome::Failed("the page did not finish the save".into())
                })
            })
        };
        Box::pin(async move {
            let outcome = future.await;
            let failure = match &outcome {
                SaveOutcome::Rejected(p) => Some(("save-rejected", p.to_string())),
                SaveOutcome::Unavailable(why) => Some(("save-unavailable", why.clone())),
                SaveOutcome::Failed(why) => Some(("save-failed", why.clone())),
                SaveOutcome::Saved(_) | SaveOutcome::Conflict { .. } => None,
            };
            if let (Some((code, message)), Some(shared)) = (failure, weak.upgrade()) {
                let host = shared.borrow().host.clone();
                error_event(&host, code, &message, &[]);
            }
            outcome
        })
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// The dialog to show.
#[derive(Clone)]
struct DialogView {
    team: Rc<Team>,
    resource: crate::eval::ResourceIdx,
    actor: crate::eval::PrincipalIdx,
    tab: Tab,
    generation: u32,
}

struct View {
    status: Status,
    dialog: Option<DialogView>,
    inline: bool,
    backend: Option<BackendHandle>,
    on_change: Callback<PendingChanges>,
    on_save: Callback<Saved>,
    on_close: Callback<()>,
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    view: ByPtr<View>,
}

/// The widget's content: loading, the problems, or the dialog.
#[function_component(EmbedRoot)]
fn embed_root(props: &EmbedProps) -> Html {
    let v = &props.view.0;
    let content = match (&v.status, &v.dialog) {
        (Status::Loading, _) => html! {
            <p class="pw-note" role="status" data-testid="pw-loading">{ "Loading the team…" }</p>
        },
        (Status::Problem { message, problems }, _) => html! {
            <div class="banner banner-error pw-problem" role="alert" part="error" data-testid="pw-error">
                <strong>{ "The permissions dialog cannot be shown" }</strong>
                <p>{ message.clone() }</p>
                if !problems.is_empty() {
                    <ul>
                        { for problems.iter().map(|p| html! {
                            <li data-code={p.code.clone()}>
                                <code>{ p.path.clone() }</code>{ ": " }{ p.message.clone() }
                                { format!(" ({})", p.code) }
                            </li>
                        }) }
                    </ul>
                }
            </div>
        },
        (Status::Ready, Some(d)) => html! {
            <PermissionsDialog key={format!("{}-{}-{}", d.resource, d.actor, d.generation)}
                team={d.team.clone()} resource={d.resource} actor={d.actor} tab={d.tab}
                on_close={v.on_close.clone()} on_save={v.on_save.clone()}
                on_change={v.on_change.clone()} inline={v.inline} keep_draft={false} />
        },
        (Status::Ready, None) if v.inline => html! {
            <p class="pw-note" data-testid="pw-closed">{ "No resource is open." }</p>
        },
        (Status::Ready, None) => html! {},
    };
    match &v.backend {
        Some(backend) => html! {
            <ContextProvider<BackendHandle> context={backend.clone()}>{ content }</ContextProvider<BackendHandle>>
        },
        None => content,
    }
}
