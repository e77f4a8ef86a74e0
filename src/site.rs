//! The site: every document classified (playbook, template, review, team, page) and validated
//! against its schema. Reviews are matched to their template by the folder the template claims
//! or by `template = "..."`. The result, `Site`, is what the link graph and the renderer read.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use time::Date;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::suggest;
use crate::document::{Document, Kind};
use crate::schema::{Checker, Fields, Reference, Schema};
use crate::value::Value;

/// URLs of the pages the generator makes besides documents; links to them are valid.
pub(crate) const GENERATED_URLS: &[&str] = &[
    "/",
    "/incidents/",
    "/action-items/",
    "/search/",
    "/atom.xml",
    "/sitemap.xml",
    "/404.html",
    "/teams/",
    "/meetings/",
    "/templates/",
];

/// A document of the site: its place in `Site::records`. A type of its own, so that a team's
/// or a template's index cannot be passed where a document is meant. (`u32`: a site has far
/// fewer than four billion files, and lists of ids are half the size.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(u32);

impl DocId {
    pub fn new(index: usize) -> DocId {
        DocId(index as u32)
    }

    /// The position in `Site::records` (and in every `PerDoc`).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One value per document of a site, indexed by `DocId`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerDoc<T>(pub Vec<T>);

impl<T> std::ops::Index<DocId> for PerDoc<T> {
    type Output = T;
    fn index(&self, id: DocId) -> &T {
        &self.0[id.index()]
    }
}

impl<T> std::ops::IndexMut<DocId> for PerDoc<T> {
    fn index_mut(&mut self, id: DocId) -> &mut T {
        &mut self.0[id.index()]
    }
}

impl<T> FromIterator<T> for PerDoc<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        PerDoc(iter.into_iter().collect())
    }
}

/// A template and the schema it declares.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template's own document.
    pub doc: DocId,
    pub id: String,
    pub schema: Schema,
    /// Folder under `content/` whose files are reviews of this template.
    pub folder: Option<String>,
    /// The playbook of the meeting these reviews belong to.
    pub meeting: Option<DocId>,
    /// Singular name of one review: "Incident", "Business review".
    pub label: String,
    /// Id pattern for `opsbook new`, e.g. `INC-{year}-{seq:03}`.
    pub id_format: Option<String>,
    /// How `opsbook new` names a review's file (without `.md`), e.g. `{year}-w{week}`.
    pub file_name: Option<String>,
    /// How `opsbook new` titles a review, e.g. `Weekly ops review, {year}-W{week}`.
    pub title_format: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub handle: String,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub doc: DocId,
    pub id: String,
    pub name: String,
    pub members: Vec<Member>,
}

/// A document with its validated fields and its template, if it is a review.
#[derive(Debug, Clone)]
pub struct Record {
    /// Shared with the preview server's parse cache: a rebuild copies no document.
    pub doc: Arc<Document>,
    /// The document's kind in the site: a page that a template claims is a `Review`.
    pub kind: Kind,
    pub fields: Fields,
    pub template: Option<usize>,
    pub related: Vec<Reference>,
    /// What validating this document found (its schema, its `related` list); problems that
    /// span documents (duplicate ids, teams) are the site's.
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Shared between successive builds of the preview server: an edit replaces only the
    /// records it changes.
    pub records: Vec<Arc<Record>>,
    pub templates: Vec<Template>,
    /// Folder under `content/` -> the template (index) whose reviews live there.
    pub claims: BTreeMap<String, usize>,
    pub teams: BTreeMap<String, Team>,
    /// Problems that span documents: templates, claims, teams, duplicate ids and URLs.
    pub problems: Vec<Diagnostic>,
    pub today: Date,
    pub drafts: Drafts,
    /// Drafts `Drafts::Exclude` left out of the site.
    pub drafts_left_out: usize,
}

/// Whether drafts are part of the site: `build` leaves them out, `serve` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    /// A published build: no drafts, no private folders.
    Exclude,
    /// The preview: drafts shown with a banner; private folders still left out.
    Include,
    /// `check`: everything, so problems in drafts and private folders are found too.
    Unpublished,
}

impl std::ops::Index<DocId> for Site {
    type Output = Record;
    fn index(&self, id: DocId) -> &Record {
        &self.records[id.index()]
    }
}

