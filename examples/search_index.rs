//! Throwaway wiring for phase A of the own search index (not the build's code path yet): reads a
//! site with `validate_site`, maps its documents to `SearchDoc`s and writes the index.
//!
//!     cargo run --release --example search_index -- ROOT OUT [--dry|--no-index] [--query WORDS]...
//!
//! Prints the time and CPU of each step and the index's size; `OUT/search-index/` can be dropped
//! into a site built with `opsbook build --no-search` to try it in a browser.

use std::path::{Path, PathBuf};
use std::time::Instant;

use opsbook::search_index::{self, FacetDef, IndexOptions, SearchDoc, SearchSection};
use opsbook::{BuildOptions, ParseCache};

// The allocator opsbook's binary uses.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: search_index ROOT OUT [--query WORDS]...");
        std::process::exit(2);
    };
    let queries: Vec<&String> = args
        .windows(2)
        .filter(|w| w[0] == "--query")
        .map(|w| &w[1])
        .collect();
    let out = PathBuf::from(out);
    // --dry: index without writing (the indexing's own cost).
    let dry = args.iter().any(|a| a == "--dry");
    // --no-index: stop after reading the site (its memory without the index's).
    if args.iter().any(|a| a == "--no-index") {
        let v = opsbook::validate_site(&BuildOptions::new(root), &mut ParseCache::off());
        eprintln!("validated: {}", v.map_or(0, |v| v.site.records.len()));
        return;
    }

    let started = Instant::now();
    let validated = opsbook::validate_site(&BuildOptions::new(root), &mut ParseCache::off())
        .unwrap_or_else(|e| panic!("{e}"));
    let site = &validated.site;
    eprintln!(
        "validate: {:.2}s, {} documents",
        started.elapsed().as_secs_f64(),
        site.records.len()
    );

    let options = IndexOptions {
        language: site.config.language.clone(),
        facets: opsbook::search::FACETS
            .iter()
            .map(|&(name, label)| FacetDef {
                name: name.into(),
                label: label.into(),
                value_labels: if name == "team" {
                    site.teams
                        .values()
                        .map(|t| (t.id.clone(), t.name.clone()))
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
    };
    // Newest first: documents that score the same are shown in index order.
    let mut order: Vec<usize> = (0..site.records.len()).collect();
    order.sort_by(|&a, &b| site.records[b].doc.date.cmp(&site.records[a].doc.date));
    let to_doc = |i: usize| {
        let record = &site.records[i];
        let doc = &record.doc;
        SearchDoc {
            url: doc.url.clone(),
            title: doc.title.clone(),
            kind: opsbook::search::kind_label(site, i),
            date: doc.date.map(|d| d.to_string()),
            id: doc.explicit_id.then(|| doc.id.clone()),
            severity: opsbook::archive::string_field(record, "severity").map(str::to_string),
            facets: opsbook::search::facets(site, i)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            sections: doc
                .markdown
                .sections()
                .into_iter()
                .map(|(h, text)| SearchSection {
                    heading: h.map(|h| h.text.clone()).unwrap_or_default(),
                    anchor: h.map(|h| h.id.clone()).unwrap_or_default(),
                    text: text.to_string(),
                })
                .collect(),
        }
    };

    let dir = out.join(search_index::INDEX_DIR);
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["dict", "post", "frag", "facets", "facetdocs"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap_or_else(|e| panic!("{e}"));
    }
    let cpu = cpu_seconds();
    let started = Instant::now();
    let mut written = 0usize;
    let stats = search_index::build_with(
        order.iter().map(|&i| to_doc(i)),
        &options,
        &mut |path: &str, bytes: Vec<u8>| {
            written += 1;
            if dry {
                return Ok(());
            }
            let path = out.join(path);
            if let Some(dir) = path.parent().filter(|d| !d.exists()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, bytes)
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "index: {:.2}s wall, {:.2} CPU-s; {stats:?}",
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu
    );
    if dry {
        return;
    }
    report_sizes(&dir);
    for q in queries {
        let files = read_all(&dir);
        let reader = search_index::read::IndexReader::new(&files).unwrap_or_else(|e| panic!("{e}"));
        let hits = reader.search(q).unwrap_or_else(|e| panic!("{e}"));
        let top: Vec<String> = hits
            .iter()
            .take(3)
            .map(|&d| {
                reader
                    .fragment(d)
                    .map_or_else(|e| e.to_string(), |f| f["t"].to_string())
            })
            .collect();
        eprintln!("{q:?}: {} results, top {top:?}", hits.len());
    }
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let root = dir.parent().unwrap_or(dir);
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

fn report_sizes(dir: &Path) {
    for sub in ["dict", "post", "frag", "facets", "facetdocs"] {
        let sizes: Vec<u64> = walkdir::WalkDir::new(dir.join(sub))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .collect();
        let total: u64 = sizes.iter().sum();
        eprintln!(
            "  {sub:10} {:6} files, {:8.1} KB total, largest {:6.1} KB",
            sizes.len(),
            total as f64 / 1024.0,
            sizes.iter().max().copied().unwrap_or(0) as f64 / 1024.0
        );
    }
    let manifest = std::fs::metadata(dir.join("manifest.json")).map_or(0, |m| m.len());
    eprintln!("  manifest.json {:.1} KB", manifest as f64 / 1024.0);
}
