//! Hostile edges, round 3: what docdex writes through, deletes, reads and prints when
//! the repository or the command line is not what it expects.

use std::os::unix::fs::FileTypeExt;

use crate::util::TestRepo;

fn one_document() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("a.py", "class A:\n    pass\n");
    repo.fix_and_commit();
    repo
}

#[test]
fn output_follows_a_symlink_and_writes_through_a_fifo() {
    let repo = one_document();
    let dir = tempfile::tempdir().unwrap();
    // A symlink: the report goes to its target, the link stays a link.
    let target = dir.path().join("report.json");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    repo.docdex(&["check", "--format", "json", "-o", link.to_str().unwrap()])
        .status(0)
        .run();
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&target).unwrap().starts_with('{'));
    // A FIFO: written through, never replaced by a regular file.
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    repo.docdex(&["check", "-o", fifo.to_str().unwrap()])
        .status(0)
        .run();
    assert!(reader.join().unwrap().contains("pages fresh"));
    assert!(fifo.metadata().unwrap().file_type().is_fifo());
    // `-` is standard output.
    repo.docdex(&["check", "-o", "-"])
        .status(0)
        .stdout_has("pages fresh")
        .run();
    assert!(!repo.exists("-"));
    // An error names the file asked for.
    repo.docdex(&["check", "-o", "no/such/dir/report.txt"])
        .status(2)
        .stderr_has("no/such/dir/report.txt")
        .run();
}

#[test]
fn force_never_deletes_a_hand_written_file_where_no_page_belongs() {
    let repo = one_document();
    repo.git(&["rm", "-q", "a.py"]);
    // Where the orphaned page was, a person now keeps notes.
    repo.write("docs/a.py_kw.md", "# My notes\n");
    repo.docdex(&["check", "--staged", "--fix", "--force"])
        .run_allowing_stderr();
    assert_eq!(
        repo.read("docs/a.py_kw.md").as_deref(),
        Some("# My notes\n")
    );
}

#[test]
fn a_page_committed_with_crlf_has_one_verdict_and_fix_mends_it() {
    let repo = one_document();
    let page = repo.read("docs/a.py_kw.md").unwrap();
    repo.write("docs/a.py_kw.md", page.replace('\n', "\r\n"));
    repo.commit_all("a page with CRLF line ends");
    for args in [&["check"][..], &["check", "--rev", "HEAD"]] {
        repo.docdex(args)
            .status(1)
            .stdout_has("stale docs/a.py_kw.md")
            .run();
    }
    repo.docdex(&["check", "--fix"]).status(0).run();
    assert_eq!(repo.read("docs/a.py_kw.md").unwrap(), page);
    repo.commit_all("fixed");
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
}

#[test]
fn a_symlinked_configuration_is_followed_inside_the_repository_or_refused() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A:\n    pass\n")
        .write("config/docdex.toml", "root = \"pages\"\n");
    std::os::unix::fs::symlink("config/docdex.toml", repo.path().join("docdex.toml")).unwrap();
    repo.docdex(&["check", "--fix"]).status(0).run();
    assert!(repo.exists("pages/a.py_kw.md"), "the linked root is used");
    assert!(!repo.exists("docs"), "never the defaults");
    repo.commit_all("linked configuration");
    for args in [
        &["check"][..],
        &["check", "--staged"],
        &["check", "--rev", "HEAD"],
    ] {
        repo.docdex(args).status(0).run();
    }
    // A link out of the repository, or to nothing, is an error in every mode.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("docdex.toml"), "root = \"elsewhere\"\n").unwrap();
    std::fs::remove_file(repo.path().join("docdex.toml")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("docdex.toml"),
        repo.path().join("docdex.toml"),
    )
    .unwrap();
    repo.git(&["add", "-A"]);
    for args in [&["check"][..], &["check", "--staged"]] {
        repo.docdex(args)
            .status(2)
            .stderr_has("docdex.toml: a symlink to")
            .stderr_has("outside the repository")
            .run();
    }
    std::fs::remove_file(repo.path().join("docdex.toml")).unwrap();
    std::os::unix::fs::symlink("config/missing.toml", repo.path().join("docdex.toml")).unwrap();
    repo.commit_all("dangling");
    repo.docdex(&["check", "--rev", "HEAD"])
        .status(2)
        .stderr_has("a symlink to `config/missing.toml`, which the commit does not hold")
        .run();
    assert!(!repo.exists("docs"));
}