impl Site {
    /// Every problem validation found: the site's and each document's.
    pub fn all_problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems
            .iter()
            .chain(self.records.iter().flat_map(|r| &r.problems))
    }

    /// Every document's id, in `records` order.
    pub fn ids(&self) -> impl Iterator<Item = DocId> + use<> {
        (0..self.records.len()).map(DocId::new)
    }

    /// Every document with its id.
    pub fn iter(&self) -> impl Iterator<Item = (DocId, &Record)> {
        self.records
            .iter()
            .enumerate()
            .map(|(i, r)| (DocId::new(i), r.as_ref()))
    }

    pub fn template_of(&self, record: &Record) -> Option<&Template> {
        record.template.map(|t| &self.templates[t])
    }

    /// What kind of document this is, as readers say it: "Incident", "Ops review", "Playbook".
    /// The home page and section pages are plain "Page"s.
    pub fn kind_label(&self, record: &Record) -> String {
        match record.kind {
            Kind::Review => self
                .template_of(record)
                .map_or_else(|| "Review".into(), |t| t.label.clone()),
            Kind::Home | Kind::Section => "Page".into(),
            kind => kind.label().to_string(),
        }
    }
}

/// Classifies and validates `docs`; returns the site and every problem found.
pub fn assemble(
    docs: Vec<Arc<Document>>,
    config: Config,
    today: Date,
    drafts: Drafts,
) -> (Site, Vec<Diagnostic>) {
    let private: Vec<String> = config
        .private
        .iter()
        .map(|p| p.trim_matches('/').to_string())
        .collect();
    let is_private = |d: &Document| {
        private
            .iter()
            .any(|p| d.folder == *p || d.folder.starts_with(&format!("{p}/")))
    };
    let drafts_left_out = match drafts {
        Drafts::Exclude => docs.iter().filter(|d| d.draft && !is_private(d)).count(),
        Drafts::Include | Drafts::Unpublished => 0,
    };
    let docs: Vec<Arc<Document>> = docs
        .into_iter()
        .filter(|d| match drafts {
            Drafts::Exclude => !d.draft && !is_private(d),
            Drafts::Include => !is_private(d),
            Drafts::Unpublished => true,
        })
        .collect();
    let mut diagnostics = Vec::new();

    // Templates first: every review is checked against one.
    let mut templates = Vec::new();
    for (i, doc) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Template && !d.stub)
    {
        let mut check = Checker {
            path: &doc.path,
            text: &doc.text,
            diagnostics: Vec::new(),
        };
        let schema = Schema::from_template(&doc.front, &mut check);
        diagnostics.extend(check.diagnostics);
        let meeting = doc.front.entry("meeting").and_then(|e| {
            let target = e.node.value.display();
            let found = docs
                .iter()
                .position(|d| {
                    d.kind == Kind::Playbook
                        && (d.id == target
                            || d.rel == target
                            || d.rel == format!("meetings/{target}"))
                })
                .map(DocId::new);
            if found.is_none() {
                let playbooks = docs
                    .iter()
                    .filter(|d| d.kind == Kind::Playbook)
                    .map(|d| d.id.as_str());
                let mut d = Diagnostic::error(
                    &doc.path,
                    format!(
                        "`meeting = \"{target}\"`: no playbook with that id in content/meetings/"
                    ),
                )
                .at(&doc.text, e.node.span.start);
                if let Some(s) = suggest(&target, playbooks) {
                    d = d.with_suggestion(format!("did you mean `{s}`?"));
                }
                diagnostics.push(d);
            }
            found
        });
        templates.push(Template {
            doc: DocId::new(i),
            id: doc.id.clone(),
            schema,
            folder: doc
                .front
                .str("folder")
                .map(|f| f.trim_matches('/').to_string()),
            meeting,
            label: doc
                .front
                .str("label")
                .map_or_else(|| doc.title.clone(), str::to_string),
            id_format: name_pattern(
                doc,
                "id_format",
                crate::pattern::ID_FORMAT,
                &mut diagnostics,
            ),
            file_name: name_pattern(
                doc,
                "file_name",
                crate::pattern::FILE_NAME,
                &mut diagnostics,
            ),
            title_format: name_pattern(
                doc,
                "title_format",
                crate::pattern::TITLE_FORMAT,
                &mut diagnostics,
            ),
        });
    }

    // Folder claims: the template's own `folder`, overridden by `[claims]` in opsbook.toml.
    let mut claims: BTreeMap<String, usize> = BTreeMap::new();
    for (t, template) in templates.iter().enumerate() {
        if let Some(folder) = &template.folder {
            claims.insert(folder.clone(), t);
        }
    }
    for (folder, template_id) in &config.claims {
        match templates.iter().position(|t| &t.id == template_id) {
            Some(t) => {
                claims.insert(folder.trim_matches('/').to_string(), t);
            }
            None => diagnostics.push(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("[claims] \"{folder}\" = \"{template_id}\": no template with that id in content/templates/"),
            )),
        }
    }

    let schemas = BuiltinSchemas::new();
    let records: Vec<Arc<Record>> = docs
        .into_par_iter()
        .map(|doc| Arc::new(validate_record(doc, &templates, &claims, &schemas)))
        .collect();
    let teams = collect_teams(&records, &mut diagnostics);
    check_duplicates(&records, &mut diagnostics);
    let site = Site {
        config,
        records,
        templates,
        claims,
        teams,
        problems: diagnostics,
        today,
        drafts,
        drafts_left_out,
    };
    let all = site.all_problems().cloned().collect();
    (site, all)
}

