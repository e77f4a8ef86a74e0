//! `opsbook.toml`, the site's settings. Every setting has a default, so a folder of markdown with
//! no config at all builds.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Severity};

pub const CONFIG_FILE: &str = "opsbook.toml";

#[derive(Debug, Clone, Deserialize)]
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
    pub links: LinksConfig,
    pub highlight: HighlightConfig,
    /// Folder (relative to `content/`) -> template id, for folders whose templates do not say
    /// `folder = ...` themselves, or to override them.
    pub claims: BTreeMap<String, String>,
    /// The date the build treats as today (`YYYY-MM-DD`), for reproducible overdue markers.
    /// Empty means the real date.
    pub today: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// `error` (default) fails the build on a broken internal link; `warn` only reports it.
    pub broken: BrokenLinks,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
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

#[derive(Debug, Clone, Deserialize)]
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
            links: LinksConfig::default(),
            highlight: HighlightConfig::default(),
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
        Ok(config)
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

    #[test]
    fn unknown_setting_is_located() {
        let err = Config::parse("title = \"x\"\ntittle = \"y\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("tittle"), "{}", err.message);
    }
}
