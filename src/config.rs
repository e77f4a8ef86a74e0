//! `opsbook.toml`, the site's settings. Every setting has a default, so a folder of markdown with
//! no config at all builds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};

pub(crate) const CONFIG_FILE: &str = "opsbook.toml";

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Shown in the header and the page titles.
    pub title: String,
    /// One sentence under the title on the home page and in the feed.
    pub description: String,
    /// Where the site is published, e.g. `https://intranet.example.com/handbook/`. Its path is
    /// prefixed to every internal link, so the site works under a sub-path.
    pub base_url: String,
    /// Name of the theme folder under `themes/`; `default` is built in.
    pub theme: String,
    /// Language of the pages (`<html lang>`).
    pub language: String,
    /// Where a document's source can be edited: "Edit this page" links to this followed by the
    /// file's path under `content/`. Empty: no link.
    pub edit_url: String,
    pub links: LinksConfig,
    pub highlight: HighlightConfig,
    pub markdown: MarkdownConfig,
    pub pages: PagesConfig,
    /// Folders under `content/` that are never published: no page, search entry, feed item,
    /// listing, count or chart comes from them. `check` still validates them.
    pub private: Vec<String>,
    /// Entries a long list shows on one page (a folder's listing, a meeting's archive, the
    /// incident catalogue, the tracker, ...); the rest are on numbered pages after it.
    pub page_size: usize,
    /// Folder (relative to `content/`) -> template id, for folders whose templates do not say
    /// `folder = ...` themselves, or to override them.
    pub claims: BTreeMap<String, String>,
    /// The date the build treats as today (`YYYY-MM-DD`), for reproducible overdue markers.
    /// Empty means the real date.
    pub today: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// `error` (default) fails the build on a broken internal link; `warn` only reports it.
    pub broken: BrokenLinks,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

impl BrokenLinks {
    pub fn severity(self) -> Severity {
        match self {
            BrokenLinks::Error => Severity::Error,
            BrokenLinks::Warn => Severity::Warning,
        }
    }
}

/// The front matter of plain pages (guides, imported postmortems): keys opsbook does not use
/// itself are shown on the page as a list of facts.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PagesConfig {
    /// Front-matter keys that become search filters and columns of their folder's listing.
    pub facets: Vec<String>,
    /// Front-matter keys left out of a page's facts: settings of the tool a handbook was
    /// imported from.
    pub hidden: Vec<String>,
}

