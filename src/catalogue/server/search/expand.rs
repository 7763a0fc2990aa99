//! What a learner's words may also mean, decided against the index's own vocabulary:
//! - **synonyms** from `seed/synonyms.toml` (through the database): a query's words are
//!   grouped greedily into the longest terms a group holds ("heavy vehicle"), and each such
//!   unit also matches its group's other terms;
//! - **parts of compound words**: a word of 4+ letters also finds the indexed words that
//!   begin or end with it, three or more letters longer ("water" → "freshwater"), and a word
//!   that is two indexed words written together also matches them apart ("wellbeing" →
//!   "well being").
//!
//! All of it is looked up in sorted lists (binary search), so a query costs a few
//! logarithmic lookups, not a scan of the vocabulary.

use std::collections::HashMap;

/// The most words a synonym term has.
const MAX_TERM_WORDS: usize = 3;
/// Fewest letters a word needs before compounds holding it are looked for, and fewest
/// letters the rest of such a compound needs.
const COMPOUND_MIN: usize = 4;
const COMPOUND_REST: usize = 3;
/// The most compounds one word expands to.
const MAX_COMPOUNDS: usize = 12;
/// Fewest letters each part of a split word needs.
const SPLIT_MIN: usize = 3;

/// A run of query words, and the other terms (each a list of words) it may stand for.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub words: Vec<String>,
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Default)]
pub struct Expansions {
    /// Folded term ("heavy vehicle") → the other terms of its groups, as word lists.
    synonyms: HashMap<String, Vec<Vec<String>>>,
    /// The vocabulary, sorted.
    words: Vec<String>,
    /// The vocabulary reversed letter by letter, sorted: words ending alike sit together.
    reversed: Vec<String>,
}

impl Expansions {
    /// `groups` as stored (each term folded into words by `fold`), over `vocabulary`
    /// (sorted).
    pub fn new(
        groups: &[Vec<String>],
        vocabulary: Vec<String>,
        fold: impl Fn(&str) -> Vec<String>,
    ) -> Self {
        let mut synonyms: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for group in groups {
            let terms: Vec<Vec<String>> = group
                .iter()
                .map(|t| fold(t))
                .filter(|w| (1..=MAX_TERM_WORDS).contains(&w.len()))
                .collect();
            for (i, term) in terms.iter().enumerate() {
                let others = terms
                    .iter()
                    .enumerate()
                    .filter(|(j, t)| *j != i && *t != term)
                    .map(|(_, t)| t.clone());
                let entry = synonyms.entry(term.join(" ")).or_default();
                for other in others {
                    if !entry.contains(&other) {
                        entry.push(other);
                    }
                }
            }
        }
        let mut reversed: Vec<String> = vocabulary
            .iter()
            .map(|w| w.chars().rev().collect())
            .collect();
        reversed.sort_unstable();
        Self {
            synonyms,
            words: vocabulary,
            reversed,
        }
    }

    /// `words` grouped into units, longest synonym terms first, in order.
    pub fn units(&self, words: &[String]) -> Vec<Unit> {
        let mut units = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (1..=MAX_TERM_WORDS.min(words.len() - i))
                .rev()
                .find_map(|n| {
                    let key = words[i..i + n].join(" ");
                    self.synonyms.get(&key).map(|s| (n, s.clone()))
                });
            let (n, synonyms) = longest.unwrap_or((1, Vec::new()));
            units.push(Unit {
                words: words[i..i + n].to_vec(),
                synonyms,
            });
            i += n;
        }
        units
    }

    /// Indexed words that begin or end with `word` and are at least three letters longer;
    /// only those ending with it when `prefix_searched` (a prefix query finds the others).
    pub fn compounds(&self, word: &str, prefix_searched: bool) -> Vec<String> {
        if word.chars().count() < COMPOUND_MIN || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let long_enough = |w: &str| w.len() >= word.len() + COMPOUND_REST;
        let mut found: Vec<String> = match prefix_searched {
            true => Vec::new(),
            false => starting_with(&self.words, word)
                .filter(|w| long_enough(w))
                .take(MAX_COMPOUNDS)
                .cloned()
                .collect(),
        };
        let backwards: String = word.chars().rev().collect();
        found.extend(
            starting_with(&self.reversed, &backwards)
                .filter(|w| long_enough(w))
                .take(MAX_COMPOUNDS)
                .map(|w| w.chars().rev().collect::<String>()),
        );
        found.truncate(MAX_COMPOUNDS);
        found
    }

    /// `word` as two indexed words written together ("wellbeing" → "well", "being"), the
    /// split with the longer first part when there are several.
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        let chars: Vec<char> = word.chars().collect();
        (SPLIT_MIN..=chars.len().saturating_sub(SPLIT_MIN))
            .rev()
            .map(|i| {
                let a: String = chars[..i].iter().collect();
                let b: String = chars[i..].iter().collect();
                (a, b)
            })
            .find(|(a, b)| self.is_known(a) && self.is_known(b))
    }

    fn is_known(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
    }
}

/// The entries of sorted `list` that start with `prefix`.
fn starting_with<'a>(list: &'a [String], prefix: &'a str) -> impl Iterator<Item = &'a String> {
    let start = list.partition_point(|w| w.as_str() < prefix);
    list[start..]
        .iter()
        .take_while(move |w| w.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(t: &str) -> Vec<String> {
        t.split_whitespace().map(str::to_lowercase).collect()
    }

    fn expansions() -> Expansions {
        let mut vocab: Vec<String> = [
            "freshwater",
            "wastewater",
            "waterproof",
            "water",
            "well",
            "being",
            "truck",
            "heavy",
            "vehicle",
            "milking",
            "farming",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        vocab.sort();
        let groups = vec![vec!["truck".to_owned(), "Heavy Vehicle".to_owned()]];
        Expansions::new(&groups, vocab, fold)
    }

    #[test]
    fn synonym_units_take_the_longest_term() {
        let e = expansions();
        let words: Vec<String> = ["heavy", "vehicle", "licence"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let units = e.units(&words);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].words, ["heavy", "vehicle"]);
        assert_eq!(units[0].synonyms, vec![vec!["truck".to_owned()]]);
        assert!(units[1].synonyms.is_empty());
    }

    #[test]
    fn compounds_and_splits() {
        let e = expansions();
        let mut c = e.compounds("water", false);
        c.sort();
        assert_eq!(c, ["freshwater", "wastewater", "waterproof"]);
        let mut c = e.compounds("water", true);
        c.sort();
        assert_eq!(
            c,
            ["freshwater", "wastewater"],
            "the prefix query finds the rest"
        );
        assert!(e.compounds("wat", false).is_empty(), "too short");
        assert_eq!(
            e.split("wellbeing"),
            Some(("well".to_owned(), "being".to_owned()))
        );
        assert_eq!(e.split("water"), None);
    }
}
