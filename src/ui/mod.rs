//! Yew components (wasm only): the app shell ([`App`]), the resource
//! navigator ([`tree`]), the permissions dialog ([`dialog`]) and the pieces
//! it is built from. Every permission state shown comes from the evaluator
//! (`crate::eval`); this layer only lays it out. Stable ids and roles for
//! page tests are listed in `src/ui/README.md`.

pub mod check_access;
pub mod data_permissions;
pub mod dialog;
pub mod explain;
pub mod hooks;
pub mod icons;
pub mod link;
pub mod modal;
pub mod pager;
pub mod principal_picker;
pub mod text;
pub mod tree;

use self::dialog::state::Tab;
use self::dialog::{PermissionsDialog, Saved};
use self::hooks::ByPtr;
use self::modal::Confirm;
use self::principal_picker::PrincipalPicker;
use self::tree::{options_id, ResourceTree};
use crate::backend::browser::{remember_actor, remembered_actor, BrowserBackend};
use crate::backend::fetch::FetchBackend;
use crate::backend::memory::MemoryBackend;
use crate::backend::{ready_now, Backend, BackendHandle, Loaded};
use crate::eval::{PrincipalIdx, ResourceIdx, Team};
use crate::model::synthetic::Scale;
use crate::model::validate::PrincipalType;
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// The scale of the generated team when the page was opened with
/// `?demo=large` (workload L, 10,000 users; `&scale=S` or `&scale=M` for a
/// smaller one, as the browser benchmark's quick run uses): held in memory,
/// never stored.
fn large_demo_requested() -> Option<Scale> {
    let search = gloo::utils::window().location().search().ok()?;
    if !search.contains("demo=large") {
        return None;
    }
    let scale = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("scale="))
        .and_then(Scale::named);
    Some(scale.unwrap_or(Scale::L))
}

/// A named point on the page's performance timeline (`performance.mark`;
/// the browser benchmark reads them): `permissions:started` (the
/// WebAssembly running), `permissions:team-built`, `permissions:rendered`.
fn mark(name: &str) {
    if let Some(p) = gloo::utils::window().performance() {
        let _ = p.mark(name);
    }
}

/// Who the demo acts as when nothing else is chosen.
const DEFAULT_ACTOR: &str = "u-admin";

fn initial_actor(team: &Team) -> PrincipalIdx {
    remembered_actor()
        .and_then(|id| team.principal_idx(&id))
        .filter(|&p| team.principal(p).ptype == PrincipalType::User)
        .or_else(|| team.principal_idx(DEFAULT_ACTOR))
        .or_else(|| {
            PrincipalIdx::first(team.principals.len())
                .find(|&p| team.principal(p).ptype == PrincipalType::User)
        })
        .unwrap_or(PrincipalIdx(0))
}

/// An open dialog: the resource, the tab, where focus returns.
#[derive(Clone, PartialEq)]
struct Open {
    resource: ResourceIdx,
    tab: Tab,
    return_focus: Option<AttrValue>,
}

/// The backend the app works with and the team loaded from it.
pub struct Boot {
    backend: Option<BackendHandle>,
    loaded: Result<Loaded, String>,
}

/// The in-page backends — this browser's storage, or (`?demo=large`) a
/// generated team held in memory — and the team loaded from it, at once.
fn boot_in_page() -> Boot {
    let backend: Rc<dyn Backend> = if let Some(scale) = large_demo_requested() {
        match crate::demo::large_team(scale) {
            Ok(team) => Rc::new(MemoryBackend::new(
                "Generated large team (not stored)",
                team,
            )),
            Err(e) => {
                return Boot {
                    backend: None,
                    loaded: Err(e),
                }
            }
        }
    } else {
        Rc::new(BrowserBackend::default())
    };
    let loaded = match ready_now(backend.load()) {
        Ok(loaded) => loaded,
        Err(_) => Err("the backend did not answer".to_string()),
    };
    mark("permissions:team-built");
    Boot {
        backend: Some(BackendHandle(backend)),
        loaded,
    }
}

/// The permission service that serves the page, acting as the remembered
/// user (or the default one) when it hands out demo tokens.
async fn boot_on(service: FetchBackend) -> Boot {
    let actor = remembered_actor()
        .filter(|id| service.act_as(id).is_ok())
        .or_else(|| {
            service
                .act_as(DEFAULT_ACTOR)
                .is_ok()
                .then(|| DEFAULT_ACTOR.to_string())
        });
    if let Some(id) = &actor {
        remember_actor(id);
    }
    let loaded = service.load().await;
    mark("permissions:team-built");
    Boot {
        backend: Some(BackendHandle(Rc::new(service))),
        loaded,
    }
}

