//! `opsbook infer`: a template inferred from the front matter of a folder of existing files.

use std::path::PathBuf;
use std::process::ExitCode;

use opsbook::Error;
use opsbook::scaffold::Overwrite;

use super::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The folder of reviews, under content/ (e.g. postmortems).
    folder: String,
    /// Save the template as content/templates/<folder name>.md instead of printing it.
    #[arg(long)]
    write: bool,
    /// With --write: replace an existing template file, or write one for a folder another
    /// template already claims.
    #[arg(long, requires = "write")]
    force: bool,
    /// The handbook's root folder (holds opsbook.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Error> {
    let inference = opsbook::infer::infer(&args.root, &args.folder)?;
    if args.write {
        let overwrite = if args.force {
            Overwrite::Allow
        } else {
            Overwrite::Refuse
        };
        let path = opsbook::infer::write_template(&args.root, &inference, overwrite)?;
        println!(
            "{}",
            path.strip_prefix(&args.root).unwrap_or(&path).display()
        );
    } else {
        print!("{}", inference.template);
    }
    if !out.quiet {
        // The files that do not validate yet, each with its first problem.
        out.diagnostics(&inference.problems);
        eprintln!(
            "{} of {} files in content/{}/ validate against this template.",
            inference.valid, inference.files, inference.folder
        );
        if args.write {
            eprintln!(
                "Wrote content/templates/{}.md: the folder's files are now reviews. Review its types and add `help`, `meeting` and `[[sections]]`; `opsbook check` shows what is left.",
                inference.template_id
            );
        } else {
            eprintln!("Save it with: opsbook infer {} --write", inference.folder);
        }
    }
    Ok(ExitCode::SUCCESS)
}
