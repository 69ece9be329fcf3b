//! Byte-exact pages: the repository's own fixtures (checked against an independent
//! Python oracle, `fixtures/oracle.py`) and the real pages of `../shared/reference`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::{copy_tree, fixtures, shared_reference, TestRepo};

fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Copies `fixtures/NAME/repo` into a fresh repository, fixes it, and compares every
/// page with `fixtures/NAME/expected` byte for byte (and no other page may appear).
fn check_fixture(name: &str) -> impl Fn(&str) -> String {
    let fixture = fixtures().join(name);
    let repo = TestRepo::new();
    copy_tree(&fixture.join("repo"), &repo, "");
    repo.commit_all("documents");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    let expected_dir = fixture.join("expected");
    let expected = files_under(&expected_dir);
    let written = files_under(&repo.path().join("docs"));
    let expected_docs: BTreeSet<String> = expected
        .iter()
        .map(|p| p.strip_prefix("docs/").unwrap().to_owned())
        .collect();
    assert_eq!(
        written, expected_docs,
        "docdex wrote other pages than the oracle"
    );
    for page in &expected {
        let want = std::fs::read(expected_dir.join(page)).unwrap();
        let got = std::fs::read(repo.path().join(page)).unwrap();
        assert!(
            want == got,
            "{page} differs from the oracle:\n--- oracle\n{}\n--- docdex\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got)
        );
    }
    repo.docdex(&["check"]).status(0).run();
    move |page: &str| std::fs::read_to_string(expected_dir.join(page)).unwrap()
}

#[test]
fn keyword_fixture_pages_match_the_oracle_byte_for_byte() {
    let read = check_fixture("keywords");
    // Each keyword kind is covered.
    assert!(read("docs/app/models.py_kw.md").contains("### Classs"));
    assert!(read("docs/native/tensor.cpp_kw.md").contains("### Class/Structs"));
    assert!(read("docs/notes/small.md_kw.md").contains("### Identifiers"));
    assert_eq!(
        read("docs/notes/large.txt_kw.md").matches("- **`").count(),
        100,
        "the >100 identifier fixture keeps exactly 100"
    );
    assert!(read("docs/app/__init__.py_kw.md").contains("*No keywords automatically extracted."));
    assert!(read("docs/notes/plain.yaml_kw.md").contains("*No keywords automatically extracted."));
}

#[test]
fn folder_fixture_pages_match_the_oracle_byte_for_byte() {
    let read = check_fixture("folders");
    // Each template branch is covered.
    assert!(read("docs/leaf/deeper/index.md").contains("*No subfolders.*"));
    assert!(read("docs/only/index.md").contains("*No files in this folder.*"));
    assert!(read("docs/leaf/index.md").contains("| Package initialization |"));
    assert!(read("docs/leaf/index.md").contains("| Test file |"));
    assert!(read("docs/leaf/index.md").contains("| Configuration |"));
    let global = read("docs/keywords.md");
    assert!(global.contains("- **NOTES.md**: [NOTES.md](.//NOTES.md_docs.md)"));
    assert!(global.contains("\n### \u{c9}\n"), "non-ASCII letters group");
    assert!(!global.contains("1_setup.py") && !global.contains("_private.py"));
    assert!(!global.contains(".eslintrc.json"), "a dot is not a letter");
    let root_sub = read("docs/sub.md");
    assert!(
        root_sub.contains("\n### Makefile\n") && !root_sub.contains("\n### files-\n"),
        "a name without an extension has its stem key and no files- key (docs/format.md, \"The pages\")"
    );
    assert!(
        root_sub.contains("\n### \n"),
        "names starting with a dot have an empty key"
    );
    assert!(root_sub.contains("](.github/workflows/ci.yml_docs.md)"));
    assert!(
        !root_sub.contains("gen.py") && !root_sub.contains("a.js") && !root_sub.contains("h.md")
    );
}

