//! `opsbook init`: a new handbook that builds at once.

use std::path::PathBuf;
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
        eprintln!(
            "Next: opsbook serve --root {}   (then open http://127.0.0.1:3000/)",
            args.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
