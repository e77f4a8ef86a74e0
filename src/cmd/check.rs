//! `opsbook check`: every problem at once, as text or JSON, without writing a site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use opsbook::{BuildOptions, Error};

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The handbook's root folder (holds opsbook.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let diagnostics = opsbook::check(&BuildOptions::new(&args.root))?;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&diagnostics).unwrap_or_else(|_| "[]".into())
        ),
        Format::Text => {
            out.diagnostics(&diagnostics);
            if !out.quiet {
                eprintln!(
                    "{errors} error(s), {} warning(s)",
                    diagnostics.len() - errors
                );
            }
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