/// The peer sample's documents (sources, `*_docs.md`, `doc.md`) in a fresh repository,
/// with empty files for the four sources that could not be recovered.
fn peer_repo(reference: &Path) -> TestRepo {
    let sample = reference.join("peer-sample");
    let folder = "torch/_functorch/_aot_autograd";
    let repo = TestRepo::new();
    copy_tree(&sample.join(folder), &repo, folder);
    let docs = sample.join("docs").join(folder);
    for entry in std::fs::read_dir(&docs).unwrap().flatten() {
        let name = entry.file_name().into_string().unwrap();
        if name.ends_with("_docs.md") || name == "doc.md" {
            repo.write(
                &format!("docs/{folder}/{name}"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    for missing in [
        "schemas",
        "graph_capture_wrappers",
        "graph_compile",
        "runtime_wrappers",
    ] {
        let path = format!("{folder}/{missing}.py");
        assert!(
            !repo.exists(&path),
            "{path} is in the sample now: compare it too"
        );
        repo.write(&path, "");
    }
    repo.commit_all("peer sample documents");
    repo
}

/// [`peer_repo`] after `docdex check --fix`.
fn fixed_peer_repo(reference: &Path) -> TestRepo {
    let repo = peer_repo(reference);
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo
}

#[test]
#[ignore = "needs ../shared/reference beside the repository; .ci/run runs it when that is there"]
fn reference_keyword_and_folder_pages_are_byte_exact() {
    let reference = shared_reference();
    let repo = fixed_peer_repo(&reference);
    let folder = "torch/_functorch/_aot_autograd";
    let sample = reference.join("peer-sample");
    let mut exact = 0;
    for entry in std::fs::read_dir(sample.join(folder)).unwrap().flatten() {
        let name = entry.file_name().into_string().unwrap();
        let page = format!("docs/{folder}/{name}_kw.md");
        let want = std::fs::read(sample.join(&page)).unwrap();
        let got = std::fs::read(repo.path().join(&page)).unwrap();
        assert!(want == got, "{page} differs from the reference");
        exact += 1;
    }
    assert_eq!(exact, 14, "14 of 18 sources are in the sample (NOTES.md)");
    let index = format!("docs/{folder}/index.md");
    assert_eq!(
        std::fs::read_to_string(sample.join(&index)).unwrap(),
        repo.read(&index).unwrap(),
        "{index} differs from the reference"
    );
}

/// `### KEY` → the set of lines under it, for comparing sub.md without its order.
fn sections(page: &str) -> (Vec<String>, BTreeMap<String, BTreeSet<String>>) {
    let mut order = Vec::new();
    let mut lines: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = String::from("<preamble>");
    for line in page.lines() {
        if let Some(key) = line.strip_prefix("### ") {
            current = key.to_owned();
            order.push(current.clone());
        } else {
            lines
                .entry(current.clone())
                .or_default()
                .insert(line.to_owned());
        }
    }
    (order, lines)
}

#[test]
#[ignore = "needs ../shared/reference beside the repository; .ci/run runs it when that is there"]
fn reference_subtree_index_matches_up_to_its_walk_order() {
    let reference = shared_reference();
    let repo = TestRepo::new();
    // The reference sub.md was generated over the sources only.
    let folder = "torch/_functorch/_aot_autograd";
    copy_tree(&reference.join("peer-sample").join(folder), &repo, folder);
    for missing in [
        "schemas",
        "graph_capture_wrappers",
        "graph_compile",
        "runtime_wrappers",
    ] {
        repo.write(&format!("{folder}/{missing}.py"), "");
    }
    repo.commit_all("sources");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    let page = format!("docs/{folder}/sub.md");
    let want = std::fs::read_to_string(reference.join("peer-sample").join(&page)).unwrap();
    let got = repo.read(&page).unwrap();
    assert_eq!(sections(&want), sections(&got));
    // docdex's order inside a key is byte order of path.
    let listed: Vec<&str> = got.lines().filter(|l| l.starts_with("- [`")).collect();
    let files_py: Vec<&str> = got
        .split("### files-.py\n\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    let mut sorted = files_py.clone();
    sorted.sort();
    assert_eq!(files_py, sorted);
    assert!(listed.len() > 18);
}

#[test]
#[ignore = "needs ../shared/reference beside the repository; .ci/run runs it when that is there"]
fn reference_docs_of_docs_page_has_the_seed_skeleton_and_the_frequency_rule() {
    let reference = shared_reference();
    let repo = fixed_peer_repo(&reference);
    let page_path = "docs/docs/torch/_functorch/_aot_autograd/utils.py_docs.md_kw.md";
    let got = repo.read(page_path).unwrap();
    let seed = std::fs::read_to_string(reference.join("seed_keyword_page.md")).unwrap();
    let is_keyword = |l: &&str| l.starts_with("- **`");
    let skeleton = |page: &str| {
        page.lines()
            .filter(|l| !is_keyword(l))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        skeleton(&got),
        skeleton(&seed),
        "same skeleton as the seed page"
    );

    let kept: BTreeSet<String> = got
        .lines()
        .filter(is_keyword)
        .map(|l| l["- **`".len()..l.find("`**").unwrap()].to_owned())
        .collect();
    assert_eq!(kept.len(), 100);
    let input = std::fs::read_to_string(
        reference.join("peer-sample/docs/torch/_functorch/_aot_autograd/utils.py_docs.md"),
    )
    .unwrap();
    let word = regex::Regex::new(r"\b[A-Z][a-zA-Z0-9_]*\b").unwrap();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in word.find_iter(&input) {
        *counts.entry(m.as_str()).or_default() += 1;
    }
    assert_eq!(
        counts.len(),
        137,
        "NOTES.md: 137 distinct capitalised words"
    );
    // Every dropped word is rarer than every kept one, or as frequent and later in byte order.
    for (dropped, &n) in counts.iter().filter(|(w, _)| !kept.contains(**w)) {
        for kept_word in &kept {
            let k = counts[kept_word.as_str()];
            assert!(
                k > n || (k == n && kept_word.as_str() < *dropped),
                "{dropped} ({n}) should not lose to {kept_word} ({k})"
            );
        }
    }
    // The seed kept an arbitrary 100; every word of it occurs in the input.
    for line in seed.lines().filter(is_keyword) {
        let w = &line["- **`".len()..line.find("`**").unwrap()];
        assert!(counts.contains_key(w), "{w}");
    }
}

#[test]
#[ignore = "needs ../shared/reference beside the repository; .ci/run runs it when that is there"]
fn reference_sample_fixes_and_stages_in_one_go() {
    let reference = shared_reference();
    let repo = peer_repo(&reference);
    repo.docdex(&["check", "--staged"]).status(0).run();
    // Start over as a pre-commit hook would see it: documents staged, nothing committed.
    let fresh = TestRepo::new();
    copy_tree(repo.path().join("torch").as_path(), &fresh, "torch");
    fresh.git(&["add", "-A"]);
    fresh
        .docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .run();
    fresh.docdex(&["check", "--staged"]).status(0).run();
    fresh.docdex(&["check"]).status(0).run();
}
