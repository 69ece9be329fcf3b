//! Page subject → expected page bytes, through the subject's page kind. Documents are
//! read from the source, except those that are expected content pages (SPEC-content
//! §5.7), whose bytes are rendered.

use crate::config::Config;
use crate::error::Error;
use crate::pages::kind::Documents;
use crate::pages::{Corpus, PageSubject, RenderContext};
use crate::paths::depth;
use crate::plan::generates;
use crate::source::Reader;

/// Everything needed to render any page of one source.
pub(crate) struct Generator<'a> {
    /// The resolved configuration.
    pub(crate) config: &'a Config,
    /// The documents of the source.
    pub(crate) corpus: &'a Corpus,
}

impl Generator<'_> {
    /// The page `subject` should have, or `None` when nothing generates it any more.
    pub(crate) fn expected(
        &self,
        subject: &PageSubject,
        reader: &Reader,
    ) -> Result<Option<String>, Error> {
        if !generates(self.corpus, subject) {
            return Ok(None);
        }
        let documents = SourceDocuments {
            generator: self,
            reader,
        };
        let context = RenderContext {
            documents: &documents,
            corpus: self.corpus,
            root_depth: depth(&self.config.root),
            max_identifiers: self.config.max_identifiers,
        };
        subject.rules().render(&context, &subject.key)
    }
}

/// Documents as rendering sees them: a content page's expected bytes, or the source's.
struct SourceDocuments<'g> {
    generator: &'g Generator<'g>,
    reader: &'g Reader<'g>,
}

impl Documents for SourceDocuments<'_> {
    fn read_up_to(&self, doc: &str, limit: u64) -> Result<(u64, Vec<u8>), Error> {
        if let Some(page) = self.generator.corpus.expected_page(doc) {
            let text = self
                .generator
                .expected(page, self.reader)?
                .ok_or_else(|| Error::Bug(format!("{doc}: an expected page renders nothing")))?;
            let size = text.len() as u64;
            return Ok((
                size,
                if size > limit {
                    Vec::new()
                } else {
                    text.into_bytes()
                },
            ));
        }
        let content = self.reader.snapshot().get(doc).ok_or_else(|| {
            Error::Bug(format!("{doc}: listed as a document but not in the source"))
        })?;
        self.reader.read_up_to(doc, content, limit)
    }
}
