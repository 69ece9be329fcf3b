//! The content kinds (`docs`, `folder-docs`, docs/format.md, "The content pages"): against the peer sample end
//! to end, and their rules (off by default, only outside the root, they stay
//! documents, one `--fix` converges).

use crate::util::{hand_edited, shared_reference, TestRepo};

const FOLDER: &str = "torch/_functorch/_aot_autograd";
const ALL_KINDS: &str =
    "pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n";

/// The embedded source of a `_docs.md` page: the text between the ```python line and
/// the fence before `## High-Level Overview`.
fn embedded_source(page: &str) -> &str {
    let start = page.find("```python\n").unwrap() + "```python\n".len();
    let end = page.find("\n```\n\n\n\n## High-Level Overview").unwrap();
    &page[start..end]
}

fn without_related_list(page: &str) -> String {
    let start = page.find("Files in the same folder").unwrap();
    let end = page.find("## Cross-References").unwrap();
    format!("{}{}", &page[..start], &page[end..])
}

#[test]
#[ignore = "needs ../shared/reference beside the repository; .ci/run runs it when that is there"]
fn reference_peer_sample_pages_with_every_kind_on() {
    let reference = shared_reference();
    let sample = reference.join("peer-sample");
    let docs = sample.join("docs").join(FOLDER);
    let repo = TestRepo::new();
    repo.write("docdex.toml", ALL_KINDS);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&docs).unwrap().flatten() {
        let file = entry.file_name().into_string().unwrap();
        let Some(name) = file.strip_suffix("_docs.md") else {
            continue;
        };
        names.push(name.to_owned());
        let source = sample.join(FOLDER).join(name);
        let bytes = match std::fs::read(&source) {
            Ok(bytes) => bytes,
            // The four longer than the embedded 50,000 characters: recreated from them.
            Err(_) => embedded_source(&std::fs::read_to_string(entry.path()).unwrap())
                .as_bytes()
                .to_vec(),
        };
        repo.write(&format!("{FOLDER}/{name}"), bytes);
    }
    assert_eq!(names.len(), 18);
    repo.commit_all("the sample's documents");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check"]).status(0).run();

    let reference_page = |path: &str| std::fs::read_to_string(sample.join(path)).unwrap();
    let doc_md = format!("docs/{FOLDER}/doc.md");
    assert_eq!(repo.read(&doc_md).unwrap(), reference_page(&doc_md));
    let mut exact = 0;
    for name in &names {
        if !sample.join(FOLDER).join(name).exists() {
            continue;
        }
        let page = format!("docs/{FOLDER}/{name}_docs.md");
        assert_eq!(
            without_related_list(&repo.read(&page).unwrap()),
            without_related_list(&reference_page(&page)),
            "{page}"
        );
        exact += 1;
    }
    assert_eq!(exact, 14);
    // The chain: the keyword page of a documentation page is computed from it. The
    // sample's seed was made from an older version of the documentation page, so only
    // its header matches; its keywords come from headings the page no longer has.
    let seed = format!("docs/docs/{FOLDER}/utils.py_docs.md_kw.md");
    let ours = repo.read(&seed).unwrap();
    let header = |page: &str| page.lines().take(12).collect::<Vec<_>>().join("\n");
    assert_eq!(header(&ours), header(&reference_page(&seed)));
    assert!(
        ours.contains("- **`Architecture`**"),
        "a heading of today's page"
    );
    // Related Files in byte order: utils.py lists the first ten, __init__.py the other nine.
    let related = |name: &str| {
        repo.read(&format!("docs/{FOLDER}/{name}_docs.md"))
            .unwrap()
            .matches("- [`")
            .count()
    };
    assert_eq!(related("utils.py"), 10);
    assert_eq!(related("__init__.py"), 9);
}

#[test]
fn content_kinds_are_off_by_default_and_their_files_stay_documents() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n")
        .write("docs/src/app.py_docs.md", "# written by an old generator\n")
        .write("docs/src/doc.md", "# also\n");
    repo.commit_all("old pages");
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("missing docs/docs/src/app.py_docs.md_kw.md")
        .stdout_has("missing docs/docs/src/doc.md_kw.md")
        .stdout_lacks("docs/src/app.py_docs.md (")
        .run();
}

#[test]
fn one_fix_converges_and_pages_stay_outside_the_root() {
    let repo = TestRepo::new();
    repo.write("docdex.toml", ALL_KINDS)
        .write(
            "src/app.py",
            "\"\"\"The app.\"\"\"\nimport os\n\nclass App:\n    def run(self): pass\n",
        )
        .write("Makefile", "all:\n\techo hi\n")
        .write("docs/guide.md", "# A hand-written guide\n");
    repo.commit_all("documents");
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("wrote docs/src/app.py_docs.md")
        .stdout_has("wrote docs/Makefile_docs.md")
        .stdout_has("wrote docs/doc.md")
        .stdout_has("wrote docs/src/doc.md")
        .stdout_has("wrote docs/docs/src/app.py_docs.md_kw.md")
        .stdout_has("wrote docs/docs/doc.md_kw.md")
        .run();
    repo.docdex(&["check"]).status(0).run();
    assert!(
        !repo.exists("docs/docs/guide.md_docs.md"),
        "nothing under root/root"
    );
    assert!(!repo.exists("docs/docs/doc.md"));
    let makefile = repo.read("docs/Makefile_docs.md").unwrap();
    assert!(makefile.contains("- **Type**: Source File ()\n- **Extension**: ``"));
    assert!(makefile.contains("```\nall:\n\techo hi\n\n```"));

    // A content edit changes the documentation page and, through it, its keyword page.
    repo.commit_all("pages");
    repo.write("src/app.py", "class Renamed: pass\n");
    repo.git(&["add", "-A"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/src/app.py_docs.md")
        .stdout_has("stale docs/docs/src/app.py_docs.md_kw.md")
        .stdout_has("stale docs/src/app.py_kw.md")
        .run();

    // A deleted document orphans its documentation page; a hand-written file there is
    // foreign and stays.
    repo.docdex(&["check", "--fix"]).status(0).run();
    repo.remove("Makefile");
    repo.write("docs/src/app.py_docs.md", "# mine\n");
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(1)
        .stdout_has("deleted docs/Makefile_docs.md")
        .stdout_has("left 1 hand-written file alone where pages belong: docs/src/app.py_docs.md")
        .run();
    assert_eq!(repo.read("docs/src/app.py_docs.md").unwrap(), "# mine\n");
    let _ = hand_edited;
}
