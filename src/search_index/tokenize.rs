//! Text to index terms. The words are UAX #29 words (`unicode-segmentation`), lowercased; each
//! word comes with what makes ops text findable:
//!
//! - a *word* is what the segmenter gives (`checkout`, `v2.3.1`, `don't`, `req`, `9f3a2c`,
//!   one ideograph `障`, a Katakana run `データ`), and only words count toward a section's length;
//! - its *parts*: a word holding joiners (`v2.3.1`, `foo_bar`, `host:port`) is also indexed by
//!   each run between them (`v2`, `3`, `1`);
//! - a *compound*: words that touch through one `-`, `.` or `_` (`INC-2026-004`, `eu-west-1`,
//!   which UAX #29 splits at the hyphen) are also indexed whole (`inc-2026-004`).
//!
//! `=`, `/`, spaces and other punctuation end a word, so `req=9f3a2c` is findable by
//! `9f3a2c`. The query side in `search.js` follows the same rules: it looks a token up whole,
//! and falls back to its parts when the whole is not in the dictionary.
//!
//! ASCII text takes a fast path that gives exactly what the segmenter gives (tested against it);
//! anything else goes through `unicode_word_indices`.

use unicode_segmentation::UnicodeSegmentation;

/// Longest term kept, in characters: longer words (base64 blobs, minified code) are cut there,
/// and `search.js` cuts query words the same way.
pub const MAX_TERM_CHARS: usize = 64;
/// Most words joined into one compound; longer chains are indexed by their words only.
const MAX_COMPOUND_WORDS: usize = 8;

/// What a term is to the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Word,
    Part,
    Compound,
}

/// Characters that UAX #29 allows inside a word and that also separate its parts:
/// MidLetter, MidNum, MidNumLet, ExtendNumLet, Single_Quote and Double_Quote. (`search.js`
/// holds the same list.)
pub fn is_joiner(c: char) -> bool {
    matches!(
        c,
        ':' | '\u{B7}'
            | '\u{387}'
            | '\u{55F}'
            | '\u{5F4}'
            | '\u{2027}'
            | '\u{FE13}'
            | '\u{FE55}'
            | '\u{FF1A}'
            | ','
            | ';'
            | '\u{37E}'
            | '\u{589}'
            | '\u{60C}'
            | '\u{60D}'
            | '\u{66C}'
            | '\u{7F8}'
            | '\u{2044}'
            | '\u{FE10}'
            | '\u{FE14}'
            | '\u{FE50}'
            | '\u{FE54}'
            | '\u{FF0C}'
            | '\u{FF1B}'
            | '.'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{2024}'
            | '\u{FE52}'
            | '\u{FF07}'
            | '\u{FF0E}'
            | '_'
            | '\u{202F}'
            | '\u{203F}'
            | '\u{2040}'
            | '\u{2054}'
            | '\u{FE33}'
            | '\u{FE34}'
            | '\u{FE4D}'
            | '\u{FE4E}'
            | '\u{FE4F}'
            | '\u{FF3F}'
            | '\''
            | '"'
    )
}

/// Invisible format characters (soft hyphen, zero-width marks) are dropped from words, so
/// `fail\u{AD}over` is indexed as `failover`.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Characters that join two words into a compound: `INC-2026-004`, `eu-west-1`, `a.1`.
fn is_compound_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '\u{2010}' | '\u{2011}')
}

/// The UAX #29 words of `text` as byte ranges, in order. ASCII text is scanned directly.
pub fn words(text: &str, mut f: impl FnMut(usize, usize)) {
    if text.is_ascii() {
        ascii_words(text.as_bytes(), f);
    } else {
        for (start, w) in text.unicode_word_indices() {
            f(start, start + w.len());
        }
    }
}

/// Per byte: 1 letter, 2 digit, 3 underscore, 0 anything else; plus the `LOWER_ALNUM` bit for
/// `a-z0-9`.
const LOWER_ALNUM: u8 = 8;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            1 | LOWER_ALNUM
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2 | LOWER_ALNUM
        } else if c == b'_' {
            3
        } else {
            0
        };
        b += 1;
    }
    t
};

#[inline]
fn ascii_class(b: u8) -> u8 {
    ASCII_CLASS[b as usize] & 7
}

