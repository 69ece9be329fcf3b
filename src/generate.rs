//! Page subject → expected page bytes, through the subject's page kind.

use crate::config::Config;
use crate::error::Error;
use crate::pages::{Corpus, PageSubject, RenderContext};
use crate::paths::depth;
use crate::plan::generates;
use crate::source::Reader;

/// Everything needed to render any page of one source.
pub(crate) struct Generator<'a> {
    /// The resolved configuration.
    pub config: &'a Config,
    /// The documents of the source.
    pub corpus: &'a Corpus,
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
        let context = RenderContext {
            corpus: self.corpus,
            root_depth: depth(&self.config.root),
            max_identifiers: self.config.max_identifiers,
        };
        subject.rules().render(&context, &subject.key, reader)
    }
}