#[test]
fn an_index_root_that_is_a_symlink_or_a_submodule_is_refused_in_every_mode() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A:\n    pass\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("a.py_kw.md"),
        "secret\n*Generated by PyTorch Repository Documentation System*\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs")).unwrap();
    repo.commit_all("docs is a symlink out of the repository");
    for args in [
        &["check"][..],
        &["check", "--fix"],
        &["check", "--rev", "HEAD"],
        &["check", "--staged"],
    ] {
        repo.docdex(args)
            .status(2)
            .stderr_has("refusing to read or write pages in docs, which is a symlink")
            .run();
    }
    assert!(std::fs::read_dir(outside.path()).unwrap().count() == 1);

    let sub = TestRepo::new();
    sub.write("README.md", "# A submodule\n").commit_all("sub");
    let repo = TestRepo::new();
    repo.write("a.py", "class A:\n    pass\n");
    repo.add_submodule(&sub, "docs");
    repo.commit_all("docs is a submodule");
    for args in [
        &["check"][..],
        &["check", "--rev", "HEAD"],
        &["check", "--staged"],
    ] {
        repo.docdex(args)
            .status(2)
            .stderr_has("refusing to read or write pages in docs, which is a submodule")
            .run();
    }
}

#[test]
fn stage_keeps_an_executable_page_executable() {
    use std::os::unix::fs::PermissionsExt;
    let repo = one_document();
    let page = repo.path().join("docs/a.py_kw.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o755)).unwrap();
    repo.commit_all("an executable page");
    repo.write("a.py", "class B:\n    pass\n");
    repo.git(&["add", "a.py"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    let staged = repo.git(&["ls-files", "-s", "docs/a.py_kw.md"]);
    assert!(staged.starts_with("100755 "), "{staged}");
    // Staged, and nothing left unstaged (a mode change would show in the second column).
    assert_eq!(
        repo.git(&["status", "--porcelain", "docs"]),
        "M  docs/a.py_kw.md\n"
    );
}

#[test]
fn install_hook_keeps_a_dangling_symlink_hook() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/nonexistent/hook-manager", &hook).unwrap();
    repo.docdex(&["install-hook"])
        .status(2)
        .stderr_has("is a symlink")
        .run();
    assert!(hook.symlink_metadata().unwrap().file_type().is_symlink());
    repo.docdex(&["install-hook", "--force"]).status(0).run();
    assert!(hook.symlink_metadata().unwrap().file_type().is_file());
}

#[test]
fn a_partial_clone_is_named() {
    let repo = one_document();
    repo.git(&["config", "core.repositoryformatversion", "1"]);
    repo.git(&["config", "extensions.partialClone", "origin"]);
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("this is a partial clone (extensions.partialClone)")
        .run();
}

#[test]
fn a_symlinked_folder_under_the_root_is_never_read_through() {
    let repo = TestRepo::new();
    repo.write("torch/x.py", "class X:\n    pass\n");
    repo.fix_and_commit();
    let outside = tempfile::tempdir().unwrap();
    let page = repo.read("docs/torch/x.py_kw.md").unwrap();
    std::fs::write(outside.path().join("x.py_kw.md"), &page).unwrap();
    repo.git(&["rm", "-rq", "docs/torch"]);
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs/torch")).unwrap();
    repo.commit_all("docs/torch is a symlink out of the repository");
    // The page behind the link is not the repository's: missing in every mode.
    for args in [&["check"][..], &["check", "--rev", "HEAD"]] {
        repo.docdex(args)
            .status(1)
            .stdout_has("missing docs/torch/x.py_kw.md")
            .run();
    }
    repo.docdex(&["check", "--fix"])
        .status(2)
        .stderr_has("docs/torch, which is a symlink")
        .run();
}

#[test]
fn ignored_pages_are_explained_with_a_hooks_index_file_too() {
    // Under a hook git sets GIT_INDEX_FILE; each explanation used to read that index
    // again (54 s for 900 pages in a 30,000-file repository, 0.6 s now).
    let repo = TestRepo::new();
    for i in 0..20 {
        repo.write(&format!("gen/d{i}/m.py"), format!("class C{i}: pass\n"));
    }
    repo.write(".gitignore", "docs/gen/\n");
    repo.commit_all("pages of gen/ are ignored");
    let index = repo.path().join(".git/index");
    let done = repo
        .docdex(&["check", "--no-diff"])
        .env("GIT_INDEX_FILE", index.to_str().unwrap())
        .status(1)
        .run();
    let explained = done
        .stdout
        .lines()
        .filter(|l| l.contains("git ignores this path by .gitignore (`docs/gen/`)"))
        .count();
    // Per folder its keyword, folder and subtree pages, and gen/'s own two.
    assert_eq!(explained, 20 * 3 + 2, "{}", done.stdout);
}

#[test]
fn ignored_pages_are_explained_when_thousands_are_asked_about() {
    // Past a thousand missing pages, libgit2 is asked on every thread with a handle of
    // its own: each answer must still be the answer for its own path.
    let repo = TestRepo::new();
    for i in 0..300 {
        repo.write(&format!("gen/d{i}/m.py"), format!("class G{i}: pass\n"));
        repo.write(&format!("src/d{i}/m.py"), format!("class S{i}: pass\n"));
    }
    repo.write(".gitignore", "docs/gen/\ndocs/src/d1*/\n");
    repo.commit_all("pages of gen/ and of src/d1*/ are ignored");
    let done = repo.docdex(&["check", "--no-diff"]).status(1).run();
    let explained = |rule: &str| {
        done.stdout
            .lines()
            .filter(|l| l.contains(&format!("git ignores this path by .gitignore (`{rule}`)")))
            .count()
    };
    // Per folder its keyword, folder and subtree pages, and gen/'s own two; d1, d10 to
    // d19 and d100 to d199 of src/.
    assert_eq!(explained("docs/gen/"), 300 * 3 + 2, "{}", done.stdout);
    assert_eq!(explained("docs/src/d1*/"), 111 * 3, "{}", done.stdout);
    assert!(
        done.stdout
            .contains("missing docs/src/d2/m.py_kw.md (keyword page of src/d2/m.py)\n"),
        "{}",
        done.stdout
    );
}

#[test]
fn a_name_that_is_not_utf8_is_skipped_or_reported_once() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let repo = one_document();
    let latin1 = |name: &[u8]| repo.path().join(OsStr::from_bytes(name));
    std::fs::create_dir_all(latin1(b"assets")).unwrap();
    std::fs::write(latin1(b"assets/caf\xe9.png"), b"\x89PNG").unwrap();
    repo.commit_all("an image with a Latin-1 name");
    // Not a document: nothing to say, in any mode.
    for args in [
        &["check"][..],
        &["check", "--rev", "HEAD"],
        &["check", "--staged"],
    ] {
        repo.docdex(args).status(0).stdout_lacks("UTF-8").run();
    }
    std::fs::create_dir_all(latin1(b"src")).unwrap();
    std::fs::write(latin1(b"src/caf\xe9.py"), b"class Cafe: pass\n").unwrap();
    repo.write("src/ok.py", "class Ok: pass\n");
    repo.git(&["add", "-A"]);
    for args in [&["check"][..], &["check", "--staged"]] {
        repo.docdex(args)
            .status(1)
            .stdout_has("missing docs/src/ok.py_kw.md")
            .stdout_has("left out 1 document whose name is not UTF-8, which no page can link to: src/caf\u{fffd}.py")
            .run();
    }
    repo.write("docdex.toml", "exclude = [\"src/caf*\"]\n");
    repo.commit_all("excluded");
    repo.docdex(&["check", "--rev", "HEAD"])
        .status(1)
        .stdout_lacks("UTF-8")
        .run();
}

/// `git merge side`, which is expected to stop on conflicts.
fn merge_side(repo: &TestRepo) -> std::process::Output {
    let mut merge = std::process::Command::new("git");
    merge.args(["merge", "-q", "side"]).current_dir(repo.path());
    crate::util::isolate(&mut merge, repo.path());
    merge.output().unwrap()
}

/// A merge whose branches each added a document: the documents merge cleanly, the
/// global and subtree indexes conflict.
fn merge_conflicting_in_pages() -> TestRepo {
    let repo = one_document();
    repo.git(&["checkout", "-qb", "side"]);
    repo.write("c.py", "class C:\n    pass\n");
    repo.commit_all("c");
    repo.fix_and_commit();
    repo.git(&["checkout", "-q", "main"]);
    repo.write("b.py", "class B:\n    pass\n");
    repo.commit_all("b");
    repo.fix_and_commit();
    let merge = merge_side(&repo);
    assert!(!merge.status.success(), "the pages should conflict");
    assert!(repo
        .git(&["diff", "--name-only", "--diff-filter=U"])
        .contains("docs/keywords.md"));
    repo
}

#[test]
fn a_merge_that_conflicts_only_in_pages_is_fixed_and_staged() {
    let repo = merge_conflicting_in_pages();
    repo.docdex(&["check"])
        .status(1)
        .stdout_has("stale docs/keywords.md")
        .run();
    repo.docdex(&["check", "--fix"]).status(0).run();
    assert!(!repo.read("docs/keywords.md").unwrap().contains("<<<<<<<"));
    repo.docdex(&["check"]).status(0).run();

    let repo = merge_conflicting_in_pages();
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    assert_eq!(repo.git(&["diff", "--name-only", "--diff-filter=U"]), "");
    repo.git(&["commit", "-q", "--no-edit"]);
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
}

#[test]
fn a_conflicted_document_is_still_refused() {
    let repo = one_document();
    repo.git(&["checkout", "-qb", "side"]);
    repo.write("a.py", "class Side:\n    pass\n");
    repo.commit_all("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.py", "class Main:\n    pass\n");
    repo.commit_all("main");
    let merge = merge_side(&repo);
    assert!(!merge.status.success());
    for args in [
        &["check", "--fix"][..],
        &["check", "--staged", "--fix", "--stage"],
    ] {
        repo.docdex(args)
            .status(2)
            .stderr_has("the index has unmerged paths: a.py (hint")
            .run();
    }
}

#[test]
fn a_page_fixed_outside_a_sparse_checkout_stays_fixed() {
    let repo = TestRepo::new();
    repo.write("pkg/a.py", "class A:\n    pass\n");
    repo.fix_and_commit();
    // Only pkg/ is checked out; the pages are not.
    repo.git(&["sparse-checkout", "set", "--no-cone", "/pkg/"]);
    assert!(!repo.exists("docs/pkg/a.py_kw.md"));
    repo.docdex(&["check"]).status(0).run();
    repo.write("pkg/a.py", "class Renamed:\n    pass\n");
    repo.docdex(&["check"])
        .status(1)
        .stdout_has("stale docs/pkg/a.py_kw.md")
        .run();
    repo.docdex(&["check", "--fix"]).status(0).run();
    assert!(repo
        .read("docs/pkg/a.py_kw.md")
        .unwrap()
        .contains("Renamed"));
    // The file --fix wrote is the page now, as it is to git.
    repo.docdex(&["check"]).status(0).run();
}

#[test]
fn a_bare_repository_with_a_work_tree_is_a_repository_with_that_work_tree() {
    // The "dotfiles" layout: `git --git-dir=~/.cfg --work-tree=~`.
    let dir = tempfile::tempdir().unwrap();
    let (cfg, home) = (dir.path().join("cfg"), dir.path().join("home"));
    std::fs::create_dir_all(&home).unwrap();
    let git = |args: &[&str]| {
        let mut cmd = std::process::Command::new("git");
        cmd.args(args).current_dir(&home);
        crate::util::isolate(&mut cmd, &home);
        cmd.env("GIT_DIR", &cfg).env("GIT_WORK_TREE", &home);
        assert!(cmd.status().unwrap().success(), "git {args:?}");
    };
    let mut init = std::process::Command::new("git");
    init.args(["init", "-q", "--bare", cfg.to_str().unwrap()]);
    assert!(init.status().unwrap().success());
    std::fs::write(home.join("a.py"), "class A: pass\n").unwrap();
    git(&["add", "a.py"]);
    git(&["commit", "-qm", "a"]);
    let docdex = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docdex"));
        cmd.args(args).current_dir(&home);
        crate::util::isolate(&mut cmd, &home);
        cmd.env("GIT_DIR", &cfg).env("GIT_WORK_TREE", &home);
        cmd.output().unwrap()
    };
    let check = docdex(&["check", "--no-diff"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("missing docs/a.py_kw.md"));
    assert_eq!(docdex(&["check", "--fix"]).status.code(), Some(0));
    assert!(
        home.join("docs/a.py_kw.md").is_file(),
        "written in the work tree"
    );
    assert!(!cfg.join("docs").exists(), "never inside the git directory");
    git(&["add", "-A"]);
    assert_eq!(docdex(&["check", "--staged"]).status.code(), Some(0));
}

/// The peak RSS in KiB of `docdex ARGS` run in `repo`, read with wait4 (std cannot).
#[allow(unsafe_code, clippy::zombie_processes)]
fn peak_rss_kib(repo: &TestRepo, args: &[&str]) -> (i32, u64) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docdex"));
    cmd.args(args)
        .current_dir(repo.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    crate::util::isolate(&mut cmd, repo.path());
    let child = cmd.spawn().unwrap();
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value of a plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64)
}

