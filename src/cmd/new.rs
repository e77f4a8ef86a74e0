//! `opsbook new`: a draft review from a template.

use std::path::PathBuf;
use std::process::ExitCode;

use opsbook::Error;

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The template's id (its file name in content/templates/), e.g. incident-review.
    template: String,
    /// The review's title. Optional for a template that names its reviews itself
    /// (`title_format`), such as a weekly review titled by its week.
    title: Option<String>,
    /// The review's date, YYYY-MM-DD; its year, month, quarter and week fill the template's
    /// naming patterns. Default: today.
    #[arg(long, value_parser = parse_date)]
    date: Option<time::Date>,
    /// The handbook's root folder (holds opsbook.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

fn parse_date(s: &str) -> Result<time::Date, String> {
    opsbook::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; expected YYYY-MM-DD"))
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let date = args
        .date
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let created =
        opsbook::scaffold::new_review(&args.root, &args.template, args.title.as_deref(), date)?;
    let shown = created
        .path
        .strip_prefix(&args.root)
        .unwrap_or(&created.path);
    println!("{}", shown.display());
    if !out.quiet {
        if created.titled_by_template && args.title.is_some() {
            eprintln!(
                "`{}` names its reviews itself: titled \"{}\".",
                args.template, created.title
            );
        }
        eprintln!(
            "Created {} as a draft. Fill in the fields and sections; `opsbook check` lists what is left.",
            shown.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
