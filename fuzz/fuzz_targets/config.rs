//! Configuration loading on arbitrary text: never panics; an error is one line that
//! names the file; an accepted root stays inside the work tree.
#![no_main]

use std::path::Path;

use docdex::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, Path::new("docdex.toml")) {
        Ok(config) => {
            assert!(!config.root.is_empty());
            assert!(!config.root.starts_with('/'));
            assert!(config
                .root
                .split('/')
                .all(|part| !part.is_empty() && part != ".." && part != "."));
        }
        Err(err) => {
            let message = err.to_string();
            assert!(message.starts_with("docdex.toml: "), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }
});