/// This process's own peak RSS in KiB: a spawned child starts from it (vfork shares
/// the memory map until exec, and Linux carries its high-water mark across exec).
fn own_peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_large_document_git_converts_is_streamed_not_held() {
    // 64 MiB of CRLF text, changed on disk, under each kind of conversion: git's
    // stored size is known only after converting, and the conversion used to hold the
    // whole file (and copies of it).
    let repo = TestRepo::new();
    repo.write("docdex.toml", "pages = [\"keyword\", \"docs\"]\n");
    repo.write("big.py", "x = 1\n");
    repo.fix_and_commit();
    // Written a line at a time, so this process never holds it (see own_peak_rss_kib).
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(repo.path().join("big.py")).unwrap());
    let line = b"def function_0000000():\r\n    return 1\r\n";
    for _ in 0..64 * 1024 * 1024 / line.len() {
        std::io::Write::write_all(&mut file, line).unwrap();
    }
    drop(file);
    for attributes in ["* text=auto\n", "* text eol=crlf ident\n", "* filter=lfs\n"] {
        repo.write(".gitattributes", attributes);
        repo.git(&["config", "filter.lfs.clean", "git-lfs clean -- %f"]);
        let bound = (40 * 1024).max(own_peak_rss_kib() + 4 * 1024);
        let (status, peak) = peak_rss_kib(&repo, &["check", "--no-diff"]);
        assert_eq!(status, 1, "{attributes}");
        assert!(
            peak < bound,
            "{attributes}: peak RSS {peak} KiB for a 64 MiB document (bound {bound} KiB)"
        );
    }
}

