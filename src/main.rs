#[cfg(target_arch = "wasm32")]
fn main() {
    permissions_widget::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("this binary is the web app: run `scripts/serve.sh` (see README.md)");
}