/// Renders the app: on the permission service when the page is served by
/// it (`GET /api/v1/config`), on this browser's storage otherwise.
pub fn start() {
    mark("permissions:started");
    wasm_bindgen_futures::spawn_local(async {
        let boot = match FetchBackend::discover().await {
            Some(service) if large_demo_requested().is_none() => {
                Some(ByPtr(Rc::new(boot_on(service).await)))
            }
            _ => None,
        };
        yew::Renderer::<App>::with_props(AppProps { boot }).render();
    });
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Where the team comes from; the in-page backends when `None`.
    #[prop_or_default]
    pub boot: Option<ByPtr<Boot>>,
}

#[derive(Properties, PartialEq)]
struct ActingAsProps {
    team: ByPtr<Team>,
    actor: PrincipalIdx,
    on_pick: Callback<PrincipalIdx>,
}

/// Who the app acts as, and a combobox over every user to change it.
#[function_component(ActingAs)]
fn acting_as(props: &ActingAsProps) -> Html {
    let not_users = use_memo(props.team.clone(), |t| {
        PrincipalIdx::first(t.0.principals.len())
            .filter(|&p| t.0.principal(p).ptype != PrincipalType::User)
            .collect::<Vec<_>>()
    });
    let actor = props.team.0.principal(props.actor);
    html! {
        <div class="acting-as">
            <p class="acting-as__current" id="acting-as-current" data-id={actor.id.clone()}>
                { "Acting as " }<strong>{ actor.name.clone() }</strong>
                { format!(" ({})", text::role_label(actor.role)) }
            </p>
            <PrincipalPicker team={props.team.0.clone()} label="Act as another user"
                exclude={(*not_users).clone()} on_pick={props.on_pick.clone()}
                placeholder="Any user: name, email or id"
                hint={Some(AttrValue::from("Every user of the team, admins included."))} />
        </div>
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let boot = {
        let given = props.boot.clone();
        use_memo((), move |_| {
            given.map_or_else(|| Rc::new(boot_in_page()), |b| b.0)
        })
    };
    let backend = boot.backend.clone();
    let team = {
        let boot = boot.clone();
        use_state(move || boot.loaded.as_ref().ok().map(|l| l.current.team.clone()))
    };
    // The dialog the page's address links to, if any.
    let linked = {
        let t = (*team).clone();
        use_memo((), move |_| {
            t.and_then(|t| link::linked_dialog(&t, &link::current_fragment()))
        })
    };
    let banner = {
        let (boot, linked) = (boot.clone(), linked.clone());
        use_state(move || match &boot.loaded {
            Ok(loaded) => loaded.notice.clone().or_else(|| {
                linked
                    .as_ref()
                    .as_ref()?
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
            }),
            Err(e) => Some(format!("The data could not be loaded: {e}.")),
        })
    };
    let actor = {
        let t = (*team).clone();
        use_state(move || t.as_deref().map(initial_actor).unwrap_or(PrincipalIdx(0)))
    };
    // The page's "Loading permissions…" (index.html) goes once the app is drawn.
    use_effect_with((), |_| {
        mark("permissions:rendered");
        if let Some(el) = gloo::utils::document().get_element_by_id("app-loading") {
            el.remove();
        }
    });
    let open = use_state(move || match *linked {
        Some(Ok((resource, tab))) => Some(Open {
            resource,
            tab,
            return_focus: None,
        }),
        _ => None,
    });
    use_dialog_link((*team).clone(), open.clone(), banner.clone());
    let toast = use_toast();
    let ask_reset = use_state(|| false);

    let Some(current) = (*team).clone() else {
        return html! {
            <main id="app-root">
                <h1>{ "Permissions" }</h1>
                <div class="banner banner-error" role="alert" id="store-error">
                    { (*banner).clone().unwrap_or_else(|| "The data could not be loaded.".into()) }
                </div>
            </main>
        };
    };
    let actor_idx = (*actor).min(PrincipalIdx(
        current.principals.len().saturating_sub(1) as u32
    ));

    let on_open = open_dialog(open.clone(), current.clone());
    let on_close = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(None))
    };
    // The tab chosen in the dialog goes into its link.
    let on_tab = {
        let open = open.clone();
        Callback::from(move |tab: Tab| {
            if let Some(o) = (*open).clone().filter(|o| o.tab != tab) {
                open.set(Some(Open { tab, ..o }));
            }
        })
    };
    let on_save = dialog_saved(
        team.clone(),
        open.clone(),
        toast.clone(),
        backend.as_ref().is_none_or(|b| b.0.persists()),
    );
    let on_actor = change_actor(
        actor.clone(),
        current.clone(),
        backend.clone(),
        banner.clone(),
    );
    let do_reset = reset_demo(ResetHandles {
        backend: backend.clone(),
        team: team.clone(),
        banner: banner.clone(),
        toast: toast.clone(),
        ask_reset: ask_reset.clone(),
        open: open.clone(),
    });

    let dialog_open = open.is_some() || *ask_reset;
    let dismiss_banner = {
        let banner = banner.clone();
        Callback::from(move |_| banner.set(None))
    };
    let cancel_reset = {
        let ask_reset = ask_reset.clone();
        Callback::from(move |_| ask_reset.set(false))
    };
    let app = html! {
        <div class="app">
            <AppHeader team={ByPtr(current.clone())} actor={actor_idx} inert={dialog_open}
                can_reset={backend.as_ref().is_some_and(|b| b.0.has_demo_reset())}
                backend={AttrValue::from(backend.as_ref().map(|b| b.0.describe()).unwrap_or_default())}
                {on_actor} on_reset={let a = ask_reset.clone(); Callback::from(move |_| a.set(true))} />
            <main id="app-root" inert={dialog_open}>
                if let Some(msg) = &*banner {
                    <StoreBanner message={msg.clone()} on_dismiss={dismiss_banner} />
                }
                <div class="page-head">
                    <h1>{ "Resources" }</h1>
                    <p class="muted">
                        { "Each resource's Options menu opens its permissions. Changes are previewed before you save them." }
                    </p>
                </div>
                <ResourceTree team={ByPtr(current.clone())} actor={actor_idx} on_open={on_open} />
            </main>
            if let Some(msg) = &*toast {
                <div class="toast" role="status" id="toast" data-testid="toast">{ msg.clone() }</div>
            } else {
                <div class="toast-region" role="status" id="toast"></div>
            }
            if let Some(o) = &*open {
                <PermissionsDialog key={format!("{}-{}", o.resource, actor_idx)} team={current.clone()}
                    resource={o.resource} actor={actor_idx} tab={o.tab}
                    {on_tab} {on_close} {on_save} return_focus={o.return_focus.clone()} />
            }
            if *ask_reset {
                <Confirm id="confirm-reset" title="Reset the demo data?"
                    message={html! { <p>{ "Every change saved in this browser is discarded and the demo team is restored." }</p> }}
                    confirm_label="Reset demo data" danger={true}
                    on_confirm={do_reset} on_cancel={cancel_reset} />
            }
        </div>
    };
    match backend {
        Some(backend) => html! {
            <ContextProvider<BackendHandle> context={backend}>{ app }</ContextProvider<BackendHandle>>
        },
        None => app,
    }
}