/// The schemas of documents no template claims.
pub(crate) struct BuiltinSchemas {
    playbook: Schema,
    team: Schema,
    page: Schema,
}

impl BuiltinSchemas {
    pub(crate) fn new() -> BuiltinSchemas {
        BuiltinSchemas {
            playbook: Schema::playbook(),
            team: Schema::team(),
            page: Schema::page(),
        }
    }
}

/// One document classified (a page a template claims is a review) and checked against its
/// schema. A function of the document, the templates and the folder claims only, so the
/// preview server can redo it for the one document an edit changed.
pub(crate) fn validate_record(
    doc: Arc<Document>,
    templates: &[Template],
    claims: &BTreeMap<String, usize>,
    schemas: &BuiltinSchemas,
) -> Record {
    let mut check = Checker {
        path: &doc.path,
        text: &doc.text,
        diagnostics: Vec::new(),
    };
    let template = if doc.kind == Kind::Page && !doc.stub {
        find_template(&doc, templates, claims, &mut check)
    } else {
        None
    };
    let kind = if template.is_some() {
        Kind::Review
    } else {
        doc.kind
    };
    let headings: Vec<(String, usize)> = doc
        .markdown
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| (h.text.clone(), doc.body_offset + h.offset))
        .collect();
    let schema = match (kind, template) {
        (_, Some(t)) => &templates[t].schema,
        (Kind::Playbook, _) => &schemas.playbook,
        (Kind::Team, _) => &schemas.team,
        _ => &schemas.page,
    };
    // A stub already has its parse error; checking it again would only add noise.
    let fields = if doc.stub {
        Fields::default()
    } else {
        schema.validate(&doc.front, &headings, &mut check)
    };
    let related = related_refs(&doc, &mut check);
    let problems = check.diagnostics;
    Record {
        doc,
        kind,
        fields,
        template,
        related,
        problems,
    }
}

