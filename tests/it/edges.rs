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
