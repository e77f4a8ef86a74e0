//! The theme: tera templates and static files. The default theme is compiled into the binary so
//! a handbook needs no theme folder; `themes/<name>/` on disk and then the site's own
//! `templates/` and `static/` folders override it file by file.

use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostic::display_path;
use crate::error::Error;

/// One theme file: its name (`page.html`, `style.css`) and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    /// Where it came from, for error messages: `templates/page.html`, or `built-in theme: page.html`.
    pub origin: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<ThemeFile>,
    pub static_files: Vec<ThemeFile>,
}

macro_rules! embed {
    ($($dir:literal / $name:literal),* $(,)?) => {
        &[$(($dir, $name, include_bytes!(concat!("../themes/default/", $dir, "/", $name)).as_slice())),*]
    };
}

/// The default theme as compiled in: (folder, file name, bytes).
pub(crate) const DEFAULT_THEME: &[(&str, &str, &[u8])] = embed![
    "templates" / "base.html",
    "templates" / "macros.html",
    "templates" / "index.html",
    "templates" / "doc.html",
    "templates" / "page.html",
    "templates" / "playbook.html",
    "templates" / "template.html",
    "templates" / "review.html",
    "templates" / "team.html",
    "templates" / "listing.html",
    "templates" / "section.html",
    "templates" / "action-items.html",
    "templates" / "incidents.html",
    "templates" / "404.html",
    "templates" / "search.html",
    "static" / "style.css",
    "static" / "favicon.svg",
    "static" / "search.js",
];

impl Theme {
    /// The built-in theme, overridden by `themes/<name>/` and the site's `templates/` and `static/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let mut theme = Theme::default();
        for (dir, file, bytes) in DEFAULT_THEME {
            let f = ThemeFile {
                origin: format!("built-in theme: {}/{}", dir, file),
                name: file.to_string(),
                bytes: bytes.to_vec(),
            };
            match *dir {
                "templates" => theme.templates.push(f),
                _ => theme.static_files.push(f),
            }
        }
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            theme.overlay(
                root,
                &theme_dir.join("templates"),
                &theme_dir.join("static"),
            )?;
        } else if name != "default" {
            return Err(Error::Theme {
                name: name.to_string(),
                path: display_path(&theme_dir),
                message: format!("no theme folder at {}", display_path(&theme_dir)),
            });
        }
        theme.overlay(root, &root.join("templates"), &root.join("static"))?;
        Ok(theme)
    }

    fn overlay(&mut self, root: &Path, templates: &Path, statics: &Path) -> Result<(), Error> {
        for (dir, list) in [
            (templates, &mut self.templates),
            (statics, &mut self.static_files),
        ] {
            if !dir.is_dir() {
                continue;
            }
            for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    Error::io(path, std::io::Error::other(e.to_string()))
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = display_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                list.retain(|f| f.name != name);
                let origin = display_path(entry.path().strip_prefix(root).unwrap_or(entry.path()));
                list.push(ThemeFile {
                    origin,
                    name,
                    bytes,
                });
            }
        }
        Ok(())
    }
}
