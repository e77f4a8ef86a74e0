//! `opsbook new`: a draft review from a template.

use std::path::PathBuf;
use std::process::ExitCode;

use opsbook::Error;

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The template's id (its file name in content/templates/), e.g. incident-review.
    template: String,
    /// The review's title.
    title: String,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let today = time::OffsetDateTime::now_utc().date();
    let path = opsbook::scaffold::new_review(&args.root, &args.template, &args.title, today)?;
    let shown = path.strip_prefix(&args.root).unwrap_or(&path);
    println!("{}", shown.display());
    if !out.quiet {
        eprintln!(
            "Created {} as a draft. Fill in the fields and sections; `opsbook check` lists what is left.",
            shown.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
