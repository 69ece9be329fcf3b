//! The old generator's MIME test, frozen: it also documented every file that Python's
//! `mimetypes.guess_type` called `text/*` on its machine. The real tree shows which
//! tables that machine had (Python's built-in table with Debian's `media-types` 10
//! loaded over it, no Apache table), so the answer is embedded here and the running
//! machine's tables are never read. See `docs/format.md`, "Which files are documents".

/// Encoding suffixes `guess_type` strips (case-sensitively) before it looks at the
/// extension under them: `x.csv.gz` is guessed as `text/csv`.
const ENCODINGS: &[&str] = &[".gz", ".Z", ".bz2", ".xz", ".br"];

/// Suffixes that stand for a compressed archive (compared lower-cased): `x.tgz` is
/// `x.tar.gz`, never text.
const ARCHIVE_SUFFIXES: &[&str] = &[".tgz", ".taz", ".tz", ".tbz2", ".txz", ".svgz"];

/// Every lower-case extension the two tables map to a `text/*` type, in byte order.
const TEXT_EXTENSIONS: [&str; 118] = [
    ".3dm",
    ".3dml",
    ".a",
    ".abc",
    ".appcache",
    ".ascii",
    ".bib",
    ".boo",
    ".brf",
    ".c",
    ".c++",
    ".cc",
    ".ccc",
    ".cls",
    ".cnd",
    ".copyright",
    ".cpp",
    ".csh",
    ".css",
    ".csv",
    ".csvs",
    ".curl",
    ".cxx",
    ".d",
    ".diff",
    ".dms",
    ".dot",
    ".dsc",
    ".es",
    ".etx",
    ".flt",
    ".flx",
    ".fly",
    ".gcd",
    ".ged",
    ".gff3",
    ".gv",
    ".h",
    ".h++",
    ".hans",
    ".hgl",
    ".hh",
    ".hpp",
    ".hs",
    ".htc",
    ".htm",
    ".html",
    ".hxx",
    ".ics",
    ".ifb",
    ".jad",
    ".java",
    ".js",
    ".jtd",
    ".ksh",
    ".lhs",
    ".ltx",
    ".ly",
    ".manifest",
    ".markdown",
    ".mc2",
    ".md",
    ".miz",
    ".mjs",
    ".moc",
    ".mpf",
    ".n3",
    ".p",
    ".pas",
    ".patch",
    ".pl",
    ".pm",
    ".pot",
    ".provn",
    ".py",
    ".roff",
    ".rst",
    ".rtx",
    ".scala",
    ".sfv",
    ".sgm",
    ".sgml",
    ".sh",
    ".shaclc",
    ".shc",
    ".shex",
    ".shtml",
    ".si",
    ".sl",
    ".soa",
    ".sos",
    ".spdx",
    ".spo",
    ".spot",
    ".srt",
    ".sty",
    ".t",
    ".tag",
    ".tcl",
    ".tex",
    ".text",
    ".tk",
    ".tm",
    ".tr",
    ".ts",
    ".tsv",
    ".ttl",
    ".txt",
    ".uri",
    ".uris",
    ".vcard",
    ".vcf",
    ".vcs",
    ".vtt",
    ".wgsl",
    ".wml",
    ".wmls",
    ".zone",
];

/// The extension Python's `posixpath.splitext` finds in `name`: from the last `.`,
/// when a character other than `.` comes before it (`a.` has `.`, `..x` has none).
fn splitext(name: &str) -> (&str, Option<&str>) {
    match name.rfind('.') {
        Some(dot) if name[..dot].bytes().any(|b| b != b'.') => (&name[..dot], Some(&name[dot..])),
        _ => (name, None),
    }
}

/// Whether the old generator's `mimetypes.guess_type` called the file `name` text.
pub(crate) fn is_text(name: &str) -> bool {
    let (base, mut ext) = splitext(name);
    if ext.is_some_and(|e| ARCHIVE_SUFFIXES.contains(&e.to_lowercase().as_str())) {
        return false;
    }
    if ext.is_some_and(|e| ENCODINGS.contains(&e)) {
        ext = splitext(base).1;
    }
    ext.is_some_and(|e| {
        TEXT_EXTENSIONS
            .binary_search(&e.to_lowercase().as_str())
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_lower_case() {
        assert!(TEXT_EXTENSIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(TEXT_EXTENSIONS.iter().all(|e| *e == e.to_lowercase()));
    }

    #[test]
    fn what_the_real_tree_documents_and_leaves_out() {
        for text in [
            "x.csv",
            "A.java",
            "fix.patch",
            "page.html",
            "style.css",
            "X.PY",
        ] {
            assert!(is_text(text), "{text}");
        }
        for not_text in [
            "run.bat",
            "layout.xml",
            "CMakeLists.in",
            "asm.S",
            "X.YAML",
            "a.json",
        ] {
            assert!(!is_text(not_text), "{not_text}");
        }
    }

    #[test]
    fn compressed_suffixes() {
        assert!(is_text("x.csv.gz"));
        assert!(is_text("x.TXT.bz2"));
        assert!(!is_text("x.csv.GZ"), "encodings are case-sensitive");
        assert!(!is_text("x.csv.gz.gz"), "only one encoding is stripped");
        assert!(!is_text("x.tgz"));
        assert!(!is_text("x.TGZ"));
        assert!(!is_text("x.svgz"));
        assert!(
            !is_text(".csv.gz"),
            "a leading dot starts the name, not an extension"
        );
    }

    #[test]
    fn python_splitext() {
        assert_eq!(splitext("a.b.c"), ("a.b", Some(".c")));
        assert_eq!(splitext(".bashrc"), (".bashrc", None));
        assert_eq!(splitext("..x"), ("..x", None));
        assert_eq!(splitext("a."), ("a", Some(".")));
        assert_eq!(splitext("..a.csv"), ("..a", Some(".csv")));
        assert!(is_text("..a.csv"));
    }
}
