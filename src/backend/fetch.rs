//! The permission service's HTTP API as a [`Backend`]: `GET /team` to load,
//! `POST /team/changes` with `If-Match` to save, a bearer token naming whom
//! the app acts as. Requests time out; what the answers mean is [`http`]'s.

use super::http::{self, Answer, DemoToken, API_META};
use super::{Backend, BoxFuture, Loaded, SaveOutcome, SaveRequest, Versioned};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

/// How long a request may take before it counts as failed.
const TIMEOUT_MS: u32 = 15_000;

/// The service at `api` (e.g. `/api/v1`), acting with a bearer token.
pub struct FetchBackend {
    api: String,
    token: RefCell<Option<String>>,
    /// The demo users' tokens, when the service hands them out.
    demo_tokens: Vec<DemoToken>,
    /// The team as last loaded or saved: a `200` to a save made on it gives
    /// the next team without another request.
    last: Rc<RefCell<Option<Versioned>>>,
}

impl FetchBackend {
    /// The service whose API is at `api` (its base URL, e.g.
    /// `https://perm.example.com/api/v1`), signing every request with the
    /// bearer `token` when there is one (an embedding host's own user).
    pub fn new(api: &str, token: Option<String>) -> FetchBackend {
        FetchBackend {
            api: api.trim_end_matches('/').to_string(),
            token: RefCell::new(token),
            demo_tokens: Vec::new(),
            last: Rc::default(),
        }
    }

    /// The service that serves this page, if it is one: the page names its
    /// API in `<meta name="permissions-api">` (the service adds it to the
    /// `index.html` it serves; a static host has none, and nothing is asked).
    /// Then `GET /config`, and the demo tokens when it is in demo mode.
    pub async fn discover() -> Option<FetchBackend> {
        let api = gloo::utils::document()
            .query_selector(&format!("meta[name=\"{API_META}\"]"))
            .ok()
            .flatten()?
            .get_attribute("content")?;
        let answer = send("GET", &format!("{api}/config"), None, &[], None)
            .await
            .ok()?;
        let config = http::config(&answer)?;
        let demo_tokens = if config.demo {
            let answer = send(
                "GET",
                &format!("{}/demo/tokens", config.api),
                None,
                &[],
                None,
            )
            .await
            .ok()?;
            http::demo_tokens(&answer).unwrap_or_default()
        } else {
            Vec::new()
        };
        Some(FetchBackend {
            api: config.api,
            token: RefCell::new(None),
            demo_tokens,
            last: Rc::default(),
        })
    }

    fn token(&self) -> Option<String> {
        self.token.borrow().clone()
    }
}

impl Backend for FetchBackend {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        let (url, token, last) = (
            format!("{}/team", self.api),
            self.token(),
            self.last.clone(),
        );
        Box::pin(async move {
            let answer = send("GET", &url, token.as_deref(), &[], None).await?;
            let loaded = http::loaded(&answer)?;
            *last.borrow_mut() = Some(loaded.current.clone());
            Ok(loaded)
        })
    }

    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        let (api, token, last) = (self.api.clone(), self.token(), self.last.clone());
        Box::pin(async move {
            let body = serde_json::json!({ "changes": request.changes }).to_string();
            let if_match = http::etag(&request.base_version);
            let headers = [
                ("If-Match", if_match.as_str()),
                ("Content-Type", "application/json"),
            ];
            let url = format!("{api}/team/changes");
            let answer = match send("POST", &url, token.as_deref(), &headers, Some(&body)).await {
                Ok(answer) => answer,
                Err(why) => return SaveOutcome::Unavailable(why),
            };
            let base = last
                .borrow()
                .clone()
                .filter(|b| b.version == request.base_version);
            let outcome =
                http::save_outcome(&answer, base.as_ref(), &request.actor, &request.changes);
            let outcome = match outcome {
                Some(outcome) => outcome,
                // Saved on a version this page never loaded: load what is there now.
                None => {
                    let team_url = format!("{api}/team");
                    match send("GET", &team_url, token.as_deref(), &[], None).await {
                        Ok(a) => match http::loaded(&a) {
                            Ok(loaded) => SaveOutcome::Saved(loaded.current),
                            Err(why) => SaveOutcome::Failed(why),
                        },
                        Err(why) => SaveOutcome::Failed(format!(
                            "the change set was saved, but the new state could not be loaded ({why}); reload the page"
                        )),
                    }
                }
            };
            match &outcome {
                SaveOutcome::Saved(next) => *last.borrow_mut() = Some(next.clone()),
                SaveOutcome::Conflict { current, .. } => *last.borrow_mut() = Some(current.clone()),
                _ => {}
            }
            outcome
        })
    }

    fn act_as(&self, principal: &str) -> Result<(), String> {
        if self.demo_tokens.is_empty() {
            return Ok(());
        }
        let token = self
            .demo_tokens
            .iter()
            .find(|t| t.principal == principal)
            .ok_or_else(|| format!("the server has no sign-in token for `{principal}`"))?;
        *self.token.borrow_mut() = Some(token.token.clone());
        Ok(())
    }

    fn describe(&self) -> String {
        "Team on the permission service".into()
    }
}

/// One request; `Err` when no answer came (network, timeout).
async fn send(
    method: &str,
    url: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Answer, String> {
    let unreachable = |_: JsValue| "the server cannot be reached".to_string();
    let init = RequestInit::new();
    init.set_method(method);
    let h = Headers::new().map_err(unreachable)?;
    h.set("Accept", "application/json").map_err(unreachable)?;
    if let Some(token) = token {
        h.set("Authorization", &format!("Bearer {token}"))
            .map_err(unreachable)?;
    }
    for (name, value) in headers {
        h.set(name, value).map_err(unreachable)?;
    }
    init.set_headers(&h);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let controller = AbortController::new().map_err(unreachable)?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(unreachable)?;
    let window = web_sys::window().ok_or("no browser window")?;
    let abort = Timeout::new(TIMEOUT_MS, move || controller.abort());
    let sent = JsFuture::from(window.fetch_with_request(&request)).await;
    let response: Response = match sent {
        Ok(r) => r.dyn_into().map_err(unreachable)?,
        Err(e) => {
            let timed_out = e
                .dyn_ref::<web_sys::DomException>()
                .is_some_and(|d| d.name() == "AbortError");
            return Err(if timed_out {
                format!("the server did not answer within {} s", TIMEOUT_MS / 1000)
            } else {
                "the server cannot be reached".into()
            });
        }
    };
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?;
    drop(abort);
    Ok(Answer {
        status: response.status(),
        etag: response.headers().get("ETag").ok().flatten(),
        body: text.as_string().unwrap_or_default(),
    })
}
