//! Hostile input and awkward repository states: nothing crashes, nothing is lost,
//! nothing is half-written, and every error is one line with what to do.

use crate::util::TestRepo;

#[test]
fn awkward_contents_never_crash_and_fix_converges() {
    let repo = TestRepo::new();
    let mut big = b"Huge ".repeat(2_200_000); // 11 MB: over the 10 MiB limit
    big.extend_from_slice(b"Hidden\n");
    let many_lines = "lower case\n".repeat(9_999) + "Kept\nDropped\n" + &"more\n".repeat(100);
    repo.write("binary.txt", b"Alpha\x00\x01\x02\xff\xfe Beta\x00")
        .write("invalid.md", b"Valid \xc3\x28 Broken\xff Word\n")
        .write("big.txt", &big)
        .write("many.txt", many_lines)
        .write(
            "crlf.py",
            "class Windows:\r\n    def run(self):\r\n        pass\r\n",
        )
        .write("cr.py", "class OldMac:\r    def run(self): pass\r")
        .write("bom.md", "\u{feff}Bom Start\n")
        .write("empty.py", "");
    repo.commit_all("awkward documents");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check"]).status(0).run();
    let page = |p: &str| repo.read(&format!("docs/{p}_kw.md")).unwrap();
    assert!(page("binary.txt").contains("`Alpha`") && page("binary.txt").contains("`Beta`"));
    assert!(page("invalid.md").contains("`Broken`") && page("invalid.md").contains("`Word`"));
    let big_page = page("big.txt");
    assert!(big_page.contains("- **`File`**"), "summarised, not read");
    assert!(!big_page.contains("`Huge`") && !big_page.contains("`Hidden`"));
    assert!(
        page("many.txt").contains("`Kept`"),
        "line 10,000 is scanned"
    );
    assert!(
        !page("many.txt").contains("`Dropped`"),
        "line 10,001 is not"
    );
    assert!(page("crlf.py").contains("`Windows`") && page("cr.py").contains("`OldMac`"));
    assert!(page("bom.md").contains("`Bom`"));
    assert!(page("empty.py").contains("*No keywords automatically extracted."));
    repo.commit_all("pages");
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
}

#[test]
fn awkward_names_round_trip() {
    let repo = TestRepo::new();
    let deep = (0..40)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/");
    for name in [
        "with space.py",
        "ünïcødé.md",
        "-leading-dash.py",
        "quo'te\"s.py",
        &format!("{deep}/deep.py"),
    ] {
        repo.write(name, "class Named: pass\n");
    }
    repo.commit_all("names");
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("wrote docs/with space.py_kw.md")
        .stdout_has("wrote docs/ünïcødé.md_kw.md")
        .stdout_has("wrote docs/-leading-dash.py_kw.md")
        // A double quote makes git quote the name; docdex prints it the same way.
        .stdout_has(r#"wrote "docs/quo'te\"s.py_kw.md""#)
        .run();
    repo.docdex(&["check"]).status(0).run();
    repo.docdex(&["show", "--", "-leading-dash.py"])
        .status(0)
        .stdout_has("# Keyword Index: `-leading-dash.py`")
        .run();
    assert!(repo.exists(&format!("docs/{deep}/deep.py_kw.md")));
}

#[test]
fn staged_fix_prints_a_git_add_line_that_a_shell_can_run() {
    let repo = TestRepo::new();
    repo.write("it's here.py", "class A: pass\n");
    repo.git(&["add", "-A"]);
    let done = repo
        .docdex(&["check", "--staged", "--fix", "--no-diff"])
        .status(1)
        .run();
    let line = done
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("git add"))
        .unwrap()
        .trim()
        .to_owned();
    let status = std::process::Command::new("sh")
        .args(["-c", &line])
        .current_dir(repo.path())
        .status()
        .unwrap();
    assert!(status.success(), "{line}");
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn a_directory_in_the_way_is_reported_and_the_rest_is_fixed() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n")
        .write("b.py", "class B: pass\n");
    repo.commit_all("documents");
    std::fs::create_dir_all(repo.path().join("docs/a.py_kw.md/inside")).unwrap();
    let done = repo
        .docdex(&["check", "--fix", "--no-diff"])
        .status(2)
        .stderr_has("could not fix 1 page: docs/a.py_kw.md: a directory is where the page belongs")
        .run();
    assert_eq!(done.stderr.lines().count(), 1, "{}", done.stderr);
    assert!(
        repo.exists("docs/b.py_kw.md"),
        "the other pages are still fixed"
    );
    assert!(
        repo.path().join("docs/a.py_kw.md/inside").is_dir(),
        "nothing of the user's is removed"
    );
    assert!(!repo.listing().iter().any(|f| f.contains(".docdex-")));
}

