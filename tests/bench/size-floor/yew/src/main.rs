//! The smallest Yew app that uses what every dialog uses (state, a reducer,
//! an effect, event callbacks) and calls the core as the app does: the
//! snapshot typed into its field is read, edited and explained.

// The core's floor, as a module (not a library: a cdylib that is also an
// rlib is not fully optimised).
#[path = "../../core/src/lib.rs"]
mod core_floor;

use std::rc::Rc;
use yew::prelude::*;

#[derive(PartialEq)]
struct Count(u32);

impl Reducible for Count {
    type Action = u32;
    fn reduce(self: Rc<Self>, by: u32) -> Rc<Self> {
        Count(self.0 + by).into()
    }
}

#[function_component(App)]
fn app() -> Html {
    let clicks = use_state(|| 0u32);
    let total = use_reducer(|| Count(0));
    let title = use_state(String::new);
    let snapshot = use_state(String::new);
    {
        let (clicks, title) = (*clicks, title.setter());
        use_effect_with(clicks, move |_| {
            title.set(format!("clicked {clicks} times"))
        });
    }
    let click = {
        let clicks = clicks.clone();
        Callback::from(move |_: MouseEvent| clicks.set(*clicks + 1))
    };
    let add = {
        let total = total.clone();
        Callback::from(move |_: MouseEvent| total.dispatch(1))
    };
    let typed = {
        let snapshot = snapshot.setter();
        Callback::from(move |e: InputEvent| {
            let field: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            snapshot.set(field.value());
        })
    };
    let answer = core_floor::run(&snapshot, "[]", "u-1", "sp-1", "edit");
    html! {
        <main>
            <h1>{ (*title).clone() }</h1>
            <textarea oninput={typed} />
            <p>{ answer }</p>
            <button type="button" onclick={click}>{ "Click" }</button>
            <button type="button" onclick={add}>{ total.0 }</button>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
