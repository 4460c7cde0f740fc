//! Makes sure `pwa/dist` exists before it is embedded: a fresh clone builds the PWA with npm;
//! without npm a placeholder page names the exact command instead of failing the build.

use std::path::Path;
use std::process::Command;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pwa/dist");
    let pwa = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pwa");
    println!("cargo:rerun-if-changed=../pwa/dist");
    // Embedded by lessons::source: a new lesson file must rebuild the crate.
    println!("cargo:rerun-if-changed=seed/lessons");
    if dist.join("index.html").exists() {
        return;
    }
    let npm_ok = |args: &[&str]| {
        Command::new("npm")
            .args(args)
            .current_dir(&pwa)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    let has_modules = pwa.join("node_modules").exists();
    if pwa.join("package.json").exists()
        && (has_modules || npm_ok(&["ci", "--no-audit", "--no-fund"]))
        && npm_ok(&["run", "build"])
        && dist.join("index.html").exists()
    {
        return;
    }
    println!("cargo:warning=PWA not built; run: (cd pwa && npm ci && npm run build) then cargo build again");
    std::fs::create_dir_all(&dist).expect("create pwa/dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><meta charset=utf-8><title>暖新驿站</title><p>The app was not built. Run: <code>(cd pwa &amp;&amp; npm ci &amp;&amp; npm run build) &amp;&amp; cargo build</code>",
    )
    .expect("write placeholder");
}
