//! Fatal problems that stop a build before or after the content is looked at: I/O, an unusable
//! configuration or theme, a dangerous output folder. Content problems are `Diagnostic`s instead.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; every one of them is here, in file order.
    #[error("the content has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Content(Vec<Diagnostic>),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `name` is the template's file name; `path` where it came from (`templates/page.html`,
    /// `themes/x/templates/page.html`, or the built-in theme).
    #[error("{path}: error: {message}")]
    Theme {
        name: String,
        path: String,
        message: String,
    },
    #[error("{0}")]
    Output(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Tera's errors nest their causes; users need the whole chain to find the mistake.
pub fn tera_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