#[test]
fn a_held_index_lock_stops_staging_before_anything_is_written() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n");
    repo.git(&["add", "-A"]);
    let before = std::fs::read(repo.path().join(".git/index")).unwrap();
    repo.write(".git/index.lock", "");
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(2)
        .stderr_has("index.lock exists")
        .run();
    assert_eq!(
        std::fs::read(repo.path().join(".git/index")).unwrap(),
        before
    );
    assert!(
        !repo.exists("docs"),
        "no page written when the index cannot take them"
    );
}

#[test]
fn concurrent_fixes_never_corrupt_a_page() {
    let repo = TestRepo::new();
    for i in 0..40 {
        repo.write(&format!("m/f{i}.py"), format!("class K{i}: pass\n"));
    }
    repo.commit_all("documents");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
            .args(["check", "--fix", "--no-diff"])
            .current_dir(repo.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut one, mut two) = (spawn(), spawn());
    assert!(one.wait().unwrap().success());
    assert!(two.wait().unwrap().success());
    repo.docdex(&["check"]).status(0).run();
    assert!(!repo.listing().iter().any(|f| f.contains(".docdex-")));
}

#[test]
fn detached_head_works_like_any_commit() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo.git(&["checkout", "-q", "--detach", "HEAD"]);
    repo.docdex(&["check"]).status(0).run();
    repo.write("a.py", "class B: pass\n");
    repo.git(&["add", "a.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/a.py_kw.md")
        .run();
}

#[test]
fn merge_conflicts_name_the_unmerged_paths() {
    let repo = TestRepo::new();
    repo.write("a.py", "class Base: pass\n");
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.write("a.py", "class Other: pass\n");
    repo.commit_all("other");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.py", "class Mine: pass\n");
    repo.commit_all("mine");
    let merge = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@e",
            "merge",
            "-q",
            "other",
        ])
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge must conflict");
    for args in [vec!["check", "--staged"], vec!["check"]] {
        repo.docdex(&args)
            .status(2)
            .stderr_has("the index has unmerged paths: a.py")
            .stderr_has("resolve the conflicts")
            .run();
    }
}

#[test]
fn a_shallow_clone_without_the_merge_base_says_to_fetch_more() {
    let origin = TestRepo::new();
    origin.write("a.py", "class A: pass\n");
    origin.commit_all("root");
    origin.commit_all("second");
    origin.git(&["checkout", "-q", "-b", "feature"]);
    origin.write("b.py", "class B: pass\n");
    origin.commit_all("feature 1");
    origin.commit_all("feature 2");
    origin.git(&["checkout", "-q", "main"]);
    origin.write("c.py", "class C: pass\n");
    origin.commit_all("main moves on");
    let clone = TestRepo::new();
    let url = format!("file://{}", origin.path().display());
    clone.git(&[
        "fetch",
        "-q",
        "--depth",
        "1",
        &url,
        "main:refs/remotes/origin/main",
        "feature:refs/remotes/origin/feature",
    ]);
    clone.git(&["checkout", "-q", "-b", "feature", "origin/feature"]);
    clone
        .docdex(&["check", "--base", "origin/main"])
        .status(2)
        .stderr_has("this is a shallow clone")
        .stderr_has("fetch-depth: 0")
        .run();
}

