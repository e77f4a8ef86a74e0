//! Step 1 of the index (see `invert`): a batch of documents tokenized, stemmed through a
//! per-thread cache and counted against a batch-local vocabulary, each with its fragment (the
//! JSON the browser shows a result from). Runs in parallel, a batch per task.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::SearchDoc;
use super::format::FxHashMap;
use super::invert::{EXACT_ID, FLAG_BITS, FRAGMENT_TEXT_BYTES, IN_HEADING, IN_TITLE};
use super::tokenize::{self, Scratch, Stemmer, TermKind};

/// A document after step 1: its terms by batch-local word id, with counts and flags.
pub struct Prepared {
    /// (local word id, `tf << 3 | flags`).
    pub terms: Vec<(u32, u32)>,
    /// Body words (for BM25's length normalization).
    pub length: u32,
    /// The document's fragment (JSON), as it goes into a group.
    pub fragment: Vec<u8>,
    pub facets: Vec<(String, Vec<String>)>,
}

/// A batch of prepared documents. Word ids are those of the thread vocabulary `vocab`; the
/// batch carries the words that vocabulary gained for it, numbered from `first_new`.
pub struct Batch {
    pub vocab: u64,
    pub first_new: u32,
    pub new_words: Vec<(Box<str>, Option<Box<str>>)>,
    pub docs: Vec<Prepared>,
}

/// Each build (and each live update) is a generation; a thread's vocabulary belongs to one.
static GENERATION: AtomicU64 = AtomicU64::new(1);
/// Every thread vocabulary gets its own id, so that the merge maps its ids to global ones.
static VOCAB_IDS: AtomicU64 = AtomicU64::new(1);

pub fn new_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// A thread's vocabulary for one generation: surface word -> thread-local id, with its stem
/// computed once. Words are interned (and stemmed) once per thread, not once per batch; a
/// batch exports only the words that were new.
#[derive(Default)]
struct ThreadVocab {
    generation: u64,
    id: u64,
    ids: FxHashMap<Box<str>, u32>,
    short_ids: FxHashMap<u64, u32>,
    next: u32,
    exported: u32,
    new_words: Vec<(Box<str>, Option<Box<str>>)>,
    language: String,
    stemmer: Option<Stemmer>,
    slots: Vec<u32>,
}

thread_local! {
    static THREAD_VOCAB: RefCell<ThreadVocab> = RefCell::new(ThreadVocab::default());
}

/// Frees this thread's vocabulary (a build calls it on every thread when it is done).
pub fn release_thread_vocab() {
    THREAD_VOCAB.with(|v| *v.borrow_mut() = ThreadVocab::default());
}

/// Step 1 for a slice of documents, in generation `generation`.
pub fn prepare_batch(
    docs: &[SearchDoc],
    generation: u64,
    language: &str,
    stemmer: Stemmer,
) -> Batch {
    THREAD_VOCAB.with(|cell| {
        let mut vocab = cell.borrow_mut();
        if vocab.generation != generation || vocab.language != language {
            *vocab = ThreadVocab {
                generation,
                id: VOCAB_IDS.fetch_add(1, Ordering::Relaxed),
                language: language.to_string(),
                stemmer: Some(stemmer),
                ..ThreadVocab::default()
            };
        }
        let mut scratch = Scratch::default();
        let mut slots = std::mem::take(&mut vocab.slots);
        let docs = docs
            .iter()
            .map(|doc| prepare_doc(doc, &mut vocab, &mut scratch, &mut slots))
            .collect();
        vocab.slots = slots;
        let first_new = vocab.exported;
        vocab.exported = vocab.next;
        Batch {
            vocab: vocab.id,
            first_new,
            new_words: std::mem::take(&mut vocab.new_words),
            docs,
        }
    })
}

impl ThreadVocab {
    #[inline]
    fn id(&mut self, word: &str) -> u32 {
        // Most words fit in 8 bytes: they are their own key, hashed with one multiply and
        // compared as integers (no zero byte occurs in a word, so the padding is unambiguous).
        let short = (word.len() <= 8).then(|| {
            let mut key = [0u8; 8];
            key[..word.len()].copy_from_slice(word.as_bytes());
            u64::from_le_bytes(key)
        });
        let found = match short {
            Some(key) => self.short_ids.get(&key),
            None => self.ids.get(word),
        };
        if let Some(&id) = found {
            return id;
        }
        let stem = match self.stemmer.map(|s| s.stem(word)) {
            Some(std::borrow::Cow::Owned(s)) if s != word => Some(s.into_boxed_str()),
            _ => None,
        };
        let id = self.next;
        self.next += 1;
        let word: Box<str> = word.into();
        match short {
            Some(key) => {
                self.short_ids.insert(key, id);
            }
            None => {
                self.ids.insert(word.clone(), id);
            }
        }
        self.new_words.push((word, stem));
        id
    }
}

