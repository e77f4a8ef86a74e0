//! `opsbook init`: a new handbook that builds at once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use opsbook::Error;
use opsbook::scaffold::Overwrite;

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// Folder to create the handbook in.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Write into a folder that is not empty (files with the same names are replaced).
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let overwrite = if args.force {
        Overwrite::Allow
    } else {
        Overwrite::Refuse
    };
    let files = opsbook::scaffold::init(&args.dir, overwrite)?;
    if !out.quiet {
        eprintln!(
            "Created a handbook in {} ({} files).",
            args.dir.display(),
            files.len()
        );
        // A line that works when pasted: the program as this shell finds it, the folder quoted.
        eprintln!(
            "Next: {} serve --root {}",
            program(),
            shell_quote(&args.dir.to_string_lossy())
        );
        eprintln!("Then open http://127.0.0.1:3000/ and edit any file under content/.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `opsbook` when that name on `PATH` is this program, else this program's full path (as after
/// `cargo run`, or a binary not installed yet).
fn program() -> String {
    let Ok(me) = std::env::current_exe().and_then(|p| p.canonicalize()) else {
        return "opsbook".into();
    };
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            dir.join("opsbook")
                .canonicalize()
                .is_ok_and(|found| found == me)
        })
    });
    if on_path {
        "opsbook".into()
    } else {
        shell_quote(&display(&me))
    }
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A word a POSIX shell reads back as `s`: as it is when it is plain, else in single quotes.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@+,".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
