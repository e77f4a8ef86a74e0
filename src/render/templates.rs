//! The theme's tera templates, compiled once. Each page renders from one typed context (a
//! `Serialize` struct from `views`), so what a template may use is written down in Rust.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, tera_message};
use crate::html::escape;
use crate::theme::Theme;

/// The compiled theme templates.
pub struct Renderer {
    tera: Tera,
    /// Template name -> where it came from, for error messages.
    origins: HashMap<String, String>,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, Error> {
        let mut tera = Tera::default();
        let mut files = Vec::new();
        for file in &theme.templates {
            let text = String::from_utf8(file.bytes.clone()).map_err(|_| Error::Theme {
                name: file.name.clone(),
                path: file.origin.clone(),
                message: "template is not valid UTF-8".into(),
            })?;
            files.push((file.name.clone(), text));
        }
        let origins: HashMap<String, String> = theme
            .templates
            .iter()
            .map(|f| (f.name.clone(), f.origin.clone()))
            .collect();
        tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                let name = theme_error_name(&e);
                Error::Theme {
                    path: origins.get(&name).cloned().unwrap_or_else(|| name.clone()),
                    name,
                    message: tera_message(&e),
                }
            })?;
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which turns every URL into `&#x2F;` soup.
        tera.set_escape_fn(escape);
        Ok(Renderer { tera, origins })
    }

    /// Renders template `name` with `context`, whose fields become the template's variables.
    pub(super) fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Error> {
        let theme_error = |e: tera::Error| Error::Theme {
            name: name.to_string(),
            path: self
                .origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string()),
            message: tera_message(&e),
        };
        let context = Context::from_serialize(context).map_err(theme_error)?;
        self.tera.render(name, &context).map_err(theme_error)
    }
}

fn theme_error_name(err: &tera::Error) -> String {
    let text = err.to_string();
    text.split('\'').nth(1).unwrap_or("theme").to_string()
}
