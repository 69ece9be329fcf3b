//! Page subject → expected page bytes, reading the one document a keyword page needs.

use crate::config::Config;
use crate::error::Error;
use crate::extract::{keywords, scan_text, Language, MAX_READ_BYTES};
use crate::pages::{folder_index, global_index, keyword_page, subtree_index, Corpus};
use crate::plan::generates;
use crate::select::{depth, extension, name_of, PageSubject};
use crate::source::Reader;

/// Everything needed to render any page of one source.
pub struct Generator<'a> {
    /// The resolved configuration.
    pub config: &'a Config,
    /// The documents of the source.
    pub corpus: &'a Corpus,
}

impl Generator<'_> {
    /// The page `subject` should have, or `None` when nothing generates it any more.
    pub fn expected(
        &self,
        subject: &PageSubject,
        reader: &Reader,
    ) -> Result<Option<String>, Error> {
        if !generates(self.corpus, subject) {
            return Ok(None);
        }
        let root_depth = depth(&self.config.root);
        Ok(match subject {
            PageSubject::Keyword(doc) => Some(self.keyword_page(doc, root_depth, reader)?),
            PageSubject::Folder(folder) => folder_index(self.corpus, folder, root_depth),
            PageSubject::Subtree(folder) => subtree_index(self.corpus, folder),
            PageSubject::Global => Some(global_index(self.corpus)),
        })
    }

    fn keyword_page(&self, doc: &str, root_depth: usize, reader: &Reader) -> Result<String, Error> {
        let content = reader.snapshot().get(doc).ok_or_else(|| {
            Error::Usage(format!("{doc}: listed as a document but not in the source"))
        })?;
        let (size, bytes) = reader.read_up_to(doc, content, MAX_READ_BYTES)?;
        let language = Language::of_extension(extension(name_of(doc)));
        let keywords = keywords(
            language,
            &scan_text(size, &bytes),
            self.config.max_identifiers,
        );
        Ok(keyword_page(doc, root_depth, &keywords))
    }
}