#[test]
fn a_bare_repository_checks_commits_but_has_no_working_tree() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    let bare = tempfile::tempdir().unwrap();
    let target = bare.path().join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", target.to_str().unwrap()]);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
            .args(args)
            .current_dir(&target)
            .output()
            .unwrap()
    };
    let ok = run(&["check", "--rev", "HEAD"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for args in [&["check"][..], &["check", "--staged"][..]] {
        let no = run(args);
        assert_eq!(no.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&no.stderr);
        assert!(
            stderr.contains("bare repository") && stderr.contains("--rev"),
            "{stderr}"
        );
    }
}

#[test]
fn linked_worktrees_submodules_symlinks_and_sparse_checkouts() {
    let repo = TestRepo::new();
    repo.write("pkg/a.py", "class A: pass\n")
        .write("other/b.py", "class B: pass\n");
    std::os::unix::fs::symlink("/etc/hostname", repo.path().join("pkg/link.py")).unwrap();
    repo.commit_all("documents");
    let sub = TestRepo::new();
    sub.write("inner.py", "class Inner: pass\n");
    sub.commit_all("sub");
    repo.add_submodule(&sub, "vendored");
    repo.commit_all("submodule");
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_lacks("link.py")
        .stdout_lacks("inner.py")
        .run();
    repo.commit_all("pages");
    for args in [vec!["check"], vec!["check", "--rev", "HEAD"]] {
        repo.docdex(&args).status(0).run();
    }

    // A linked worktree checks itself.
    let linked = tempfile::tempdir().unwrap();
    let wt = linked.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    std::fs::write(wt.join("pkg/a.py"), "class Changed: pass\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
        .args(["check", "--no-diff"])
        .current_dir(&wt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stale docs/pkg/a.py_kw.md"));
    repo.docdex(&["check"]).status(0).run();

    // A sparse checkout leaves files out of the work tree, not out of the repository.
    repo.git(&["sparse-checkout", "set", "--no-cone", "/pkg/", "/docs/"]);
    assert!(!repo.exists("other/b.py"));
    repo.docdex(&["check"]).status(0).run();
}

#[test]
fn gitattributes_crlf_pages_are_written_as_git_would_check_them_out() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.md text eol=crlf\n");
    repo.write("a.py", "class A: pass\n");
    repo.commit_all("documents");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    let page = std::fs::read(repo.path().join("docs/a.py_kw.md")).unwrap();
    assert!(page.windows(2).filter(|w| w == b"\r\n").count() > 10);
    repo.docdex(&["check"]).status(0).run();
    repo.commit_all("pages");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
    repo.docdex(&["check", "--staged"]).status(0).run();
}

/// Runs a command as the test's root-only helpers need it; `false` when it cannot run.
fn try_run(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn an_immutable_page_is_reported_and_left_intact() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n")
        .write("b.py", "class B: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo.write("a.py", "class A2: pass\n")
        .write("b.py", "class B2: pass\n");
    let page = repo.path().join("docs/a.py_kw.md");
    let before = std::fs::read(&page).unwrap();
    if !try_run("chattr", &["+i", page.to_str().unwrap()]) {
        eprintln!("skipped: chattr +i is not available here (needs root and a file system that supports it)");
        return;
    }
    let done = repo
        .docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(2)
        .stderr_has("could not fix 1 page: docs/a.py_kw.md:")
        .run();
    try_run("chattr", &["-i", page.to_str().unwrap()]);
    assert!(
        done.stdout.contains("wrote docs/b.py_kw.md"),
        "{}",
        done.stdout
    );
    assert_eq!(
        std::fs::read(&page).unwrap(),
        before,
        "the committed page is intact"
    );
    assert!(
        !repo.listing().iter().any(|f| f.contains(".docdex-")),
        "no temporary file left"
    );
}

/// A tmpfs of a given size, unmounted on drop.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().to_str().unwrap().to_owned();
        try_run(
            "mount",
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                &target,
            ],
        )
        .then_some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        try_run("umount", &[self.0.path().to_str().unwrap()]);
    }
}

#[test]
fn a_full_disk_is_reported_and_leaves_pages_and_tree_intact() {
    let Some(disk) = SmallDisk::mount("4m") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let dir = disk.0.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    let on_disk = TestRepo::at(&dir);
    let git = |args: &[&str]| {
        on_disk.git(args);
    };
    git(&["init", "-q", "."]);
    for i in 0..20 {
        std::fs::write(dir.join(format!("m{i}.py")), format!("class K{i}: pass\n")).unwrap();
    }
    let docdex = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    assert!(docdex(&["check", "--fix"]).status.success());
    git(&["add", "-A"]);
    git(&["commit", "-qm", "pages"]);
    for i in 0..20 {
        std::fs::write(
            dir.join(format!("m{i}.py")),
            format!("class Renamed{i}: pass\n"),
        )
        .unwrap();
    }
    let pages_before: Vec<Vec<u8>> = (0..20)
        .map(|i| std::fs::read(dir.join(format!("docs/m{i}.py_kw.md"))).unwrap())
        .collect();
    // Fill the disk.
    let filler = disk.0.path().join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut file, &block).is_ok() {}
    let _ = std::io::Write::write_all(&mut file, &[0u8; 1]);
    drop(file);

    let out = docdex(&["check", "--fix", "--no-diff"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not fix") && stderr.contains("No space left on device"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for (i, before) in pages_before.iter().enumerate() {
        let now = std::fs::read(dir.join(format!("docs/m{i}.py_kw.md"))).unwrap();
        assert!(
            &now == before || now.starts_with(b"# Keyword Index"),
            "page {i} is whole"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("docs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".docdex-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    std::fs::remove_file(&filler).unwrap();
    assert!(docdex(&["check", "--fix"]).status.success());
    assert!(docdex(&["check"]).status.success());
}
