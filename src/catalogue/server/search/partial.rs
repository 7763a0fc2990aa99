//! A search no credential matches in full falls back to the largest part of its words that
//! finds something, so that "dairy farming" shows the dairy credential instead of nothing.

use super::docs::DayView;
use super::facets::{self, Selection};
use super::index::IndexError;
use super::Snapshot;

impl Snapshot {
    /// The credentials matching every one of `words` (of the search `text`) under
    /// `selection`, or, when none does and there are several words, those matching the
    /// largest part of them, with a sentence that says so.
    pub(super) fn matching(
        &self,
        text: &str,
        words: &[String],
        days: &DayView,
        selection: &Selection,
    ) -> Result<(facets::Tally, Option<String>), IndexError> {
        let tally = facets::tally(self.text.search(words)?, &self.rows, days, selection);
        if !tally.passing.is_empty() || words.len() < 2 {
            return Ok((tally, None));
        }
        Ok(match self.most_words(words, days, selection)? {
            Some((part, found)) => {
                let message = format!(
                    "No micro-credential matches all of “{}”; showing those that match “{}”.",
                    text.trim(),
                    part.join(" ")
                );
                (found, Some(message))
            }
            None => (tally, None),
        })
    }

    /// For a search no credential matches in full: the results of the largest part of its
    /// words that finds something (all but one word, else one word alone; among those, the
    /// part whose best match scores highest, which favours the rarer, more telling words
    /// over a common one matched loosely), and that part. At most twice as many searches as
    /// words.
    pub(super) fn most_words(
        &self,
        words: &[String],
        days: &DayView,
        selection: &Selection,
    ) -> Result<Option<(Vec<String>, facets::Tally)>, IndexError> {
        let n = words.len();
        let all_but_one = (0..n).map(|skip| {
            words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, w)| w.clone())
                .collect::<Vec<_>>()
        });
        let one_alone = words.iter().map(|w| vec![w.clone()]);
        let sizes: [Vec<Vec<String>>; 2] = [all_but_one.collect(), one_alone.collect()];
        for parts in sizes {
            let mut best: Option<(Vec<String>, facets::Tally)> = None;
            for part in parts {
                let tally = facets::tally(self.text.search(&part)?, &self.rows, days, selection);
                let top = |t: &facets::Tally| t.passing.iter().map(|p| p.1).fold(0.0, f32::max);
                let better = best.as_ref().is_none_or(|(_, b)| top(&tally) > top(b));
                if !tally.passing.is_empty() && better {
                    best = Some((part, tally));
                }
            }
            if best.is_some() {
                return Ok(best);
            }
        }
        Ok(None)
    }
}