/// A toast message, which fades after a few seconds.
#[hook]
fn use_toast() -> UseStateHandle<Option<String>> {
    let toast = use_state(|| None::<String>);
    {
        let toast = toast.clone();
        use_effect_with((*toast).clone(), move |t| {
            let timer = t
                .is_some()
                .then(|| Timeout::new(6000, move || toast.set(None)));
            move || drop(timer)
        });
    }
    toast
}

/// Acts as another user: the backend signs in as them first (a failure
/// leaves the acting user as it was and says why).
fn change_actor(
    actor: UseStateHandle<PrincipalIdx>,
    team: Rc<Team>,
    backend: Option<BackendHandle>,
    banner: UseStateHandle<Option<String>>,
) -> Callback<PrincipalIdx> {
    Callback::from(move |p: PrincipalIdx| {
        let id = &team.principal(p).id;
        if let Some(Err(e)) = backend.as_ref().map(|b| b.0.act_as(id)) {
            banner.set(Some(format!(
                "Cannot act as {}: {e}.",
                team.principal(p).name
            )));
            return;
        }
        remember_actor(id);
        actor.set(p);
    })
}

/// Opens a resource's dialog on a tab.
fn open_dialog(open: UseStateHandle<Option<Open>>, team: Rc<Team>) -> Callback<(ResourceIdx, Tab)> {
    Callback::from(move |(r, tab): (ResourceIdx, Tab)| {
        // From a menu item (which disappears), focus returns to the Options button.
        let from_menu = gloo::utils::document()
            .active_element()
            .and_then(|a| a.get_attribute("role"))
            .is_some_and(|role| role == "menuitem");
        open.set(Some(Open {
            resource: r,
            tab,
            return_focus: from_menu.then(|| AttrValue::from(options_id(&team, r))),
        }));
    })
}

