//! A synthetic catalogue for scale tests and benchmarks: `n` credentials in the seed file
//! format, so it goes through the same validation and import as the real catalogue.
//!
//! Realistic in shape: twelve sectors of different sizes, NZQCF levels 2 to 6, credits
//! from 5 to 40, one to four unit standards each from a shared pool (so a standard number
//! finds several credentials), zero to three intakes across towns and delivery modes with
//! enrolment windows around today, funding for about half, and te reo Māori words with
//! macrons in titles and text. Deterministic for a given `seed`. Every record says it is
//! synthetic.

use crate::catalogue::vocab::DELIVERY_MODES;
use std::fmt::Write;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

const SECTORS: [(&str, &str, &[&str]); 12] = [
    (
        "forestry",
        "Forestry",
        &[
            "chainsaw",
            "tree felling",
            "log making",
            "silviculture",
            "harvesting",
        ],
    ),
    (
        "manufacturing",
        "Manufacturing",
        &[
            "lean production",
            "machine operation",
            "quality control",
            "sustainable practice",
            "team leadership",
        ],
    ),
    (
        "food-and-fibre",
        "Food and fibre",
        &[
            "dairy farming",
            "wool handling",
            "horticulture",
            "apiculture",
            "irrigation",
        ],
    ),
    (
        "conservation",
        "Conservation",
        &[
            "pest control",
            "native planting",
            "track maintenance",
            "kaitiakitanga",
            "water quality",
        ],
    ),
    (
        "construction",
        "Construction",
        &[
            "scaffolding",
            "concrete placing",
            "site safety",
            "carpentry",
            "plumbing",
        ],
    ),
    (
        "hospitality",
        "Hospitality",
        &[
            "barista",
            "food safety",
            "front of house",
            "kitchen operations",
            "event service",
        ],
    ),
    (
        "automotive-and-transport",
        "Automotive and transport",
        &[
            "forklift",
            "heavy vehicle",
            "automotive electrics",
            "logistics",
            "driver safety",
        ],
    ),
    (
        "business",
        "Business",
        &[
            "bookkeeping",
            "customer service",
            "project coordination",
            "small business",
            "digital marketing",
        ],
    ),
    (
        "te-reo-maori",
        "Te reo and tikanga Māori",
        &[
            "te reo Māori",
            "tikanga",
            "whakapapa",
            "karakia",
            "mātauranga Māori",
        ],
    ),
    (
        "early-childhood",
        "Early childhood",
        &[
            "infant care",
            "play-based learning",
            "whānau engagement",
            "child wellbeing",
            "early literacy",
        ],
    ),
    (
        "health",
        "Health",
        &[
            "first aid",
            "mental health",
            "aged care",
            "disability support",
            "infection control",
        ],
    ),
    (
        "digital",
        "Digital",
        &[
            "cyber security",
            "data analysis",
            "cloud computing",
            "web development",
            "digital literacy",
        ],
    ),
];

const SKILLS: [&str; 10] = [
    "Introduction to",
    "Foundations of",
    "Applied",
    "Advanced",
    "Essentials of",
    "Practical",
    "Supervising",
    "Planning for",
    "Safe",
    "Leading",
];
const CONTEXTS: [&str; 8] = [
    "in the workplace",
    "for small teams",
    "on site",
    "for rural communities",
    "in Aotearoa",
    "for beginners",
    "for supervisors",
    "with whānau",
];
const TOWNS: [&str; 14] = [
    "Whangārei",
    "Auckland",
    "Hamilton",
    "Tauranga",
    "Rotorua",
    "Gisborne",
    "Napier",
    "New Plymouth",
    "Palmerston North",
    "Wellington",
    "Nelson",
    "Christchurch",
    "Dunedin",
    "Invercargill",
];
const CREDITS: [i64; 8] = [5, 5, 10, 10, 15, 20, 30, 40];
/// Unit standards in the shared pool, numbered from `FIRST_STANDARD`.
const STANDARDS: usize = 600;
pub const FIRST_STANDARD: i64 = 40_000;

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The topic of unit standard `i` of the pool (standards cycle through sectors).
fn standard_topic(i: usize) -> (usize, &'static str) {
    let sector = i % SECTORS.len();
    let topics = SECTORS[sector].2;
    (sector, topics[(i / SECTORS.len()) % topics.len()])
}