/// UAX #29 word boundaries for ASCII (rules WB5-WB13b): letters, digits and `_` run together;
/// `:` `.` `'` join two letters, `,` `;` `.` `'` join two digits. Segments with no letter or
/// digit (`__`) are not words, as `unicode_words` drops them.
fn ascii_words(b: &[u8], mut f: impl FnMut(usize, usize)) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        if ascii_class(b[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut alnum = false;
        loop {
            while i < n {
                let c = ascii_class(b[i]);
                if c == 0 {
                    break;
                }
                alnum |= c != 3;
                i += 1;
            }
            if i + 1 < n && i > start {
                let (prev, mid, next) = (ascii_class(b[i - 1]), b[i], ascii_class(b[i + 1]));
                let letters = prev == 1 && next == 1 && matches!(mid, b':' | b'.' | b'\'');
                let digits = prev == 2 && next == 2 && matches!(mid, b',' | b';' | b'.' | b'\'');
                if letters || digits {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        if alnum {
            f(start, i);
        }
    }
}

/// Calls `emit(term, kind)` for every term of `text`, lowercased and cut to `MAX_TERM_CHARS`.
/// `buf` and `parts` are scratch space the caller keeps between calls.
pub fn terms(text: &str, scratch: &mut Scratch, mut emit: impl FnMut(&str, TermKind)) {
    // (start, end, word count) of the compound being collected.
    let mut chain_start = 0;
    let mut chain_end = 0;
    let mut chain_words = 0;
    words(text, |start, end| {
        // Joined to the previous word through exactly one compound joiner?
        let joined = chain_words > 0 && start > chain_end && {
            let gap = &text[chain_end..start];
            let mut chars = gap.chars();
            chars.next().is_some_and(is_compound_joiner) && chars.next().is_none()
        };
        if joined {
            chain_words += 1;
            chain_end = end;
        } else {
            if chain_words > 0 {
                flush_compound(
                    &text[chain_start..chain_end],
                    chain_words,
                    scratch,
                    &mut emit,
                );
            }
            chain_start = start;
            chain_end = end;
            chain_words = 1;
        }
        let word = &text[start..end];
        // The common case: an ASCII word of lowercase letters and digits is its own term.
        let bytes = word.as_bytes();
        if bytes.len() <= MAX_TERM_CHARS
            && bytes
                .iter()
                .all(|&b| ASCII_CLASS[b as usize] & LOWER_ALNUM != 0)
        {
            emit(word, TermKind::Word);
            return;
        }
        lower_into(word, &mut scratch.buf);
        if scratch.buf.is_empty() {
            return;
        }
        emit(&scratch.buf, TermKind::Word);
        let plain = scratch.buf.bytes().all(|b| b.is_ascii_alphanumeric());
        if !plain && scratch.buf.chars().any(is_joiner) {
            // Parts: the runs between joiners.
            let lowered = std::mem::take(&mut scratch.buf);
            for part in lowered.split(is_joiner).filter(|p| !p.is_empty()) {
                emit(part, TermKind::Part);
            }
            scratch.buf = lowered;
        }
    });
    if chain_words > 0 {
        flush_compound(
            &text[chain_start..chain_end],
            chain_words,
            scratch,
            &mut emit,
        );
    }
}

fn flush_compound(
    whole: &str,
    words: usize,
    scratch: &mut Scratch,
    emit: &mut impl FnMut(&str, TermKind),
) {
    if (2..=MAX_COMPOUND_WORDS).contains(&words) {
        lower_into(whole, &mut scratch.buf);
        if !scratch.buf.is_empty() {
            emit(&scratch.buf, TermKind::Compound);
        }
    }
}

/// Scratch buffers for `terms`, kept by the caller so that tokenizing allocates nothing per word.
#[derive(Default)]
pub struct Scratch {
    buf: String,
}

/// Lowercases `word` into `out`, dropping format characters and cutting at `MAX_TERM_CHARS`.
fn lower_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        let cut = &word[..word.len().min(MAX_TERM_CHARS)];
        out.push_str(cut);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars().filter(|&c| !is_format(c)).take(MAX_TERM_CHARS) {
        out.extend(c.to_lowercase());
    }
}

/// A stemmer for a language, or none: a language without a Snowball stemmer is indexed by its
/// surface words only.
#[derive(Clone, Copy)]
pub struct Stemmer(Option<frostem::Stemmer>);

impl Stemmer {
    /// `en`, `en-GB`, `english`, `de`, ... The primary subtag picks the algorithm.
    pub fn for_language(language: &str) -> Stemmer {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Stemmer(frostem::Stemmer::try_from_name(&primary).ok())
    }

    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }

    /// The stem of a lowercased surface word. Only words of letters (and apostrophes, which
    /// English Snowball understands) are stemmed: ids, numbers and compounds stay as they are.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        let Some(stemmer) = &self.0 else {
            return Cow::Borrowed(word);
        };
        let stemmable = if word.is_ascii() {
            word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'')
        } else {
            word.chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}')
        };
        if !stemmable || word.starts_with('\'') {
            return Cow::Borrowed(word);
        }
        if word.contains('\u{2019}') {
            let plain = word.replace('\u{2019}', "'");
            let stem = stemmer.stem(&plain).into_owned();
            return if stem.is_empty() {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(stem)
            };
        }
        match stemmer.stem(word) {
            Cow::Owned(s) if s.is_empty() => Cow::Borrowed(word),
            Cow::Owned(s) => Cow::Owned(s),
            Cow::Borrowed(s) if s.len() == word.len() => Cow::Borrowed(word),
            Cow::Borrowed(s) => Cow::Owned(s.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms of `text`, as "word" / "+part" / "=compound".
    fn check(text: &str, expect: &[&str]) {
        let mut got = Vec::new();
        terms(text, &mut Scratch::default(), |t, kind| {
            got.push(match kind {
                TermKind::Word => t.to_string(),
                TermKind::Part => format!("+{t}"),
                TermKind::Compound => format!("={t}"),
            })
        });
        assert_eq!(got, expect, "terms of {text:?}");
    }

    #[test]
    fn ids_are_findable_whole_and_by_their_parts() {
        check("INC-2026-004", &["inc", "2026", "004", "=inc-2026-004"]);
        check("in eu-west-1.", &["in", "eu", "west", "1", "=eu-west-1"]);
        check("v2.3.1", &["v2.3.1", "+v2", "+3", "+1"]);
        check("req=9f3a2c", &["req", "9f3a2c"]);
        check("user_id:42", &["user_id", "+user", "+id", "42"]);
        check("host:port", &["host:port", "+host", "+port"]);
        check("1,000 ms", &["1,000", "+1", "+000", "ms"]);
        check(
            "Checkout-API's",
            &["checkout", "api's", "+api", "+s", "=checkout-api's"],
        );
        check("a - b", &["a", "b"]);
        check("10.0.0.1/24", &["10.0.0.1", "+10", "+0", "+0", "+1", "24"]);
        check(
            "a-b-c-d-e-f-g-h-i",
            &["a", "b", "c", "d", "e", "f", "g", "h", "i"],
        );
    }

    #[test]
    fn cjk_and_other_scripts_follow_uax29() {
        // Each ideograph and each Hiragana is a word of its own; a Katakana run is one word.
        check("数据库故障", &["数", "据", "库", "故", "障"]);
        check(
            "データベースが落ちた",
            &["データベース", "が", "落", "ち", "た"],
        );
        check("Ünïcode WÖRKS", &["ünïcode", "wörks"]);
        check("fail\u{AD}over", &["failover"]);
        check("don’t", &["don’t", "+don", "+t"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "x".repeat(100);
        check(&long, &[&"x".repeat(MAX_TERM_CHARS)]);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_segmenter() {
        // A deterministic mix of every ASCII class the rules look at.
        let alphabet = b"aZq09_:.,;'\"- =/\n\tx";
        let mut seed: u64 = 0x1234_5678;
        for _ in 0..3000 {
            let len = (seed >> 40) as usize % 24;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()] as char);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(7);
            let mut fast = Vec::new();
            ascii_words(s.as_bytes(), |a, b| fast.push(&s[a..b]));
            let slow: Vec<&str> = s.unicode_words().collect();
            assert_eq!(fast, slow, "words of {s:?}");
        }
    }

    #[test]
    fn stems() {
        let en = Stemmer::for_language("en-GB");
        for (word, stem) in [
            ("failed", "fail"),
            ("failing", "fail"),
            ("failover", "failov"),
            ("reviews", "review"),
            ("team's", "team"),
            ("team’s", "team"),
            ("inc-2026-004", "inc-2026-004"),
            ("v2", "v2"),
            ("2026", "2026"),
        ] {
            assert_eq!(en.stem(word), stem, "stem of {word}");
        }
        assert_eq!(Stemmer::for_language("de").stem("automaten"), "automat");
        let none = Stemmer::for_language("zh");
        assert!(!none.is_some());
        assert_eq!(none.stem("failed"), "failed");
    }
}