/// A template's naming pattern (`id_format`, `file_name`, `title_format`); an unknown
/// placeholder is an error at the key.
fn name_pattern(
    doc: &Document,
    key: &str,
    extra: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let node = doc.front.get(key)?;
    let Value::String(pattern) = &node.value else {
        diagnostics.push(
            Diagnostic::error(&doc.path, format!("`{key}` must be a string"))
                .at(&doc.text, node.span.start),
        );
        return None;
    };
    let unknown = crate::pattern::unknown(pattern, extra);
    if let Some(first) = unknown.first() {
        let known: Vec<&str> = crate::pattern::DATE.iter().chain(extra).copied().collect();
        let hint = match suggest(first, known.iter().copied()) {
            Some(s) => format!("did you mean `{{{s}}}`?"),
            None => format!(
                "`{key}` may use {}",
                known
                    .iter()
                    .map(|k| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        diagnostics.push(
            Diagnostic::error(
                &doc.path,
                format!("`{key}` has an unknown placeholder `{{{first}}}`"),
            )
            .at(&doc.text, node.span.start)
            .with_suggestion(hint),
        );
    }
    Some(pattern.clone())
}

fn find_template(
    doc: &Document,
    templates: &[Template],
    claims: &BTreeMap<String, usize>,
    check: &mut Checker<'_>,
) -> Option<usize> {
    if doc.is_index() {
        return None;
    }
    if let Some(entry) = doc.front.entry("template") {
        let name = entry.node.value.display();
        let name = name.trim_start_matches("templates/");
        let found = templates.iter().position(|t| t.id == name);
        if found.is_none() {
            let mut d = Diagnostic::error(&doc.path, format!("unknown template `{name}`"))
                .at(&doc.text, entry.node.span.start);
            d = match suggest(name, templates.iter().map(|t| t.id.as_str())) {
                Some(s) => d.with_suggestion(format!("did you mean `{s}`?")),
                None => d.with_suggestion(format!(
                    "templates in content/templates/: {}",
                    templates
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            check.diagnostics.push(d);
        }
        return found;
    }
    // The longest claimed folder that contains the document wins.
    let mut folder = doc.folder.as_str();
    loop {
        if let Some(&t) = claims.get(folder) {
            return Some(t);
        }
        match folder.rsplit_once('/') {
            Some((parent, _)) => folder = parent,
            None => return None,
        }
    }
}

fn related_refs(doc: &Document, check: &mut Checker<'_>) -> Vec<Reference> {
    let Some(node) = doc.front.get("related") else {
        return Vec::new();
    };
    match &node.value {
        Value::Array(items) => items
            .iter()
            .filter_map(|n| match &n.value {
                Value::String(s) => Some(Reference {
                    target: s.clone(),
                    span: n.span.clone(),
                }),
                _ => None,
            })
            .collect(),
        Value::String(s) => vec![Reference {
            target: s.clone(),
            span: node.span.clone(),
        }],
        _ => {
            check.error(&node.span, "`related` must be a list of ids or paths");
            Vec::new()
        }
    }
}

fn collect_teams(
    records: &[Arc<Record>],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Team> {
    let mut teams: BTreeMap<String, Team> = BTreeMap::new();
    for (i, r) in records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Team)
    {
        let doc = &r.doc;
        let mut members = Vec::new();
        if let Some(node) = doc.front.get("members") {
            match &node.value {
                Value::Array(items) => {
                    for item in items {
                        match &item.value {
                            Value::String(handle) => members.push(Member { handle: handle.clone(), name: handle.clone(), role: String::new() }),
                            Value::Table(t) => match t.str("handle") {
                                Some(handle) => members.push(Member {
                                    handle: handle.to_string(),
                                    name: t.str("name").unwrap_or(handle).to_string(),
                                    role: t.str("role").unwrap_or_default().to_string(),
                                }),
                                None => diagnostics.push(
                                    Diagnostic::error(&doc.path, "a member needs `handle = \"...\"`").at(&doc.text, item.span.start),
                                ),
                            },
                            _ => diagnostics.push(
                                Diagnostic::error(&doc.path, "a member must be a handle or a table with handle, name and role")
                                    .at(&doc.text, item.span.start),
                            ),
                        }
                    }
                }
                _ => diagnostics.push(
                    Diagnostic::error(
                        &doc.path,
                        "`members` must be a list: `[[members]]` tables with handle, name and role",
                    )
                    .at(&doc.text, node.span.start),
                ),
            }
        }
        let name = doc
            .front
            .str("name")
            .map_or_else(|| doc.title.clone(), str::to_string);
        if let Some(other) = teams.get(&doc.id) {
            diagnostics.push(Diagnostic::error(
                &doc.path,
                format!(
                    "team id `{}` is also used by {}",
                    doc.id,
                    records[other.doc.index()].doc.path
                ),
            ));
            continue;
        }
        teams.insert(
            doc.id.clone(),
            Team {
                doc: DocId::new(i),
                id: doc.id.clone(),
                name,
                members,
            },
        );
    }
    teams
}

/// Two documents with one explicit id, or two files that would be written to one URL.
fn check_duplicates(records: &[Arc<Record>], diagnostics: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut urls: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        let doc = &r.doc;
        if doc.explicit_id {
            if let Some(&first) = ids.get(doc.id.as_str()) {
                let offset = doc.front.get("id").map_or(0, |n| n.span.start);
                diagnostics.push(
                    Diagnostic::error(
                        &doc.path,
                        format!(
                            "duplicate id `{}`: {} has it too",
                            doc.id, records[first].doc.path
                        ),
                    )
                    .at(&doc.text, offset)
                    .with_suggestion("every document needs its own id"),
                );
            } else {
                ids.insert(&doc.id, i);
            }
        }
        if let Some(&first) = urls.get(doc.url.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.path,
                    format!(
                        "{} and this file would both be written to {}",
                        records[first].doc.path, doc.url
                    ),
                )
                .with_suggestion("rename one of them or give it a different `slug`"),
            );
        } else {
            urls.insert(&doc.url, i);
        }
    }
}