fn prepare_doc(
    doc: &SearchDoc,
    vocab: &mut ThreadVocab,
    scratch: &mut Scratch,
    slots: &mut Vec<u32>,
) -> Prepared {
    let mut terms: Vec<(u32, u32)> = Vec::with_capacity(256);
    let mut length = 0u32;
    // slots[local id] = position in `terms` + 1 while this document is counted.
    let mut add = |id: u32, tf: u32, flags: u32, terms: &mut Vec<(u32, u32)>| {
        let i = id as usize;
        if slots.len() <= i {
            slots.resize(i + 1, 0);
        }
        match slots[i] {
            0 => {
                terms.push((id, (tf << FLAG_BITS) | flags));
                slots[i] = terms.len() as u32;
            }
            at => {
                let entry = &mut terms[at as usize - 1];
                entry.1 = (entry.1 + (tf << FLAG_BITS)) | flags;
            }
        }
    };
    // The id as one term: its compound if it has one (`inc-2026-004`), else its first word.
    let exact = doc.id.as_deref().map(|id| {
        let mut whole = String::new();
        tokenize::terms(id, scratch, |t, kind| {
            if kind == TermKind::Compound || (whole.is_empty() && kind == TermKind::Word) {
                whole = t.to_string();
            }
        });
        whole
    });
    tokenize::terms(&doc.title, scratch, |t, _| {
        let id = vocab.id(t);
        add(id, 0, IN_TITLE, &mut terms);
    });
    if let Some(id_text) = &doc.id {
        tokenize::terms(id_text, scratch, |t, _| {
            let exact_flag = if exact.as_deref() == Some(t) {
                EXACT_ID
            } else {
                0
            };
            let id = vocab.id(t);
            add(id, 0, IN_TITLE | exact_flag, &mut terms);
        });
    }
    for section in &doc.sections {
        tokenize::terms(&section.heading, scratch, |t, _| {
            let id = vocab.id(t);
            add(id, 1, IN_HEADING, &mut terms);
        });
        tokenize::terms(&section.text, scratch, |t, kind| {
            if kind == TermKind::Word {
                length += 1;
            }
            let id = vocab.id(t);
            add(id, 1, 0, &mut terms);
        });
    }
    for &(id, _) in &terms {
        slots[id as usize] = 0;
    }
    // Counts saturate long before this; keep them from overflowing into nothing.
    const TF_MAX: u32 = (1 << 24) - 1;
    for t in &mut terms {
        if (t.1 >> FLAG_BITS) > TF_MAX {
            t.1 = (TF_MAX << FLAG_BITS) | (t.1 & ((1 << FLAG_BITS) - 1));
        }
    }
    Prepared {
        terms,
        length,
        fragment: fragment_json(doc),
        facets: doc.facets.clone(),
    }
}

fn fragment_json(doc: &SearchDoc) -> Vec<u8> {
    let mut budget = FRAGMENT_TEXT_BYTES;
    let mut cut = false;
    let mut sections = Vec::with_capacity(doc.sections.len());
    for s in &doc.sections {
        let text = s.text.trim();
        let kept = if text.len() <= budget {
            text
        } else {
            cut = true;
            let mut end = budget;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            &text[..end]
        };
        budget -= kept.len();
        if !kept.is_empty() || !s.heading.is_empty() {
            sections.push((s.heading.as_str(), s.anchor.as_str(), kept));
        }
    }
    // The fragment as the client reads it, with short keys (it is most of the index's bytes):
    // url, title, kind, date, id, severity, sections as [heading, anchor, text], cut.
    let mut out = Vec::with_capacity(
        64 + doc.url.len()
            + doc.title.len()
            + FRAGMENT_TEXT_BYTES.min(
                sections
                    .iter()
                    .map(|s| s.2.len() + s.0.len() + s.1.len() + 12)
                    .sum(),
            ),
    );
    out.extend_from_slice(b"{\"u\":");
    push_json_str(&mut out, &doc.url);
    out.extend_from_slice(b",\"t\":");
    push_json_str(&mut out, &doc.title);
    let optional = [
        ("k", (!doc.kind.is_empty()).then_some(doc.kind.as_str())),
        ("d", doc.date.as_deref()),
        ("i", doc.id.as_deref()),
        ("s", doc.severity.as_deref()),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            out.extend_from_slice(format!(",\"{key}\":").as_bytes());
            push_json_str(&mut out, v);
        }
    }
    out.extend_from_slice(b",\"x\":[");
    for (n, (heading, anchor, text)) in sections.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_json_str(&mut out, heading);
        out.push(b',');
        push_json_str(&mut out, anchor);
        out.push(b',');
        push_json_str(&mut out, text);
        out.push(b']');
    }
    out.push(b']');
    if cut {
        out.extend_from_slice(b",\"c\":true");
    }
    out.push(b'}');
    out
}

/// Whether a JSON string needs escapes: checked 32 bytes at a time without early exits inside a
/// block, which the compiler turns into vector instructions.
fn needs_escape(bytes: &[u8]) -> bool {
    let special = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |m, &b| m | special(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| special(b))
}

/// Appends `s` as a JSON string. Text rarely needs escaping: it is checked first, then copied
/// whole.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
    } else {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => b"",
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..i]);
            if escaped.is_empty() {
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
            } else {
                out.extend_from_slice(escaped);
            }
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
    }
    out.push(b'"');
}