/// `n` synthetic credentials as a seed catalogue file.
pub fn catalogue(n: usize, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = String::with_capacity(n * 1_400 + 100_000);
    out.push_str("# SYNTHETIC CATALOGUE for scale tests and benchmarks: not real credentials.\n\n");
    for (slug, name, _) in SECTORS {
        let _ = writeln!(
            out,
            "[[sector]]\nslug = {}\nname = {}\n",
            quote(slug),
            quote(name)
        );
    }
    out.push_str(
        "[[funding_scheme]]\ncode = \"synthetic-grant\"\nname = \"Synthetic training grant\"\n\
         description = \"Synthetic data: an open-ended grant.\"\nvalid_from = \"-365d\"\n\n\
         [[funding_scheme]]\ncode = \"synthetic-ended\"\nname = \"Synthetic ended scheme\"\n\
         description = \"Synthetic data: a scheme that has ended.\"\nvalid_from = \"2020-07-01\"\n\
         valid_to = \"2022-12-31\"\n\n",
    );
    for i in 0..STANDARDS {
        let (_, topic) = standard_topic(i);
        let verb = ["Demonstrate knowledge of", "Apply", "Describe", "Carry out"][i % 4];
        let _ = writeln!(
            out,
            "[[unit_standard]]\nnumber = {}\nversion = 1\ntitle = {}\nlevel = {}\ncredits = {}\n\
             domain = \"Synthetic\"\n",
            FIRST_STANDARD + i as i64,
            quote(&format!("{verb} {topic} ({})", i / 48 + 1)),
            2 + i % 5,
            [2, 4, 5, 8, 10][i % 5],
        );
    }
    for i in 0..n {
        // Sector sizes differ: the first sectors are picked more often.
        let s = {
            let a = rng.random_range(0..SECTORS.len());
            let b = rng.random_range(0..SECTORS.len());
            a.min(b)
        };
        let (sector, _, topics) = SECTORS[s];
        let topic = *topics.choose(&mut rng).unwrap_or(&"safety");
        let skill = *SKILLS.choose(&mut rng).unwrap_or(&"Applied");
        let context = *CONTEXTS.choose(&mut rng).unwrap_or(&"on site");
        let title = format!("{skill} {topic} {context}");
        let level = rng.random_range(2..=6);
        let credits = *CREDITS.choose(&mut rng).unwrap_or(&10);
        let other = *SECTORS[(s + 1 + i % 11) % SECTORS.len()]
            .2
            .choose(&mut rng)
            .unwrap_or(&"teamwork");
        let mut modes: Vec<&str> = DELIVERY_MODES
            .iter()
            .map(|(value, _)| *value)
            .filter(|_| rng.random_bool(0.4))
            .collect();
        if modes.is_empty() {
            modes.push(DELIVERY_MODES[i % DELIVERY_MODES.len()].0);
        }
        // Standards from this sector's part of the pool.
        let count = rng.random_range(1..=4);
        let mut standards: Vec<i64> = (0..count)
            .map(|_| {
                let k = rng.random_range(0..STANDARDS / SECTORS.len());
                FIRST_STANDARD + (k * SECTORS.len() + s) as i64
            })
            .collect();
        standards.sort_unstable();
        standards.dedup();
        let standard_list: Vec<String> = standards.iter().map(i64::to_string).collect();

        let _ = write!(
            out,
            "[[credential]]\nslug = {slug}\ntitle = {title}\nsector = {sector}\nlevel = {level}\n\
             credits = {credits}\nstatus = \"current\"\ndelivery_modes = [{modes}]\n\
             developer = \"Synthetic\"\nsummary = {summary}\npurpose = {purpose}\n\
             outcomes = {outcomes}\nentry_requirements = \"None.\"\n\
             data_note = \"Synthetic record for scale tests.\"\nstandards = [{standards}]\n",
            slug = quote(&format!("synthetic-{i}")),
            title = quote(&title),
            sector = quote(sector),
            modes = modes.iter().map(|m| quote(m)).collect::<Vec<_>>().join(", "),
            summary = quote(&format!(
                "{} skills for people working with {topic}, with practical assessment {context}.",
                sentence_case(topic)
            )),
            purpose = quote(&format!(
                "People credited with this micro-credential can work safely with {topic} and \
                 support colleagues in {other}, following good practice and tikanga where it applies."
            )),
            outcomes = quote(&format!(
                "Plan and carry out {topic} tasks; explain the hazards of {other}; record and \
                 report work to a supervisor; reflect on sustainable practice."
            )),
            standards = standard_list.join(", "),
        );
        if rng.random_bool(0.5) {
            out.push_str("funding = [{ scheme = \"synthetic-grant\", eligible = true }]\n");
        }
        out.push('\n');
        for k in 0..rng.random_range(0..=3) {
            let starts = rng.random_range(-20..200);
            let opens = starts - rng.random_range(20..60);
            let closes = starts - 1;
            let ends = starts + rng.random_range(14..120);
            let region = if rng.random_bool(0.15) {
                "Online"
            } else {
                TOWNS.choose(&mut rng).unwrap_or(&"Wellington")
            };
            let mode = if region == "Online" {
                "online"
            } else {
                modes.choose(&mut rng).unwrap_or(&"workshop")
            };
            let _ = write!(
                out,
                "[[credential.intake]]\ncode = \"S{k}\"\nstarts = \"{starts:+}d\"\nends = \"{ends:+}d\"\n\
                 enrolment_opens = \"{opens:+}d\"\nenrolment_closes = \"{closes:+}d\"\n\
                 region = {region}\ndelivery_mode = \"{mode}\"\nprovider = \"Synthetic provider\"\n\
                 fee = {fee}\ncapacity = {capacity}\nwaitlist = 5\n\n",
                region = quote(region),
                fee = rng.random_range(0..30) * 50,
                capacity = rng.random_range(8..40),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::server::seed;
    use time::macros::date;

    #[test]
    fn a_synthetic_catalogue_is_a_valid_seed_file() {
        let text = catalogue(300, 7);
        let file = seed::parse_toml(&text).expect("parses");
        seed::validate(&file, &text, date!(2026 - 11 - 28)).expect("validates");
        assert_eq!(file.file.credential.len(), 300);
        assert_eq!(text, catalogue(300, 7), "same seed, same catalogue");
        assert!(text.contains("Māori"));
    }
}
