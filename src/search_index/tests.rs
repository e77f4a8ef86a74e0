//! The index end to end: what the builder writes, decoded by `read` the way `search.js` decodes
//! it; the ranking on a small corpus; the live index against a full build.

use std::collections::BTreeMap;

use super::read::{IndexReader, decode_shard};
use super::*;

fn doc(url: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        kind: "Page".into(),
        sections: vec![SearchSection {
            heading: String::new(),
            anchor: String::new(),
            text: body.into(),
        }],
        ..SearchDoc::default()
    }
}

fn corpus() -> Vec<SearchDoc> {
    let mut incident = doc(
        "/incidents/db/",
        "Database failover stalled",
        "The primary failed over to eu-west-1 and stalled. See INC-2026-003.",
    );
    incident.id = Some("INC-2026-004".into());
    incident.severity = Some("sev1".into());
    incident.date = Some("2026-03-14".into());
    incident.facets = vec![
        ("team".into(), vec!["payments".into(), "edge".into()]),
        ("severity".into(), vec!["sev1".into()]),
    ];
    incident.sections.push(SearchSection {
        heading: "Timeline".into(),
        anchor: "timeline".into(),
        text: "At 14:02 a request req=9f3a2c timed out; the failing node was drained.".into(),
    });
    let mut other = doc(
        "/incidents/cache/",
        "Cache stampede",
        "A follow-up of INC-2026-004: the cache failed too. Failover of the cache took 4 minutes.",
    );
    other.id = Some("INC-2026-005".into());
    other.facets = vec![
        ("team".into(), vec!["edge".into()]),
        ("severity".into(), vec!["sev3".into()]),
    ];
    let mut guide = doc(
        "/guides/failover/",
        "Failover",
        "How we run a failover drill, step by step. 数据库故障 is the Chinese for a database failure.",
    );
    guide.facets = vec![("kind".into(), vec!["Guide".into()])];
    vec![
        incident,
        other,
        guide,
        doc(
            "/guides/plain/",
            "A plain page",
            "Nothing to see here: quokka.",
        ),
    ]
}

fn options() -> IndexOptions {
    IndexOptions {
        language: "en".into(),
        facets: vec![
            FacetDef {
                name: "kind".into(),
                label: "Kind".into(),
                value_labels: Vec::new(),
            },
            FacetDef {
                name: "team".into(),
                label: "Team".into(),
                value_labels: vec![("payments".into(), "Payments team".into())],
            },
        ],
    }
}

fn reader(docs: Vec<SearchDoc>) -> IndexReader {
    let files = build(docs, &options());
    IndexReader::new(&files).unwrap()
}

