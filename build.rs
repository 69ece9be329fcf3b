//! Gives the program a digest of the source it was built from (`DOCDEX_SOURCE_DIGEST`).
//! The page cache keys every entry on it: a build that renders pages differently never
//! trusts what another build remembered, whatever version number both carry.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
    println!("cargo::rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.push(PathBuf::from("Cargo.lock"));
    files.sort();
    // Two 64-bit SipHash digests with different seeds: 128 bits, enough to tell builds apart.
    let mut digests = [DefaultHasher::new(), DefaultHasher::new()];
    digests[1].write_u8(1);
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for digest in &mut digests {
            file.to_string_lossy().replace('\\', "/").hash(digest);
            bytes.hash(digest);
        }
    }
    let [a, b] = digests.map(|digest| digest.finish());
    println!(
        "cargo::rustc-env=DOCDEX_SOURCE_DIGEST={}-{a:016x}{b:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default()
    );
}

/// Every file under `dir`, at any depth.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
