//! The commands of the `opsbook` binary, one file each (as mdBook's `src/cmd/` does): every file
//! holds its arguments (`Args`) and `run`, which calls the library and says what happened.
//! `main.rs` only parses, dispatches and turns the result into an exit code.

pub mod build;
pub mod check;
pub mod completions;
pub mod infer;
pub mod init;
pub mod new;
pub mod reference;
pub mod serve;

mod progress;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use opsbook::{Diagnostic, Error};

#[derive(Parser)]
#[command(
    name = "opsbook",
    version,
    about = "Build an ops handbook and review archive into a static site"
)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Print timings per stage.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (default `public/` under the root).
    Build(build::Args),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve(serve::Args),
    /// Start a review from a template: every field and section, a fresh id and today's date (or --date).
    New(new::Args),
    /// Start a new handbook: settings, core templates and playbooks, a team and an example of each review.
    Init(init::Args),
    /// Write the template for a folder of existing files, inferred from their front matter.
    Infer(infer::Args),
    /// Print a shell completion script: `opsbook completions bash > /etc/bash_completion.d/opsbook`.
    Completions(completions::Args),
    /// Print generated reference pages of the handbook's documentation.
    #[command(hide = true)]
    Reference(reference::Args),
    /// Validate everything (front matter, templates, links, teams) without writing a site.
    Check(check::Args),
}

/// How the commands talk to the terminal, from the global flags.
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
    /// Colour diagnostics: stderr is a terminal and `NO_COLOR` is not set.
    pub color: bool,
}

impl Output {
    /// Prints diagnostics to stderr; with `--quiet`, only errors.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        for d in diagnostics.iter().filter(|d| !self.quiet || d.is_error()) {
            eprint!("{}", d.render(self.color));
        }
    }

    /// Reports a failed command and gives its exit code (1).
    pub fn failure(&self, err: Error) -> ExitCode {
        match err {
            Error::Content(diagnostics) => {
                self.diagnostics(&diagnostics);
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "build failed: {errors} error(s); the previous output was left as it was"
                );
            }
            other @ Error::Theme { .. } => eprintln!("{other}"),
            other => eprintln!("error: {other}"),
        }
        ExitCode::from(1)
    }
}

/// Runs the command line's command. Usage errors never get here: clap exits with 2 itself.
pub fn run(cli: Cli) -> ExitCode {
    let out = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let result = match cli.command {
        Command::Build(args) => build::run(args, &out),
        Command::Serve(args) => serve::run(args, &out),
        Command::New(args) => new::run(args, &out),
        Command::Init(args) => init::run(args, &out),
        Command::Infer(args) => infer::run(args, &out),
        Command::Completions(args) => completions::run(args),
        Command::Reference(args) => reference::run(args),
        Command::Check(args) => check::run(args, &out),
    };
    result.unwrap_or_else(|err| out.failure(err))
}
