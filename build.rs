//! Embeds the golden corpus (`tests/golden/*.json`) for the in-browser golden test.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("tests/golden");
    println!("cargo:rerun-if-changed=tests/golden");
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from("/// `(file name, JSON)` of every golden case of the project.\npub const GOLDEN_CASES: &[(&str, &str)] = &[\n");
    for f in &files {
        out.push_str(&format!(
            "    ({f:?}, include_str!({:?})),\n",
            format!("{manifest}/tests/golden/{f}")
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("golden_cases.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