/// Documents (by URL) the query finds, best first.
fn check(reader: &IndexReader, query: &str, expect: &[&str]) {
    let got: Vec<String> = reader
        .search(query)
        .unwrap()
        .into_iter()
        .map(|d| {
            reader.fragment(d).unwrap()["u"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(got, expect, "results for {query:?}");
}

#[test]
fn ranking_puts_ids_and_titles_first_and_requires_every_word() {
    let r = reader(corpus());
    // The exact id first, though the other incident mentions it too.
    check(&r, "INC-2026-004", &["/incidents/db/", "/incidents/cache/"]);
    check(&r, "inc-2026-005", &["/incidents/cache/"]);
    // By its parts.
    check(&r, "2026 004", &["/incidents/db/", "/incidents/cache/"]);
    // The title match above body matches; stems join failover/failed/failing.
    check(
        &r,
        "failover ",
        &["/guides/failover/", "/incidents/db/", "/incidents/cache/"],
    );
    check(&r, "failed ", &["/incidents/db/", "/incidents/cache/"]);
    // Every word required.
    check(&r, "failover quokka", &[]);
    check(&r, "cache failover", &["/incidents/cache/"]);
    // The last word as a prefix.
    check(&r, "quok", &["/guides/plain/"]);
    check(&r, "quok ", &[]);
    // req=... splits at `=`; dotted and hyphenated ids whole and by parts.
    check(&r, "9f3a2c", &["/incidents/db/"]);
    check(&r, "eu-west-1", &["/incidents/db/"]);
    check(&r, "west", &["/incidents/db/"]);
    // Ideographs, one term each.
    check(&r, "故", &["/guides/failover/"]);
}

#[test]
fn the_format_round_trips() {
    let docs = corpus();
    let files = build(docs.clone(), &options());
    // Content-hashed names under search-index/, the manifest last and unhashed.
    assert_eq!(files.last().map(|f| f.0.as_str()), Some(MANIFEST));
    for (path, _) in &files[..files.len() - 1] {
        // The hash: of the file, or of the fragments' folder.
        let mut names = path.rsplit('/');
        let (name, folder) = (names.next().unwrap(), names.next().unwrap());
        let hash = if folder.len() == 16 {
            folder
        } else {
            name.split('.').next().unwrap()
        };
        assert_eq!(hash.len(), 16, "{path}");
        assert!(path.starts_with("search-index/"), "{path}");
    }
    let r = IndexReader::new(&files).unwrap();
    assert_eq!(r.manifest.documents, 4);
    // Every document's fragment, through its chunk and group.
    for (i, d) in docs.iter().enumerate() {
        let f = r.fragment(i as u32).unwrap();
        assert_eq!(f["u"], d.url.as_str());
        assert_eq!(f["t"], d.title.as_str());
        assert_eq!(f["x"][0][2], d.sections[0].text.trim());
    }
    // Text that needs escaping survives the fragment's JSON.
    let tricky = "a \"quoted\" \\ back\nslash\t\u{1} 数据 \u{2028}";
    let mut odd = doc("/odd/", tricky, tricky);
    odd.sections[0].heading = tricky.into();
    let f = reader(vec![odd]).fragment(0).unwrap();
    assert_eq!(f["t"], tricky);
    assert_eq!(f["x"][0][0], tricky);
    assert_eq!(f["x"][0][2], tricky.trim());
    let f = r.fragment(0).unwrap();
    assert_eq!(f["i"], "INC-2026-004");
    assert_eq!(f["s"], "sev1");
    assert_eq!(f["x"][1][0], "Timeline");
    assert_eq!(f["x"][1][1], "timeline");
    // A word maps to its stem's postings and the stem's surface forms.
    let e = r.lookup("failed").unwrap().unwrap();
    let p = r.postings(&e).unwrap();
    assert_eq!(p.forms, ["failed", "failing"]);
    assert_eq!(
        p.postings.iter().map(|x| x.0).collect::<Vec<_>>(),
        [0, 1],
        "documents of `fail`"
    );
    // The id's posting carries the exact flag, in its own document only.
    let e = r.lookup("inc-2026-004").unwrap().unwrap();
    let p = r.postings(&e).unwrap();
    assert_eq!(
        p.postings.iter().map(|x| (x.0, x.2)).collect::<Vec<_>>(),
        [(0, true), (1, false)]
    );
    // Facets: labels from the options, each document's combination.
    let facets: serde_json::Value =
        serde_json::from_slice(&r.file(&r.manifest.facets).unwrap()).unwrap();
    assert_eq!(facets["facets"][1]["name"], "team");
    let labels: BTreeMap<String, String> = facets["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v[1].as_str().unwrap().into(), v[2].as_str().unwrap().into()))
        .collect();
    assert_eq!(labels["payments"], "Payments team");
    assert_eq!(labels["edge"], "edge");
    let (first, combos) =
        read::decode_facet_docs(&r.file(&r.manifest.facet_docs[0]).unwrap()).unwrap();
    assert_eq!(first, 0);
    assert_eq!(combos.len(), 4);
    assert_eq!(
        combos[3], 0,
        "a document without facets has the empty combination"
    );
    let combo = &facets["combos"][combos[0] as usize];
    assert_eq!(combo.as_array().unwrap().len(), 3, "{combo}");
}

#[test]
fn malformed_files_are_refused_not_trusted() {
    let files = build(corpus(), &options());
    let (_, shard) = files.iter().find(|f| f.0.contains("/dict/")).unwrap();
    assert!(decode_shard(shard).is_ok());
    for cut in [0, 5, 8, shard.len() / 2, shard.len() - 1] {
        assert!(decode_shard(&shard[..cut]).is_err(), "cut at {cut}");
    }
    let mut bad = shard.clone();
    let last = bad.len() - 1;
    bad[last] = 0xff;
    // A changed varint at the end either fails to decode or leaves bytes unread.
    let _ = decode_shard(&bad);
    let mut junk = shard.clone();
    junk.truncate(8);
    junk.extend_from_slice(&[0xff; 12]);
    let len = (junk.len() as u32).to_le_bytes();
    junk[4..8].copy_from_slice(&len);
    assert!(decode_shard(&junk).is_err());
}

#[test]
fn large_archives_split_chunks_groups_and_long_postings() {
    // Enough documents for several `docs/` chunks and a postings list over 48 KB.
    let n: usize = 26_000;
    let docs = (0..n).map(|i| {
        let mut d = doc(
            &format!("/d/{i}/"),
            &format!("Doc {i}"),
            &format!("common words here and rare{i}"),
        );
        d.facets = vec![("year".into(), vec![(2000 + i % 3).to_string()])];
        d
    });
    let files = build(docs, &IndexOptions::default());
    for (path, bytes) in &files {
        assert!(bytes.len() <= 50 * 1024, "{path} is {} bytes", bytes.len());
    }
    let r = IndexReader::new(&files).unwrap();
    assert_eq!(r.manifest.frags.len(), n.div_ceil(512));
    let common = r.lookup("common").unwrap().unwrap();
    assert!(common.segments.len() > 1, "{:?}", common.segments);
    let p = r.postings(&common).unwrap();
    assert_eq!(p.postings.len(), n);
    assert!(p.postings.windows(2).all(|w| w[0].0 + 1 == w[1].0));
    for i in [0, 511, 512, 13_337, n - 1] {
        assert_eq!(r.fragment(i as u32).unwrap()["u"], format!("/d/{i}/"));
        assert_eq!(r.search(&format!("rare{i} ")).unwrap(), [i as u32]);
        // Without the space the word is also a prefix: the exact word comes first.
        assert_eq!(r.search(&format!("rare{i}")).unwrap()[0], i as u32);
    }
    assert!(r.manifest.dict.len() > 1);
    assert_eq!(r.manifest.facet_docs.len(), n.div_ceil(8192));
}

/// What a reader finds for each query, as URLs, and each document's facets: what the live index
/// must answer the same as a build of the same documents.
fn answers(reader: &IndexReader) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = [
        "quokka",
        "wombat",
        "failover",
        "failed",
        "fail",
        "INC-2026-004",
        "eu-west-1",
        "west",
        "cache",
        "sev1",
        "new page",
        "\"failed over\"",
        "another",
    ]
    .iter()
    .map(|q| {
        let urls = reader
            .results(q)
            .unwrap()
            .into_iter()
            .map(|d| {
                reader.fragment(d).unwrap()["u"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        (q.to_string(), urls)
    })
    .collect();
    for d in 0..reader.manifest.documents as u32 {
        let url = reader.fragment(d).unwrap()["u"]
            .as_str()
            .unwrap()
            .to_string();
        let mut facets: Vec<String> = reader
            .facets_of(d)
            .unwrap()
            .into_iter()
            .map(|(f, v)| format!("{f}:{v}"))
            .collect();
        facets.sort();
        out.push((url, facets));
    }
    out.sort();
    out
}

#[test]
fn the_live_index_answers_as_a_build_does_and_follows_edits() {
    let docs = corpus();
    let mut live = LiveIndex::with_docs(docs.clone(), options());
    let read = read_live;
    let built = |docs: Vec<SearchDoc>| {
        let files = build(docs, &options());
        answers(&IndexReader::new(&files).unwrap())
    };
    assert_eq!(answers(&read(&live)), built(docs.clone()));
    assert_eq!(live.file("search-index/nope.bin"), None);
    // An edit: the new word is findable at once, the old one is gone.
    let mut edited = docs[3].clone();
    edited.sections[0].text = "Now about a wombat.".into();
    live.upsert(edited.clone());
    let r = read(&live);
    check(&r, "wombat", &["/guides/plain/"]);
    check(&r, "quokka", &[]);
    let mut now = docs.clone();
    now[3] = edited;
    assert_eq!(answers(&r), built(now.clone()));
    // A new document, then a removal.
    live.upsert(doc("/new/", "New page", "Another quokka appears."));
    check(&read(&live), "quokka", &["/new/"]);
    now.push(doc("/new/", "New page", "Another quokka appears."));
    assert_eq!(answers(&read(&live)), built(now.clone()));
    assert!(live.remove("/incidents/db/"));
    assert!(!live.remove("/incidents/db/"));
    let r = read(&live);
    check(&r, "INC-2026-004", &["/incidents/cache/"]);
    assert_eq!(live.len(), 4);
    now.remove(0);
    assert_eq!(answers(&r), built(now));
}

/// The live index's files, read as the browser reads them.
fn read_live(live: &LiveIndex) -> IndexReader {
    let manifest = live.file(MANIFEST).unwrap();
    let m: read::Manifest = serde_json::from_slice(&manifest).unwrap();
    let mut files = vec![(MANIFEST.to_string(), manifest.to_vec())];
    let mut names: Vec<String> = m.dict.iter().map(|d| d.1.clone()).collect();
    names.push(m.facets.clone());
    names.extend(m.facet_docs.clone());
    for n in names {
        let path = format!("{INDEX_DIR}/{n}");
        files.push((path.clone(), live.file(&path).unwrap().to_vec()));
    }
    // Postings and fragment files, as the reader asks for them.
    let all: Vec<(String, Vec<u8>)> = built_names(live, &files);
    IndexReader::new(&all).unwrap()
}

/// An edit re-encodes only what the edited document is in: a file of another stem, and a
/// dictionary shard none of its words are in, keep their names.
#[test]
fn an_edit_renames_only_the_files_it_touches() {
    let mut docs: Vec<SearchDoc> = (0..3000)
        .map(|i| {
            doc(
                &format!("/d/{i}/"),
                &format!("Doc {i}"),
                &format!("word{i} common filler{}", i % 50),
            )
        })
        .collect();
    let mut live = LiveIndex::with_docs(docs.clone(), options());
    let names = |live: &LiveIndex| -> read::Manifest {
        serde_json::from_slice(&live.file(MANIFEST).unwrap()).unwrap()
    };
    let before = names(&live);
    assert!(before.dict.len() > 3, "{} shards", before.dict.len());
    docs[7].sections[0].text = "word7 common filler7 zebra".into();
    live.upsert(docs[7].clone());
    let after = names(&live);
    let renamed = before
        .dict
        .iter()
        .zip(&after.dict)
        .filter(|(a, b)| a.1 != b.1)
        .count();
    assert!(
        renamed >= 1 && renamed < before.dict.len(),
        "{renamed} of {} shards renamed",
        before.dict.len()
    );
    let changed_chunks = before
        .frags
        .iter()
        .zip(&after.frags)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed_chunks, 1);
    check(&read_live(&live), "zebra", &["/d/7/"]);
}

/// Every file the live index has, found through the names the given files mention.
fn built_names(live: &LiveIndex, known: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let mut out = known.to_vec();
    let mut extra = Vec::new();
    for (path, bytes) in known {
        if path.contains("/dict/") {
            for e in decode_shard(bytes).unwrap().entries {
                for (file, _, _) in e.segments {
                    extra.push(file);
                }
            }
        } else if path == MANIFEST {
            let m: read::Manifest = serde_json::from_slice(bytes).unwrap();
            for (k, folder) in m.frags.iter().enumerate() {
                let first = k as u32 * m.frag_chunk;
                for doc in first..(first + m.frag_chunk).min(m.documents as u32) {
                    extra.push(format!("frag/{folder}/{}.json", doc / m.frag_group));
                }
            }
        }
    }
    extra.sort();
    extra.dedup();
    for name in extra {
        let path = format!("{INDEX_DIR}/{name}");
        if let Some(bytes) = live.file(&path) {
            out.push((path, bytes.to_vec()));
        }
    }
    out
}

/// A stem in a document or two keeps its postings in the dictionary row: the client needs no
/// postings file for an id or a hash. Its one form is left out (it is the word); a stem with
/// several forms keeps them; a common stem stays in postings files.
#[test]
fn rare_stems_are_inline_in_the_dictionary() {
    let mut docs: Vec<SearchDoc> = (0..40)
        .map(|i| {
            doc(
                &format!("/d/{i}/"),
                &format!("Doc {i}"),
                "common words here",
            )
        })
        .collect();
    docs[7].sections[0]
        .text
        .push_str(" 9f3a2c7e the quokka quokkas");
    let files = build(docs, &IndexOptions::default());
    let r = IndexReader::new(&files).unwrap();
    let hash = r.lookup("9f3a2c7e").unwrap().unwrap();
    assert!(
        hash.segments.is_empty() && hash.inline.is_some(),
        "{hash:?}"
    );
    let p = r.postings(&hash).unwrap();
    assert_eq!(p.forms, ["9f3a2c7e"]);
    assert_eq!(p.postings.iter().map(|x| x.0).collect::<Vec<_>>(), [7]);
    let animal = r.lookup("quokkas").unwrap().unwrap();
    assert!(animal.inline.is_some(), "{animal:?}");
    let mut forms = r.postings(&animal).unwrap().forms;
    forms.sort();
    assert_eq!(forms, ["quokka", "quokkas"]);
    assert!(animal.same_postings(&r.lookup("quokka").unwrap().unwrap()));
    let common = r.lookup("common").unwrap().unwrap();
    assert!(common.inline.is_none() && !common.segments.is_empty());
    assert_eq!(r.postings(&common).unwrap().postings.len(), 40);
}
