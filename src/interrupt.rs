//! Ctrl-C and termination signals. While `--fix` changes files, a signal only asks it
//! to stop after the page in hand: every page stays whole, no temporary file or index
//! lock is left, and the run ends with exit 130. At any other time nothing is being
//! written, and the process ends at once.

use std::sync::atomic::{AtomicBool, Ordering};

/// Exit status after SIGINT, SIGTERM or SIGHUP (128 + SIGINT, as shells report it).
pub const INTERRUPTED_STATUS: u8 = 130;

static WRITING: AtomicBool = AtomicBool::new(false);
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler for SIGINT, SIGTERM and SIGHUP (Ctrl-C on Windows). Called once
/// by `main`; a failure leaves the default behaviour, which is only less tidy.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if WRITING.load(Ordering::SeqCst) {
            REQUESTED.store(true, Ordering::SeqCst);
        } else {
            std::process::exit(i32::from(INTERRUPTED_STATUS));
        }
    });
}

/// Marks the span in which files are changed; signals then wait for [`requested`].
pub struct WritingGuard(());

impl WritingGuard {
    /// Starts a span of writing.
    pub fn start() -> WritingGuard {
        WRITING.store(true, Ordering::SeqCst);
        WritingGuard(())
    }
}

impl Drop for WritingGuard {
    fn drop(&mut self) {
        WRITING.store(false, Ordering::SeqCst);
    }
}

/// Whether a signal asked the run to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
