//! `opsbook completions`: a shell completion script from clap's definitions.

use std::process::ExitCode;

use clap::CommandFactory;
use opsbook::Error;

#[derive(clap::Args)]
pub struct Args {
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<ExitCode, Error> {
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "opsbook",
        &mut std::io::stdout(),
    );
    Ok(ExitCode::SUCCESS)
}
