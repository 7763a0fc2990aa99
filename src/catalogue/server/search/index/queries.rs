//! Building a query from a learner's words: each word's alternatives (exact, prefix, one
//! edit, stem, compounds, parts written apart), synonym units, and the light queries the
//! looser matches use. Split from `index.rs`, whose private fields it reads.

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Term};

use super::{
    words_of, AllHits, IndexError, TextIndex, BODY, COMPOUND_SHARE, FUZZY_MIN_CHARS, FUZZY_SHARE,
    NUMBERS, PREFIX_SHARE, SECTOR, SPLIT_SHARE, STANDARDS, STEM, SYNONYM_SHARE, TITLE,
};

impl TextIndex {
    /// Every credential matching all of `words`, with its relevance score, unordered.
    pub fn search(&self, words: &[String]) -> Result<Vec<(u32, Score)>, IndexError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let last = words.len() - 1;
        let mut at = 0;
        let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for unit in self.expand.units(words) {
            let own: Vec<(Occur, Box<dyn Query>)> = unit
                .words
                .iter()
                .enumerate()
                .map(|(i, w)| (Occur::Must, self.word_query(w, at + i == last)))
                .collect();
            at += unit.words.len();
            let mut either: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, Box::new(BooleanQuery::new(own)))];
            // A synonym counts as the unit's words would, at a share of their weight.
            for term in &unit.synonyms {
                either.push((Occur::Should, self.plain_words(term, SYNONYM_SHARE)));
            }
            all.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(all));
        if (2..=3).contains(&words.len()) {
            let joined = words.concat();
            if self.is_known(&joined) {
                query = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, query),
                    (Occur::Should, self.word_query(&joined, false)),
                ]));
            }
        }
        let searcher = self.reader.searcher();
        Ok(searcher.search(query.as_ref(), &AllHits)?)
    }

    fn word_query(&self, word: &str, is_last: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let numeric = word.chars().all(|c| c.is_ascii_digit());
        let chars = word.chars().count();
        // A word the catalogue holds is taken as meant: looking for its one-edit neighbours
        // too ("safety" → "safely") would cost time and precision. A word it does not hold
        // may be a typo.
        let typo = !numeric && chars >= FUZZY_MIN_CHARS && !self.is_known(word);
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |query: Box<dyn Query>, boost: f32| {
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        for (field, boost) in [
            (f.title, TITLE),
            (f.standards, STANDARDS),
            (f.sector, SECTOR),
            (f.body, BODY),
        ] {
            let term = Term::from_field_text(field, word);
            add(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                boost,
            );
            if numeric {
                continue;
            }
            if is_last && chars >= 2 {
                add(
                    Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                    boost * PREFIX_SHARE,
                );
            }
            if typo {
                add(
                    Box::new(FuzzyTermQuery::new(term, 1, true)),
                    boost * FUZZY_SHARE,
                );
            }
        }
        if numeric {
            let term = Term::from_field_text(f.numbers, word);
            add(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                NUMBERS,
            );
            return Box::new(BooleanQuery::new(alternatives));
        }
        add(self.stem_query(word), STEM);
        let prefix_searched = is_last && chars >= 2;
        for compound in self.expand.compounds(word, prefix_searched) {
            add(self.title_or_body(&compound), COMPOUND_SHARE);
        }
        if let Some((a, b)) = self.expand.split(word) {
            add(self.plain_words(&[a, b], 1.0), SPLIT_SHARE);
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `word` exactly, in every text field at its boost, or by its stem.
    fn plain_word(&self, word: &str) -> Box<dyn Query> {
        let f = &self.fields;
        let fields = [
            (f.title, TITLE),
            (f.standards, STANDARDS),
            (f.sector, SECTOR),
            (f.body, BODY),
        ];
        let mut alternatives = exact_in(word, &fields);
        alternatives.push((
            Occur::Should,
            Box::new(BoostQuery::new(self.stem_query(word), STEM)),
        ));
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `word` exactly in the title or the body: the light query a compound gets (there can
    /// be a dozen of them per query word).
    fn title_or_body(&self, word: &str) -> Box<dyn Query> {
        let f = &self.fields;
        Box::new(BooleanQuery::new(exact_in(
            word,
            &[(f.title, TITLE), (f.body, BODY)],
        )))
    }

    /// Every one of `words` (each as [`Self::plain_word`]), at `share` of the weight.
    fn plain_words(&self, words: &[String], share: f32) -> Box<dyn Query> {
        let all: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| (Occur::Must, self.plain_word(w)))
            .collect();
        Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), share))
    }

    /// The stemmed field holding `word`'s stem.
    fn stem_query(&self, word: &str) -> Box<dyn Query> {
        let stem = words_of(&self.stemmer, word, 1)
            .pop()
            .unwrap_or_else(|| word.to_owned());
        let term = Term::from_field_text(self.fields.stemmed, &stem);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    }
}

/// `word` exactly in each of `fields`, each at its boost, as alternatives.
fn exact_in(word: &str, fields: &[(Field, f32)]) -> Vec<(Occur, Box<dyn Query>)> {
    fields
        .iter()
        .map(|&(field, boost)| {
            let term = Term::from_field_text(field, word);
            let q: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                boost,
            ));
            (Occur::Should, q)
        })
        .collect()
}
