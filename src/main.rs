#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<permissions_widget::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("this binary is the web app: run `scripts/serve.sh` (see README.md)");
}