impl Default for PagesConfig {
    fn default() -> PagesConfig {
        PagesConfig {
            facets: Vec::new(),
            hidden: [
                "aliases",
                "cover",
                "hero",
                "hero_alt_text",
                "hide",
                "layout",
                "nav_exclude",
                "nav_order",
                "permalink",
                "search",
                "sidebar_label",
                "sidebar_position",
                "toc",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
}

/// What happens to HTML written inside markdown.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept as written: the author's choice.
    #[default]
    Allow,
    /// Kept, minus scripts, event handlers and other active content (ammonia).
    Sanitize,
    /// Shown as text.
    Escape,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HighlightConfig {
    /// Highlight fenced code blocks at build time.
    pub enabled: bool,
    /// syntect theme for light mode.
    pub light_theme: String,
    /// syntect theme for dark mode.
    pub dark_theme: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "Handbook".into(),
            description: String::new(),
            base_url: "/".into(),
            theme: "default".into(),
            language: "en".into(),
            edit_url: String::new(),
            links: LinksConfig::default(),
            highlight: HighlightConfig::default(),
            markdown: MarkdownConfig::default(),
            pages: PagesConfig::default(),
            private: Vec::new(),
            page_size: 100,
            claims: BTreeMap::new(),
            today: String::new(),
        }
    }
}

impl Default for LinksConfig {
    fn default() -> LinksConfig {
        LinksConfig {
            broken: BrokenLinks::Error,
        }
    }
}

impl Default for HighlightConfig {
    fn default() -> HighlightConfig {
        HighlightConfig {
            enabled: true,
            light_theme: "InspiredGitHub".into(),
            dark_theme: "base16-ocean.dark".into(),
        }
    }
}

/// Every setting, as `key` (dotted for tables) and what it does. Kept beside the struct and
/// checked against it by a test, so the generated reference and `opsbook init`'s commented
/// opsbook.toml cannot drift from what the parser accepts.
pub(crate) const SETTINGS: &[(&str, &str)] = &[
    ("title", "Shown in the header, page titles and feeds."),
    (
        "description",
        "One sentence under the title on the home page.",
    ),
    (
        "base_url",
        "Where the site is published, e.g. `https://intranet.example.com/handbook/`. Its path is prefixed to every internal link, so the site works under a sub-path; its host makes feed and sitemap links absolute.",
    ),
    (
        "theme",
        "Theme folder under `themes/`; `default` is built in.",
    ),
    (
        "language",
        "Language of the pages (`<html lang>`) and of the search index.",
    ),
    (
        "edit_url",
        "Where a page's source can be edited, up to `content/`, e.g. `https://github.com/acme/handbook/edit/main/content/`. Each document gets an \"Edit this page\" link: this followed by the file's path under `content/`. Empty: no link.",
    ),
    (
        "today",
        "The date the build treats as today (`YYYY-MM-DD`), for reproducible overdue markers. Empty: the real date.",
    ),
    (
        "private",
        "Folders under `content/` that are never published, e.g. `[\"hr\"]`: nothing from them reaches pages, search, feeds, the sitemap, listings, counts or charts. `check` still validates them.",
    ),
    (
        "page_size",
        "Entries a long list shows on one page: a folder's listing, a meeting's archive, a template's \"Made from this template\", a team's documents and open action items, the incident catalogue and the action-item tracker. The rest follow on numbered pages at the list's address plus `page/2/`, `page/3/`, ..., newest first where the list is dated. At least 1.",
    ),
    (
        "links.broken",
        "`error` fails the build on a broken internal link or anchor; `warn` only reports it, for importing a handbook whose links are not clean yet.",
    ),
    (
        "highlight.enabled",
        "Highlight fenced code blocks at build time.",
    ),
    ("highlight.light_theme", "syntect theme for light mode."),
    ("highlight.dark_theme", "syntect theme for dark mode."),
    (
        "markdown.raw_html",
        "HTML written inside markdown: `allow` keeps it, `sanitize` keeps it minus scripts and other active content, `escape` shows it as text. Choose `sanitize` or `escape` when many people write and the whole company reads.",
    ),
    (
        "pages.facets",
        "Front-matter keys of your own that become search filters and columns of their folder's listing, e.g. `[\"company\", \"categories\"]` for a folder of postmortems that set them. Every document that sets one is filed under its values.",
    ),
    (
        "pages.hidden",
        "Front-matter keys left out of the facts a plain page shows. A plain page lists every key of its front matter that opsbook does not use itself (strings, lists, dates; URLs as links); these are the settings of other site generators, which mean nothing to a reader.",
    ),
    (
        "claims",
        "A table of folder = template id, for folders whose template does not say `folder = ...`, e.g. `\"postmortems\" = \"incident-review\"`.",
    ),
];

/// The default of a setting as TOML, e.g. `"default"` or `true`.
fn default_value(key: &str) -> String {
    let value =
        toml::Value::try_from(Config::default()).unwrap_or(toml::Value::Table(toml::Table::new()));
    let mut node = &value;
    for part in key.split('.') {
        match node.get(part) {
            Some(v) => node = v,
            None => return String::new(),
        }
    }
    match node {
        toml::Value::Table(t) if t.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

/// A markdown table of every setting with its default.
pub fn reference_markdown() -> String {
    let mut out = String::from("| setting | default | what it does |\n| --- | --- | --- |\n");
    for (key, doc) in SETTINGS {
        let (section, name) = key.split_once('.').map_or(("", *key), |(s, n)| (s, n));
        let shown = if section.is_empty() {
            format!("`{name}`")
        } else {
            format!("`[{section}]` `{name}`")
        };
        out.push_str(&format!(
            "| {shown} | `{}` | {} |\n",
            default_value(key).replace('|', "\\|"),
            doc.replace('|', "\\|")
        ));
    }
    out
}

/// An `opsbook.toml` with every setting at its default, commented, for `opsbook init`.
pub(crate) fn commented_toml(title: &str) -> String {
    let mut out = String::from(
        "# opsbook settings. Every setting has a default; uncomment to change one.\n\n",
    );
    let mut section = "";
    for (key, doc) in SETTINGS {
        let (sec, name) = key.split_once('.').map_or(("", *key), |(s, n)| (s, n));
        if sec != section && !sec.is_empty() {
            out.push_str(&format!("\n[{sec}]\n"));
            section = sec;
        }
        for line in wrap(doc, 92) {
            out.push_str(&format!("# {line}\n"));
        }
        match *key {
            "title" => out.push_str(&format!(
                "title = {}\n\n",
                toml::Value::String(title.to_string())
            )),
            "claims" => out.push_str("# [claims]\n# \"postmortems\" = \"incident-review\"\n\n"),
            _ => out.push_str(&format!("# {name} = {}\n\n", default_value(key))),
        }
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

impl Config {
    /// Parses the text of `opsbook.toml`; an error carries the line and column of the mistake.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |s| s.start);
            Diagnostic::error(CONFIG_FILE, err.message().trim().to_string()).at(text, offset)
        })?;
        if !config.today.is_empty() && crate::value::parse_date(&config.today).is_none() {
            let offset = text.find("today").unwrap_or(0);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "`today = \"{}\"` is not a date; expected YYYY-MM-DD",
                    config.today
                ),
            )
            .at(text, offset));
        }
        if config.page_size == 0 {
            let offset = text.find("page_size").unwrap_or(0);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                "`page_size = 0` would show no entries; expected 1 or more".to_string(),
            )
            .at(text, offset)
            .with_suggestion("the default is 100"));
        }
        let edit = config.edit_url.trim();
        let web = ["https://", "http://", "/"]
            .iter()
            .any(|start| edit.starts_with(start));
        if !edit.is_empty() && !web {
            let offset = text.find("edit_url").unwrap_or(0);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("`edit_url = \"{edit}\"` is not a web address; expected https://..."),
            )
            .at(text, offset)
            .with_suggestion(
                "for a repository on GitHub: \"https://github.com/<owner>/<repo>/edit/main/content/\"",
            ));
        }
        Ok(config)
    }

    /// The "Edit this page" address of the file at `rel` under `content/`, if `edit_url` is set.
    pub fn edit_link(&self, rel: &str) -> Option<String> {
        let base = self.edit_url.trim();
        if base.is_empty() {
            return None;
        }
        let slash = if base.ends_with('/') { "" } else { "/" };
        Some(format!(
            "{base}{slash}{}",
            crate::html::percent_encode_path(rel)
        ))
    }

    /// The path part of `base_url` without its trailing slash: `""` or `/handbook`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => {
                let rest = &url[i + 3..];
                rest.find('/').map_or("", |j| &rest[j..])
            }
            None => url,
        };
        path.trim_end_matches('/').to_string()
    }

    /// The scheme and host of `base_url`, for absolute links in the feed and sitemap.
    pub fn absolute_url(&self, path: &str) -> String {
        let url = self.base_url.trim();
        match url.find("://") {
            Some(i) => {
                let rest = &url[i + 3..];
                let host_end = rest.find('/').map_or(url.len(), |j| i + 3 + j);
                format!("{}{}", &url[..host_end], path)
            }
            None => path.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_has_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.theme, "default");
        assert_eq!(c.links.broken, BrokenLinks::Error);
        assert_eq!(c.base_path(), "");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let c = Config::parse("base_url = \"https://intranet.example.com/handbook/\"").unwrap();
        assert_eq!(c.base_path(), "/handbook");
        assert_eq!(
            c.absolute_url("/handbook/a/"),
            "https://intranet.example.com/handbook/a/"
        );
    }

    /// The documented settings are exactly the ones the parser knows.
    #[test]
    fn every_setting_is_documented() {
        fn keys(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
            if let toml::Value::Table(t) = value {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    match v {
                        toml::Value::Table(inner) if !inner.is_empty() || k != "claims" => {
                            keys(&key, v, out)
                        }
                        _ => out.push(key),
                    }
                }
            }
        }
        let mut found = Vec::new();
        keys(
            "",
            &toml::Value::try_from(Config::default()).unwrap(),
            &mut found,
        );
        let mut documented: Vec<String> = SETTINGS.iter().map(|(k, _)| k.to_string()).collect();
        found.sort();
        documented.sort();
        assert_eq!(found, documented);
    }

    #[test]
    fn the_commented_config_parses_to_the_defaults() {
        let text = commented_toml("My handbook");
        let parsed = Config::parse(&text).unwrap();
        assert_eq!(parsed.title, "My handbook");
        assert_eq!(parsed.theme, Config::default().theme);
        // Uncommenting every line still parses.
        let uncommented: String = text
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| {
                        r.split_once(" = ").is_some_and(|(k, _)| !k.contains(' '))
                            || r.starts_with("[claims]")
                    })
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        Config::parse(&uncommented).unwrap();
    }

    #[test]
    fn edit_links_join_the_setting_and_the_path() {
        let c =
            Config::parse("edit_url = \"https://github.com/acme/hb/edit/main/content\"").unwrap();
        assert_eq!(
            c.edit_link("incidents/2026 03 db.md").as_deref(),
            Some("https://github.com/acme/hb/edit/main/content/incidents/2026%2003%20db.md")
        );
        assert_eq!(Config::default().edit_link("a.md"), None);
        let err = Config::parse("title = \"x\"\nedit_url = \"github.com/acme\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
    }

    #[test]
    fn a_page_size_of_zero_is_located() {
        assert_eq!(Config::default().page_size, 100);
        assert_eq!(Config::parse("page_size = 25").unwrap().page_size, 25);
        let err = Config::parse("title = \"x\"\npage_size = 0\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("page_size"), "{}", err.message);
    }

    #[test]
    fn unknown_setting_is_located() {
        let err = Config::parse("title = \"x\"\ntittle = \"y\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("tittle"), "{}", err.message);
    }
}
