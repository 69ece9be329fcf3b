//! What `--fix` may write, and how: never into another repository or a special file,
//! with the stat data git expects, the modes git would give, and nothing half-done
//! after a signal.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{isolate, TestRepo};

fn submodule_at_docs() -> (TestRepo, TestRepo) {
    let sub = TestRepo::new();
    sub.write("README.md", "# someone else's repository\n");
    sub.commit_all("sub");
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    repo.add_submodule(&sub, "docs");
    repo.commit_all("a submodule where the pages would go");
    (repo, sub)
}

fn submodule_entry(repo: &TestRepo) -> String {
    repo.git(&["ls-files", "-s", "docs"])
}

#[test]
fn a_submodule_at_the_index_root_is_never_written_into() {
    let (repo, _sub) = submodule_at_docs();
    let before = submodule_entry(&repo);
    assert!(before.starts_with("160000 "), "{before}");
    repo.write("src/more.py", "class More: pass\n");
    repo.git(&["add", "src/more.py"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(2)
        .stderr_has("refusing to read or write pages in docs, which is a submodule")
        .run();
    assert_eq!(submodule_entry(&repo), before, "the gitlink stays staged");
    let inside: Vec<_> = std::fs::read_dir(repo.path().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        inside.iter().all(|n| n == ".git" || n == "README.md"),
        "nothing was written into the submodule: {inside:?}"
    );
    // A working-tree fix (which writes pages as it finds them) refuses just the same.
    repo.docdex(&["check", "--fix"])
        .status(2)
        .stderr_has("refusing to read or write pages in docs, which is a submodule")
        .run();
    assert_eq!(
        std::fs::read_dir(repo.path().join("docs")).unwrap().count(),
        2
    );

    // Not checked out (an empty folder): the index still says it is a submodule.
    repo.git(&["submodule", "deinit", "-q", "--force", "docs"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(2)
        .stderr_has("refusing to read or write pages in docs, which is a submodule")
        .run();
    assert_eq!(submodule_entry(&repo), before);
    assert_eq!(
        std::fs::read_dir(repo.path().join("docs")).unwrap().count(),
        0
    );
}

#[test]
fn a_nested_clone_where_pages_go_stops_the_fix_before_any_page_is_written() {
    let repo = TestRepo::new();
    repo.write("lib/a.py", "class A: pass\n")
        .write("src/b.py", "class B: pass\n");
    repo.commit_all("documents");
    let nested = repo.path().join("docs/lib");
    std::fs::create_dir_all(&nested).unwrap();
    let init = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&nested)
        .status()
        .unwrap();
    assert!(init.success());
    repo.docdex(&["check", "--fix"])
        .status(2)
        .stderr_has("docs/lib")
        .stderr_has("another git repository")
        .run();
    let written: Vec<_> = repo
        .listing()
        .into_iter()
        .filter(|p| p.starts_with("docs/") && !p.starts_with("docs/lib/.git/"))
        .collect();
    assert!(
        written.is_empty(),
        "written before the refusal: {written:?}"
    );
}

#[test]
fn staged_pages_carry_the_stat_data_of_the_file_on_disk() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.md text eol=crlf\n")
        .write("src/app.py", "class App: pass\n");
    repo.commit_all("crlf pages");
    repo.write("src/more.py", "class More: pass\n");
    repo.git(&["add", "src/more.py"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .run();
    assert!(repo
        .read("docs/src/more.py_kw.md")
        .unwrap()
        .contains("\r\n"));
    // git trusts the recorded stat data: no page shows as modified in the work tree
    // (`AM`), before the commit or after it.
    let status = repo.git(&["status", "--porcelain", "--untracked-files=no"]);
    assert!(
        status.lines().all(|l| l.as_bytes()[1] == b' '),
        "staged pages show as modified:\n{status}"
    );
    repo.git(&["commit", "-qm", "pages"]);
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.git(&["checkout", "-q", "main"]);
}

fn run_with_umask(repo: &TestRepo, umask: &str, args: &str) {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" {args}"))
        .arg(env!("CARGO_BIN_EXE_docdex"))
        .current_dir(repo.path());
    isolate(&mut sh, repo.path());
    let out = sh.output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
}

fn mode(repo: &TestRepo, path: &str) -> u32 {
    std::fs::metadata(repo.path().join(path))
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn new_pages_honour_the_umask_and_rewritten_pages_keep_their_mode() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    repo.commit_all("one");
    run_with_umask(&repo, "027", "check --fix");
    assert_eq!(mode(&repo, "docs/src/app.py_kw.md"), 0o640);
    run_with_umask(&repo, "002", "check --fix");
    std::fs::set_permissions(
        repo.path().join("docs/src/app.py_kw.md"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    repo.write("src/app.py", "class Renamed: pass\n");
    repo.write("src/new.py", "class New: pass\n");
    run_with_umask(&repo, "002", "check --fix");
    assert_eq!(mode(&repo, "docs/src/app.py_kw.md"), 0o600, "kept");
    assert_eq!(mode(&repo, "docs/src/new.py_kw.md"), 0o664, "umask 002");
}

/// Runs docdex, killing it if it has not finished within a generous limit: a hang is a
/// failure, not a stuck test run.
fn run_bounded(repo: &TestRepo, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docdex"));
    cmd.args(args)
        .current_dir(repo.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    isolate(&mut cmd, repo.path());
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (
                status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("docdex {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn special_files_at_page_paths_are_errors_never_hangs() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n")
        .write("src/b.py", "class B: pass\n");
    repo.commit_all("two");
    std::fs::create_dir_all(repo.path().join("docs/src")).unwrap();
    let fifo = repo.path().join("docs/src/app.py_kw.md");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let _socket =
        std::os::unix::net::UnixListener::bind(repo.path().join("docs/src/b.py_kw.md")).unwrap();
    let (code, stderr) = run_bounded(&repo, &["check", "--fix"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("docs/src/app.py_kw.md: a FIFO (named pipe) is where the page belongs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("docs/src/b.py_kw.md: a socket is where the page belongs"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn leftovers_of_a_killed_run_are_removed_and_nothing_else() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    repo.commit_all("one");
    // A process id that cannot be running (above Linux's pid_max), and this test's own,
    // which is alive: another docdex writing now keeps its temporary file.
    let dead = ".docdex-4194305-a1B2c3.tmp";
    let alive = format!(".docdex-{}-d4E5f6.tmp", std::process::id());
    repo.write(&format!("docs/src/{dead}"), "half a page")
        .write(&format!("docs/src/{alive}"), "being written")
        .write("docs/src/.docdex-notes.tmp", "someone's file")
        .write("docs/src/draft.tmp", "someone else's");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    assert!(!repo.exists(&format!("docs/src/{dead}")));
    assert!(repo.exists(&format!("docs/src/{alive}")));
    assert!(repo.exists("docs/src/.docdex-notes.tmp"));
    assert!(repo.exists("docs/src/draft.tmp"));
}

fn temporaries(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            temporaries(&path, found);
        } else if entry.file_name().to_string_lossy().starts_with(".docdex-") {
            found.push(path.display().to_string());
        }
    }
}

#[test]
fn a_signal_during_fix_leaves_whole_pages_and_no_temporary_file_or_lock() {
    // From the reading phase to the end of the writing (about 2.5 s in a debug build).
    interrupt_fixes(
        &["check", "--staged", "--fix", "--stage", "--no-diff"],
        &[30, 100, 300, 700, 1200, 2000],
    );
}

#[test]
fn a_signal_during_a_working_tree_fix_leaves_whole_pages_and_no_temporary_file() {
    // This fix writes each page as the check finds it: the writing starts at once.
    interrupt_fixes(&["check", "--fix"], &[30, 300, 900, 1800]);
}

/// Runs `args` on 1,500 staged documents without pages, signalled after each delay,
/// and checks what every run leaves: exit 0 or 130, whole pages, no temporary file, no
/// `index.lock`.
fn interrupt_fixes(args: &[&str], delays_ms: &[u64]) {
    let repo = TestRepo::new();
    for i in 0..1500 {
        repo.write(
            &format!("pkg{}/mod{i}.py", i % 40),
            format!("class C{i}: pass\ndef f{i}(): pass\n"),
        );
    }
    repo.git(&["commit", "-q", "--allow-empty", "-m", "empty"]);
    let mut interrupted = 0;
    for (round, &delay_ms) in delays_ms.iter().enumerate() {
        let signal = ["TERM", "INT"][round % 2];
        // The documents staged, no pages yet: the hook's first commit.
        let _ = std::fs::remove_dir_all(repo.path().join("docs"));
        repo.git(&["reset", "-q"]);
        repo.git(&["add", "pkg*"]);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_docdex"));
        cmd.args(args)
            .current_dir(repo.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        isolate(&mut cmd, repo.path());
        let child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 130)),
            "exit {code:?} after SIG{signal}"
        );
        interrupted += usize::from(code == Some(130));
        let mut found = Vec::new();
        if repo.path().join("docs").exists() {
            temporaries(&repo.path().join("docs"), &mut found);
        }
        assert!(found.is_empty(), "temporary files left: {found:?}");
        assert!(
            !repo.path().join(".git/index.lock").exists(),
            "index.lock left"
        );
        for page in repo.listing().iter().filter(|p| p.starts_with("docs/")) {
            let text = repo.read(page).unwrap();
            assert!(
                text.ends_with("*Generated by PyTorch Repository Documentation System*\n"),
                "{page} is torn"
            );
        }
    }
    eprintln!(
        "{args:?}: {interrupted} of {} runs were interrupted before they finished",
        delays_ms.len()
    );
}

#[test]
fn names_no_page_can_have_are_refused_with_the_exclude_hint() {
    let repo = TestRepo::new();
    repo.write("app.py", "class App: pass\n")
        .write("sub.md/inner.py", "class Inner: pass\n");
    repo.commit_all("a folder named like the root's subtree index");
    for args in [
        &["check"][..],
        &["check", "--fix"],
        &["check", "--rev", "HEAD"],
    ] {
        repo.docdex(args)
            .status(2)
            .stderr_has("sub.md/: no page can be written for it")
            .stderr_has("docs/sub.md/, where the page docs/sub.md has to be a file")
            .stderr_has("exclude")
            .run();
    }
    assert!(!repo.exists("docs"), "nothing was written");
    repo.write("docdex.toml", "exclude = [\"sub.md/**\"]\n");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check"]).status(0).run();

    let keyword = TestRepo::new();
    keyword
        .write("src/app.py", "class App: pass\n")
        .write("src/app.py_kw.md/b.py", "class B: pass\n");
    keyword.commit_all("a folder named like a keyword page");
    keyword
        .docdex(&["check"])
        .status(2)
        .stderr_has("src/app.py_kw.md/: no page can be written for it")
        .run();

    let long = TestRepo::new();
    let name = format!("src/{}.py", "n".repeat(248));
    long.write(&name, "class Long: pass\n");
    long.commit_all("a name just short enough for the file system");
    long.docdex(&["check", "--fix"])
        .status(2)
        .stderr_has("its keyword page's name would be 257 bytes, longer than the 255")
        .run();
}

#[test]
fn a_fifo_given_as_configuration_is_an_error_not_a_hang() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    let fifo = repo.path().join("config.toml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (code, stderr) = run_bounded(&repo, &["--config", "config.toml", "check"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("config.toml: not a regular file"),
        "{stderr}"
    );
}
