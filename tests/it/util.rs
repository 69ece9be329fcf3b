//! The test harness: throwaway git repositories and a builder that runs docdex in them
//! and asserts status, stdout and stderr together, dumping everything on failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A git repository in a temporary directory (or an existing one, read-only use),
/// isolated from the user's git config.
pub struct TestRepo {
    dir: Dir,
}

enum Dir {
    Temp(tempfile::TempDir),
    Existing(PathBuf),
}

/// Environment that isolates `git` (and docdex) from the machine's configuration, with
/// a fixed author, committer and date.
pub fn isolate(cmd: &mut Command, home: &Path) {
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", home)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .env_remove("GIT_CEILING_DIRECTORIES");
}

impl TestRepo {
    /// An empty repository on branch `main`.
    pub fn new() -> TestRepo {
        let repo = TestRepo {
            dir: Dir::Temp(tempfile::tempdir().expect("temp dir")),
        };
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo
    }

    /// An existing repository, e.g. this one, for running git in it.
    pub fn at(path: &Path) -> TestRepo {
        TestRepo {
            dir: Dir::Existing(path.to_path_buf()),
        }
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        match &self.dir {
            Dir::Temp(dir) => dir.path(),
            Dir::Existing(path) => path,
        }
    }

    /// Writes a file (creating folders), relative to the work tree.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    /// Reads a file of the work tree, if it exists.
    pub fn read(&self, path: &str) -> Option<String> {
        std::fs::read(self.path().join(path))
            .ok()
            .map(|b| String::from_utf8(b).unwrap())
    }

    /// Whether a path exists in the work tree.
    pub fn exists(&self, path: &str) -> bool {
        self.path().join(path).exists()
    }