/// Keeps the page's address on the open dialog's link (none when no dialog
/// is open), and opens the dialog a new link names (the address changed by
/// hand, or Back) when none is open.
#[hook]
fn use_dialog_link(
    team: Option<Rc<Team>>,
    open: UseStateHandle<Option<Open>>,
    banner: UseStateHandle<Option<String>>,
) {
    let shown = open.as_ref().map(|o| (o.resource, o.tab));
    {
        let team = team.clone();
        use_effect_with(shown, move |shown| match (shown, team) {
            (Some((r, tab)), Some(team)) => {
                link::show_in_address(Some(&link::dialog_link(&team, *r, *tab)))
            }
            _ if link::linked_dialog_anywhere(&link::current_fragment()) => {
                link::show_in_address(None)
            }
            _ => {}
        });
    }
    let is_open = open.is_some();
    use_effect_with((team.map(ByPtr), is_open), move |(team, is_open)| {
        let listener = match (team, is_open) {
            (Some(ByPtr(team)), false) => {
                let team = team.clone();
                Some(gloo::events::EventListener::new(
                    &gloo::utils::window(),
                    "hashchange",
                    move |_| match link::linked_dialog(&team, &link::current_fragment()) {
                        Some(Ok((resource, tab))) => open.set(Some(Open {
                            resource,
                            tab,
                            return_focus: None,
                        })),
                        Some(Err(e)) => banner.set(Some(e.to_string())),
                        None => {}
                    },
                ))
            }
            _ => None,
        };
        move || drop(listener)
    });
}

/// A dialog saved: the saved team replaces the shown one, the dialog closes,
/// a toast says so (and that a generated team is not stored).
fn dialog_saved(
    team: UseStateHandle<Option<Rc<Team>>>,
    open: UseStateHandle<Option<Open>>,
    toast: UseStateHandle<Option<String>>,
    persists: bool,
) -> Callback<Saved> {
    Callback::from(move |saved: Saved| {
        toast.set(Some(if persists {
            saved.message.clone()
        } else {
            format!("{} (generated team: not stored)", saved.message)
        }));
        team.set(Some(saved.team.clone()));
        open.set(None);
    })
}

/// What resetting the demo data changes.
struct ResetHandles {
    backend: Option<BackendHandle>,
    team: UseStateHandle<Option<Rc<Team>>>,
    banner: UseStateHandle<Option<String>>,
    toast: UseStateHandle<Option<String>>,
    ask_reset: UseStateHandle<bool>,
    open: UseStateHandle<Option<Open>>,
}

/// Reset demo data, confirmed: the backend restores the demo team; the
/// outcome shows as a toast or the banner.
fn reset_demo(h: ResetHandles) -> Callback<()> {
    Callback::from(move |_: ()| {
        h.ask_reset.set(false);
        h.open.set(None);
        let Some(reset) = h.backend.as_ref().and_then(|b| b.0.reset_demo()) else {
            return;
        };
        match ready_now(reset) {
            Ok(Ok(loaded)) => {
                h.team.set(Some(loaded.current.team));
                h.banner.set(loaded.notice);
                h.toast.set(Some("The demo data is restored.".into()));
            }
            Ok(Err(e)) => h
                .banner
                .set(Some(format!("The demo data could not be restored: {e}."))),
            Err(_) => h.banner.set(Some("The backend did not answer.".into())),
        }
    })
}

#[derive(Properties, PartialEq)]
struct StoreBannerProps {
    message: AttrValue,
    on_dismiss: Callback<MouseEvent>,
}

/// The store's problem (invalid stored data, a storage failure), dismissible.
#[function_component(StoreBanner)]
fn store_banner(props: &StoreBannerProps) -> Html {
    html! {
        <div class="banner banner-error app-banner" role="alert" id="store-error" data-testid="store-error">
            { icons::warning() }
            <div>{ props.message.clone() }</div>
            <button type="button" class="button button-small button-ghost"
                onclick={props.on_dismiss.clone()}>{ "Dismiss" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AppHeaderProps {
    team: ByPtr<Team>,
    actor: PrincipalIdx,
    /// What the backend is ("Saved in this browser").
    backend: AttrValue,
    /// While a dialog is open.
    inert: bool,
    /// Whether the backend can restore demo data.
    can_reset: bool,
    on_actor: Callback<PrincipalIdx>,
    on_reset: Callback<MouseEvent>,
}

/// The app's header: the brand with the team's size, the acting user, Reset
/// demo data.
#[function_component(AppHeader)]
fn app_header(props: &AppHeaderProps) -> Html {
    let team = &props.team.0;
    let of_type = |t: PrincipalType| team.principals.iter().filter(|p| p.ptype == t).count();
    let (users, groups) = (of_type(PrincipalType::User), of_type(PrincipalType::Group));
    html! {
        <header class="app-header" inert={props.inert}>
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <div>
                    <p class="brand-title">{ "Options → Permissions" }</p>
                    <p class="brand-sub">{ format!("{} · {} · {}", props.backend,
                        text::count(users, "user", "users"), text::count(groups, "group", "groups")) }</p>
                </div>
            </div>
            <div class="header-controls">
                <ActingAs team={props.team.clone()} actor={props.actor} on_pick={props.on_actor.clone()} />
                if props.can_reset {
                    <button type="button" class="button" id="reset-demo" data-testid="reset-demo"
                        onclick={props.on_reset.clone()}>
                        { "Reset demo data" }
                    </button>
                }
            </div>
        </header>
    }
}
