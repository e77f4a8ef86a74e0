//! The `opsbook` command: parse arguments, call the library, print diagnostics, pick the exit
//! code (0 success, 1 content or build errors, 2 usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use opsbook::{BuildOptions, Diagnostic, Drafts, Error};

#[derive(Parser)]
#[command(
    name = "opsbook",
    version,
    about = "Build an ops handbook and review archive into a static site"
)]
struct Cli {
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
    Build {
        /// The handbook's root folder (holds opsbook.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include documents marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Leave out the search index (a quicker build, for link checks and previews).
        #[arg(long)]
        no_search: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on. Anything but loopback exposes the handbook to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; the next free one is used when it is busy.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Show drafts, with a banner (the default for serve).
        #[arg(long, overrides_with = "no_drafts")]
        drafts: bool,
        /// Hide drafts, as a published build does.
        #[arg(long)]
        no_drafts: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a review from a template: every field and section, a fresh id and today's date.
    New {
        /// The template's id (its file name in content/templates/), e.g. incident-review.
        template: String,
        /// The review's title.
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new handbook: settings, core templates and playbooks, a team and an example of each review.
    Init {
        /// Folder to create the handbook in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that is not empty (files with the same names are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script: `opsbook completions bash > /etc/bash_completion.d/opsbook`.
    Completions { shell: clap_complete::Shell },
    /// Print generated reference pages of the handbook's documentation.
    #[command(hide = true)]
    Reference {
        #[arg(value_enum)]
        what: Reference,
    },
    /// Validate everything (front matter, templates, links, teams) without writing a site.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Reference {
    /// Every opsbook.toml setting with its default.
    Settings,
    /// Every command and option.
    Cli,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            no_search,
        } => {
            let started = Instant::now();
            let out = out.unwrap_or_else(|| root.join("public"));
            let mut options = BuildOptions::new(&root);
            if no_search {
                options.search = opsbook::Search::Skip;
            }
            options.drafts = if drafts {
                Drafts::Include
            } else {
                Drafts::Exclude
            };
            let progress = Progress::start(
                !cli.quiet && std::io::stderr().is_terminal(),
                format!("Building {}", root.display()),
            );
            let result = opsbook::build_to(&options, &out);
            progress.finish();
            match result {
                Ok(build) => {
                    print_diagnostics(&build.warnings, color, cli.quiet);
                    if cli.verbose {
                        for (stage, took) in &build.timings {
                            eprintln!("  {stage:<14} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                        }
                    }
                    if !cli.quiet {
                        eprintln!(
                            "Built {} pages ({} files, {} warning(s)) into {} in {:.0} ms",
                            build.pages,
                            build.files,
                            build.warnings.len(),
                            out.display(),
                            started.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => fail(err, color, cli.quiet),
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts: _,
            no_drafts,
            open,
        } => {
            let options = opsbook::serve::ServeOptions {
                root,
                bind,
                port,
                drafts: if no_drafts {
                    Drafts::Exclude
                } else {
                    Drafts::Include
                },
                open,
                quiet: cli.quiet,
                verbose: cli.verbose,
                color,
            };
            match opsbook::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(err, color, cli.quiet),
            }
        }
        Command::New {
            template,
            title,
            root,
        } => {
            let today = time::OffsetDateTime::now_utc().date();
            match opsbook::scaffold::new_review(&root, &template, &title, today) {
                Ok(path) => {
                    let shown = path.strip_prefix(&root).unwrap_or(&path);
                    println!("{}", shown.display());
                    if !cli.quiet {
                        eprintln!(
                            "Created {} as a draft. Fill in the fields and sections; `opsbook check` lists what is left.",
                            shown.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => fail(err, color, cli.quiet),
            }
        }
        Command::Init { dir, force } => {
            let overwrite = if force {
                opsbook::scaffold::Overwrite::Allow
            } else {
                opsbook::scaffold::Overwrite::Refuse
            };
            match opsbook::scaffold::init(&dir, overwrite) {
                Ok(files) => {
                    if !cli.quiet {
                        eprintln!(
                            "Created a handbook in {} ({} files).",
                            dir.display(),
                            files.len()
                        );
                        eprintln!(
                            "Next: opsbook serve --root {}   (then open http://127.0.0.1:3000/)",
                            dir.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => fail(err, color, cli.quiet),
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "opsbook",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Reference { what } => {
            print!(
                "{}",
                match what {
                    Reference::Settings => settings_reference(),
                    Reference::Cli => cli_reference(),
                }
            );
            ExitCode::SUCCESS
        }
        Command::Check { root, format } => {
            let options = BuildOptions::new(&root);
            match opsbook::check(&options) {
                Ok(diagnostics) => {
                    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                    match format {
                        Format::Json => println!(
                            "{}",
                            serde_json::to_string_pretty(&diagnostics)
                                .unwrap_or_else(|_| "[]".into())
                        ),
                        Format::Text => {
                            print_diagnostics(&diagnostics, color, cli.quiet);
                            if !cli.quiet {
                                eprintln!(
                                    "{errors} error(s), {} warning(s)",
                                    diagnostics.len() - errors
                                );
                            }
                        }
                    }
                    if errors > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(err) => fail(err, color, cli.quiet),
            }
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: bool, quiet: bool) {
    for d in diagnostics.iter().filter(|d| !quiet || d.is_error()) {
        eprint!("{}", d.render(color));
    }
}

fn fail(err: Error, color: bool, quiet: bool) -> ExitCode {
    match err {
        Error::Content(diagnostics) => {
            print_diagnostics(&diagnostics, color, quiet);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("build failed: {errors} error(s); the previous output was left as it was");
        }
        other @ Error::Theme { .. } => eprintln!("{other}"),
        other => eprintln!("error: {other}"),
    }
    ExitCode::from(1)
}

const GENERATED: &str = "<!-- Generated by `opsbook reference`; edit the code, not this file. A test keeps it in step. -->";

/// The "Settings" page of the handbook's own documentation.
fn settings_reference() -> String {
    format!(
        "+++\ntitle = \"Settings reference\"\nsummary = \"Every opsbook.toml setting, its default and what it does.\"\nweight = 7\n+++\n\n{GENERATED}\n\nSettings live in `opsbook.toml` at the handbook's root. Every setting has a default, so a folder of markdown with no config at all builds. `opsbook init` writes an `opsbook.toml` with all of them, commented.\n\n{}",
        opsbook::config::reference_markdown()
    )
}

/// The "Command line" page of the handbook's own documentation, from clap's definitions.
fn cli_reference() -> String {
    let cli = Cli::command();
    let mut out = format!(
        "+++\ntitle = \"Command line reference\"\nsummary = \"Every opsbook command and option.\"\nweight = 8\n+++\n\n{GENERATED}\n\nExit codes: 0 on success, 1 when the content has errors (or a build fails), 2 on a usage error.\n\nOptions for every command:\n\n"
    );
    let global: Vec<_> = cli.get_arguments().filter(|a| a.is_global_set()).collect();
    out.push_str(&arg_table(&global));
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push_str(&format!("\n## opsbook {}\n\n", sub.get_name()));
        if let Some(about) = sub.get_about() {
            out.push_str(&format!("{about}\n\n"));
        }
        let positionals: Vec<String> = sub
            .get_positionals()
            .map(|a| format!("{}", a.get_id()).to_uppercase())
            .collect();
        out.push_str(&format!(
            "```text\nopsbook {}{}{}\n```\n\n",
            sub.get_name(),
            if sub.get_arguments().any(|a| !a.is_positional()) {
                " [OPTIONS]"
            } else {
                ""
            },
            positionals
                .iter()
                .map(|p| format!(" {p}"))
                .collect::<String>()
        ));
        let args: Vec<_> = sub
            .get_arguments()
            .filter(|a| !a.is_global_set() && a.get_id() != "help")
            .collect();
        if !args.is_empty() {
            out.push_str(&arg_table(&args));
        }
    }
    out
}

fn arg_table(args: &[&clap::Arg]) -> String {
    let mut out = String::from("| argument | default | meaning |\n| --- | --- | --- |\n");
    for a in args {
        let name = match (a.get_long(), a.get_short()) {
            (Some(l), Some(s)) => format!("`--{l}`, `-{s}`"),
            (Some(l), None) => format!("`--{l}`"),
            (None, Some(s)) => format!("`-{s}`"),
            (None, None) => format!("`{}`", a.get_id().as_str().to_uppercase()),
        };
        let default: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        if !values.is_empty() && a.get_action().takes_values() {
            help.push_str(&format!(" One of {}.", values.join(", ")));
        }
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            if default.is_empty() {
                String::new()
            } else {
                format!("`{}`", default.join(", "))
            },
            help.replace('|', "\\|")
        ));
    }
    out
}

/// A one-line "still working" indicator on a terminal, shown only for builds that take longer
/// than a second, and erased when they finish.
struct Progress {
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(enabled: bool, label: String) -> Progress {
        if !enabled {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            let frames = ['|', '/', '-', '\\'];
            let mut n = 0;
            loop {
                let wait = if shown {
                    std::time::Duration::from_millis(200)
                } else {
                    std::time::Duration::from_secs(1)
                };
                match rx.recv_timeout(wait) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        eprint!(
                            "\r{} {label}… {:.1} s ",
                            frames[n % frames.len()],
                            started.elapsed().as_secs_f64()
                        );
                        shown = true;
                        n += 1;
                    }
                    _ => break,
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress {
            done: Some(tx),
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// glibc's allocator showed as a sixth of a build's CPU time in profiles (many small strings in
// markdown, templates and the search indexer); jemalloc does the same work in less, and unlike
// mimalloc it keeps the preview server's memory flat under a flood of short-lived request threads.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