#[test]
fn a_first_adoption_check_does_not_hold_the_pages_it_reports() {
    // 300 documents of 64 KiB with the content kinds on: every documentation page
    // embeds its document, so the expected pages of a first adoption hold 19 MiB.
    let repo = TestRepo::new();
    repo.write(
        "docdex.toml",
        "pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n",
    );
    for doc in 0..300 {
        let mut text = String::new();
        while text.len() < 64 * 1024 {
            text += &format!("def function_{doc}_{}():\n    return {doc}\n", text.len());
        }
        repo.write(&format!("pkg{}/m{doc}.py", doc % 10), text);
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "documents"]);
    let (status, missing) = peak_rss_kib(&repo, &["check"]);
    assert_eq!(status, 1);
    repo.docdex(&["check", "--fix", "-q"]).status(0).run();
    let (status, fresh) = peak_rss_kib(&repo, &["check"]);
    assert_eq!(status, 0);
    assert!(
        missing < fresh + 8 * 1024,
        "every page missing: {missing} KiB; every page fresh: {fresh} KiB"
    );
}

#[test]
fn a_large_document_under_the_index_root_is_scanned_not_held() {
    // Under the root a document is read to tell whether the generator wrote it (a page
    // of a page): 64 MiB of CRLF text with text=auto, changed on disk, scanned in chunks.
    let repo = TestRepo::new();
    repo.write(".gitattributes", "* text=auto\n");
    repo.write("docs/big.md", "Small\n");
    repo.fix_and_commit();
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(repo.path().join("docs/big.md")).unwrap());
    let line = b"Some Words On A Line\r\n";
    for _ in 0..64 * 1024 * 1024 / line.len() {
        std::io::Write::write_all(&mut file, line).unwrap();
    }
    drop(file);
    let bound = (40 * 1024).max(own_peak_rss_kib() + 4 * 1024);
    let (status, peak) = peak_rss_kib(&repo, &["check", "--no-diff"]);
    assert_eq!(status, 1);
    assert!(
        peak < bound,
        "peak RSS {peak} KiB for a 64 MiB document (bound {bound} KiB)"
    );
}
