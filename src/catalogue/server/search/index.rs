//! The full-text half of search: a tantivy index in memory, built from the catalogue.
//!
//! Text is split on anything that is not a letter or digit, lower-cased and folded to ASCII,
//! so "Māori" and "maori" are the same word both ways. A query word must match (AND across
//! words); within a word, alternatives score differently:
//! exact word (BM25) > prefix of the last word (search as you type) > one edit away (for a
//! word of 5+ letters that the catalogue does not hold, i.e. a likely typo). Fields are
//! boosted: title above standards and sector above the body text. A two- or three-word
//! query also matches its words written together when the catalogue holds that word
//! ("chain saw" → "chainsaw").

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DocId, Index, IndexReader, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

mod queries;

use super::expand::Expansions;
use super::load::SourceDoc;

const TOKENIZER: &str = "folded";
/// The same words, reduced to their English stems ("planting" → "plant").
const STEMMED: &str = "stemmed";
/// Most words of a query that are searched for; the rest are ignored.
const MAX_WORDS: usize = 8;
/// Indexing memory: tantivy's minimum per thread is 15 MB; more only means fewer flushes.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// Field boosts. A title word counts several body words, so title matches rank first.
const TITLE: f32 = 5.0;
const NUMBERS: f32 = 4.0;
const STANDARDS: f32 = 2.0;
const SECTOR: f32 = 2.0;
const BODY: f32 = 1.0;
/// Share of a field's boost that a prefix match or a one-edit match earns.
const PREFIX_SHARE: f32 = 0.5;
const FUZZY_SHARE: f32 = 0.4;
/// Boosts of the looser matches, all below an exact word in the body: the same stem, a
/// synonym's words (times its field's boost), a compound holding the word, the word's
/// parts written apart.
const STEM: f32 = 0.8;
const SYNONYM_SHARE: f32 = 0.5;
const COMPOUND_SHARE: f32 = 0.3;
const SPLIT_SHARE: f32 = 0.6;
/// Fewest letters a word needs before a typo in it is forgiven.
const FUZZY_MIN_CHARS: usize = 5;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct IndexError(#[from] tantivy::TantivyError);

struct Fields {
    ord: Field,
    title: Field,
    numbers: Field,
    standards: Field,
    sector: Field,
    body: Field,
    /// Everything searchable, stemmed.
    stemmed: Field,
}

pub struct TextIndex {
    reader: IndexReader,
    analyzer: TextAnalyzer,
    stemmer: TextAnalyzer,
    fields: Fields,
    /// Synonyms and compound parts, against the vocabulary.
    expand: Expansions,
    /// Every indexed word with the number of credentials holding it, for "did you mean".
    vocabulary: Vec<(String, u32)>,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex")
            .field("words", &self.vocabulary.len())
            .finish()
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The words of `text` as `analyzer` makes them, in order, each once.
fn words_of(analyzer: &TextAnalyzer, text: &str, most: usize) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut words: Vec<String> = Vec::new();
    while stream.advance() && words.len() < most {
        let w = &stream.token().text;
        if !words.iter().any(|x| x == w) {
            words.push(w.clone());
        }
    }
    words
}

impl TextIndex {
    /// Indexes `docs`; a document's ordinal (its place in `docs`) comes back with each hit.
    /// `sector_names[d.sector]` names each document's sector; `synonyms` are the groups of
    /// terms that mean the same.
    pub fn build(
        docs: &[SourceDoc],
        sector_names: &[String],
        synonyms: &[Vec<String>],
    ) -> Result<Self, IndexError> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(STEMMED)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            ord: schema.add_u64_field("ord", FAST),
            title: schema.add_text_field("title", text.clone()),
            numbers: schema.add_text_field("numbers", text.clone()),
            standards: schema.add_text_field("standards", text.clone()),
            sector: schema.add_text_field("sector", text.clone()),
            body: schema.add_text_field("body", text),
            stemmed: schema.add_text_field("stemmed", stemmed),
        };
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(TOKENIZER, analyzer());
        index.tokenizers().register(STEMMED, stemmer());
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let mut writer =
            index.writer_with_num_threads::<TantivyDocument>(threads, WRITER_MEMORY)?;
        for (ord, d) in docs.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.ord, ord as u64);
            let mut both = |field: Field, text: &str| {
                doc.add_text(field, text);
                doc.add_text(fields.stemmed, text);
            };
            both(fields.title, &d.title);
            for (_, title) in &d.standards {
                both(fields.standards, title);
            }
            if let Some(name) = sector_names.get(d.sector) {
                both(fields.sector, name);
            }
            both(fields.body, &d.summary);
            both(fields.body, &d.purpose);
            both(fields.body, &d.outcomes);
            for (number, _) in &d.standards {
                doc.add_text(fields.numbers, number.to_string());
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        let vocabulary = vocabulary(&reader, &fields)?;
        let folded = analyzer();
        let words: Vec<String> = vocabulary.iter().map(|(w, _)| w.clone()).collect();
        let expand = Expansions::new(synonyms, words, |t| words_of(&folded, t, usize::MAX));
        Ok(Self {
            reader,
            analyzer: folded,
            stemmer: stemmer(),
            fields,
            expand,
            vocabulary,
        })
    }

    /// The words of a query as the index sees them (folded, lower case), each once.
    pub fn words(&self, query: &str) -> Vec<String> {
        words_of(&self.analyzer, query, MAX_WORDS)
    }

    fn is_known(&self, word: &str) -> bool {
        self.vocabulary
            .binary_search_by(|(t, _)| t.as_str().cmp(word))
            .is_ok()
    }

    /// A nearby query for one that found nothing: each word the index does not hold is
    /// replaced by the most common indexed word at most two edits away (one for short
    /// words). `None` when no word needs replacing or none has a neighbour. Bounded: only
    /// the first [`SUGGEST_WORDS`] words, and none longer than [`SUGGEST_MAX_CHARS`], are
    /// looked up, so one request scans the vocabulary a few times at most.
    pub fn suggest(&self, words: &[String]) -> Option<String> {
        let mut changed = false;
        let mut out = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let looked_up = i < SUGGEST_WORDS && w.chars().count() <= SUGGEST_MAX_CHARS;
            if !looked_up || self.is_known(w) || w.chars().all(|c| c.is_ascii_digit()) {
                out.push(w.clone());
                continue;
            }
            let max = if w.chars().count() >= FUZZY_MIN_CHARS {
                2
            } else {
                1
            };
            let best = self
                .vocabulary
                .iter()
                .filter(|(t, _)| t.len().abs_diff(w.len()) <= max)
                .map(|(t, n)| (strsim::damerau_levenshtein(t, w), t, *n))
                .filter(|(d, _, _)| *d <= max)
                .min_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
            match best {
                Some((_, t, _)) => {
                    out.push(t.clone());
                    changed = true;
                }
                None => out.push(w.clone()),
            }
        }
        changed.then(|| out.join(" "))
    }
}

/// The most words of one query a suggestion looks up.
pub const SUGGEST_WORDS: usize = 6;
/// Longer words are not looked up (no indexed word is near them anyway).
pub const SUGGEST_MAX_CHARS: usize = 30;

/// The index's own words (from titles, standards, sectors and body text) with their
/// document frequencies, sorted by word.
fn vocabulary(reader: &IndexReader, f: &Fields) -> Result<Vec<(String, u32)>, IndexError> {
    let mut words: HashMap<String, u32> = HashMap::new();
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        for field in [f.title, f.standards, f.sector, f.body] {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if word.len() < 3 || word.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let n = stream.value().doc_freq;
                let e = words.entry(word.to_owned()).or_default();
                *e = (*e).max(n);
            }
        }
    }
    let mut words: Vec<(String, u32)> = words.into_iter().collect();
    words.sort_unstable();
    Ok(words)
}

/// Collects every hit with its score (facet counts need all of them, not a top few).
struct AllHits;

struct SegmentHits {
    ords: Column<u64>,
    hits: Vec<(u32, Score)>,
}

impl Collector for AllHits {
    type Fruit = Vec<(u32, Score)>;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits {
            ords: reader.fast_fields().u64("ord")?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.hits.push((ord as u32, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}