    /// Removes a file from the work tree.
    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.path().join(path)).unwrap();
        self
    }

    /// Runs git in the work tree and returns its stdout; panics when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_with(&[], args)
    }

    /// Like [`TestRepo::git`], with extra environment variables.
    pub fn git_with(&self, env: &[(&str, &std::ffi::OsStr)], args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(self.path());
        isolate(&mut cmd, self.path());
        cmd.envs(env.iter().copied());
        let output = cmd.output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// `git submodule add` of another test repository at `path` (file transport allowed).
    pub fn add_submodule(&self, sub: &TestRepo, path: &str) -> &Self {
        self.git(&[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().unwrap(),
            path,
        ]);
        self
    }

    /// `git add -A && git commit`.
    pub fn commit_all(&self, message: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self
    }

    /// A docdex invocation in the work tree.
    pub fn docdex(&self, args: &[&str]) -> Run {
        Run::new(self.path().to_path_buf(), args)
    }

    /// Every file of the work tree outside `.git`, for failure dumps.
    pub fn listing(&self) -> Vec<String> {
        let mut files = Vec::new();
        walk(self.path(), self.path(), &mut files);
        files.sort();
        files
    }

    /// Runs `docdex check --fix` then commits everything: a clean starting point.
    pub fn fix_and_commit(&self) -> &Self {
        self.docdex(&["check", "--fix", "--no-diff"])
            .status(0)
            .run();
        self.commit_all("pages")
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// One docdex run and what it must produce.
pub struct Run {
    cwd: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    status: Option<i32>,
    stdout_has: Vec<String>,
    stdout_lacks: Vec<String>,
    stderr_has: Vec<String>,
    stderr_empty: bool,
}

/// The output of a finished run.
pub struct Done {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Run {
    fn new(cwd: PathBuf, args: &[&str]) -> Run {
        Run {
            cwd,
            args: args.iter().map(|s| s.to_string()).collect(),
            env: Vec::new(),
            status: None,
            stdout_has: Vec::new(),
            stdout_lacks: Vec::new(),
            stderr_has: Vec::new(),
            stderr_empty: true,
        }
    }

    /// Runs from a subdirectory of the work tree.
    pub fn in_dir(mut self, sub: &str) -> Run {
        self.cwd = self.cwd.join(sub);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The exit code it must end with.
    pub fn status(mut self, code: i32) -> Run {
        self.status = Some(code);
        if code == 2 {
            self.stderr_empty = false;
        }
        self
    }

    /// Text stdout must contain.
    pub fn stdout_has(mut self, text: &str) -> Run {
        self.stdout_has.push(text.into());
        self
    }

    /// Text stdout must not contain.
    pub fn stdout_lacks(mut self, text: &str) -> Run {
        self.stdout_lacks.push(text.into());
        self
    }

    /// Text stderr must contain (an error run).
    pub fn stderr_has(mut self, text: &str) -> Run {
        self.stderr_has.push(text.into());
        self.stderr_empty = false;
        self
    }

    /// Like [`Run::run`], for runs whose stderr is expected but not pinned (clap usage).
    pub fn run_allowing_stderr(mut self) -> Done {
        self.stderr_empty = false;
        self.run()
    }

    /// Runs docdex and checks every expectation, dumping the whole run on failure.
    pub fn run(self) -> Done {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_docdex"));
        cmd.args(&self.args).current_dir(&self.cwd);
        isolate(&mut cmd, &self.cwd);
        // What the caller's environment would otherwise decide (a test suite run by CI,
        // or under the pre-commit framework): each test sets what it means.
        for key in [
            "NO_COLOR",
            "FORCE_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "GITHUB_ACTIONS",
            "PRE_COMMIT",
            "PRE_COMMIT_FROM_REF",
            "PRE_COMMIT_TO_REF",
        ] {
            cmd.env_remove(key);
        }
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("docdex runs");
        let done = Done {
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
            status: status.code().unwrap_or(-1),
        };
        let mut problems = Vec::new();
        if let Some(code) = self.status {
            if done.status != code {
                problems.push(format!("exit {} instead of {code}", done.status));
            }
        }
        for text in &self.stdout_has {
            if !done.stdout.contains(text.as_str()) {
                problems.push(format!("stdout lacks {text:?}"));
            }
        }
        for text in &self.stdout_lacks {
            if done.stdout.contains(text.as_str()) {
                problems.push(format!("stdout has {text:?}"));
            }
        }
        for text in &self.stderr_has {
            if !done.stderr.contains(text.as_str()) {
                problems.push(format!("stderr lacks {text:?}"));
            }
        }
        if self.stderr_empty && !done.stderr.is_empty() {
            problems.push("stderr is not empty".into());
        }
        if !problems.is_empty() {
            let root = git_root(&self.cwd);
            let listing = root
                .as_deref()
                .map(|r| {
                    let mut files = Vec::new();
                    walk(r, r, &mut files);
                    files.sort();
                    files.join("\n  ")
                })
                .unwrap_or_default();
            panic!(
                "docdex {:?} in {}:\n- {}\n--- status {}\n--- stdout\n{}\n--- stderr\n{}\n--- files\n  {}",
                self.args,
                self.cwd.display(),
                problems.join("\n- "),
                done.status,
                done.stdout,
                done.stderr,
                listing
            );
        }
        done
    }
}

fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `../shared/reference`, the old generator's real pages (beside the repository, not in
/// it). Only tests ignored unless asked for call it, so its absence is an error.
pub fn shared_reference() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    assert!(
        path.is_dir(),
        "{} is absent: run this test where the reference pages are",
        path.display()
    );
    path
}

/// The repository's own `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Copies a directory tree into the work tree of `repo` under `dest`.
pub fn copy_tree(from: &Path, repo: &TestRepo, dest: &str) {
    let mut files = Vec::new();
    walk(from, from, &mut files);
    for file in files {
        let bytes = std::fs::read(from.join(&file)).unwrap();
        let target = if dest.is_empty() {
            file.clone()
        } else {
            format!("{dest}/{file}")
        };
        repo.write(&target, bytes);
    }
}

/// A page edited by hand that still carries the generator's footer line, so docdex
/// treats it as its own (docs/format.md, "Terms": generated): `text` and the footer.
pub fn hand_edited(text: &str) -> String {
    format!("{text}\n---\n\n*Generated by PyTorch Repository Documentation System*\n")
}

/// `PATH` with the docdex under test first, as a user's shell would have it.
pub fn path_with_docdex() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_docdex")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A finished command's stdout followed by its stderr, for messages and searches.
pub fn combined_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A Python venv made in `dir` with `packages` installed from PyPI: its `bin` folder,
/// or why it could not be made.
pub fn python_venv(dir: &Path, packages: &[&str]) -> Result<PathBuf, String> {
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(dir)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return Err("python3 -m venv is not available".to_owned());
    }
    let bin = dir.join("bin");
    if !packages.is_empty() {
        let pip = Command::new(bin.join("pip"))
            .args(["install", "-q"])
            .args(packages)
            .status();
        if !pip.is_ok_and(|s| s.success()) {
            return Err(format!("pip could not install {}", packages.join(", ")));
        }
    }
    Ok(bin)
}

/// The release builds that tests make of docdex itself (the pre-commit framework's
/// `cargo install`, pip's wheel build) share one target folder and skip LTO, so the
/// second reuses what the first compiled and neither spends minutes on LTO.
pub fn shared_release_build(cmd: &mut Command) -> &mut Command {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    cmd.env("CARGO_TARGET_DIR", manifest.join("target/pre-commit-test"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
}
