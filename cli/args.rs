//! The command line, parsed once into a plain [`Config`]. The only module that knows clap.

use std::ffi::OsString;
use std::path::PathBuf;

use cargo_risk_report::config::{
    CargoFlags, CheckFormat, ColorChoice, Command, Config, DiffArgs, DiffFormat, Format, HtmlArgs,
    Options, PackageSpec, PolicyArgs, SbomArgs, ScanFlags,
};
use cargo_risk_report::plumbing::settings::{self, FileSettings, parse_size};
use cargo_risk_report::term;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// A deterministic, diffable risk report of every dependency in Cargo.lock, without building
/// or running anything.
#[derive(Debug, Parser)]
#[command(name = "cargo-risk-report", bin_name = "cargo risk-report", version)]
struct Args {
    /// Path to Cargo.toml (default: search upwards from the current directory).
    #[arg(long, value_name = "PATH", global = true)]
    manifest_path: Option<PathBuf>,
    /// Require Cargo.lock to be up to date (passed to cargo).
    #[arg(long, global = true)]
    locked: bool,
    /// Do not access the network (passed to cargo); missing tarballs are an error.
    #[arg(long, global = true)]
    offline: bool,
    /// Both --locked and --offline (passed to cargo).
    #[arg(long, global = true)]
    frozen: bool,
    /// Number of worker threads (default: the number of CPUs).
    #[arg(short, long, value_name = "N", global = true)]
    jobs: Option<usize>,
    /// No progress bar and no summary.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// When to colour output (NO_COLOR is honoured under `auto`).
    #[arg(long, value_enum, value_name = "WHEN", global = true)]
    color: Option<ColorArg>,
    /// Restrict the graph to a target triple; repeat for several (default: every platform in
    /// the lockfile, or `targets` of [workspace.metadata.risk-report]).
    #[arg(long, value_name = "TRIPLE", global = true)]
    target: Vec<String>,
    /// Where to write the report (default: risk-report.toml beside the workspace's Cargo.lock).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Report format; json goes to stdout unless --output is given.
    #[arg(long, value_enum, default_value_t = FormatArg::Toml)]
    format: FormatArg,
    /// Report the workspace members too.
    #[arg(long)]
    include_members: bool,
    #[command(flatten)]
    selection: Selection,
    /// Largest tarball entry read, in bytes (suffixes K, M, G: powers of 1024); bigger entries
    /// are recorded as skipped [default: 64M]
    #[arg(long, value_name = "SIZE", value_parser = parse_size, global = true)]
    max_entry_bytes: Option<u64>,
    /// Most bytes inflated from one crate's tarball [default: 512M]
    #[arg(long, value_name = "SIZE", value_parser = parse_size, global = true)]
    max_total_bytes: Option<u64>,
    /// Most entries read from one crate's tarball [default: 100000]
    #[arg(long, value_name = "N", global = true)]
    max_entries: Option<u64>,
    /// Where per-crate results are cached, keyed by tarball checksum (default: the user's
    /// cache folder, e.g. ~/.cache/cargo-risk-report); shareable between CI runs.
    #[arg(long, value_name = "PATH", global = true)]
    cache_dir: Option<PathBuf>,
    /// Scan every crate, neither reading nor writing the cache.
    #[arg(long, global = true)]
    no_cache: bool,
    /// Parse every item of every file with syn and use no cache (checks the fast path).
    #[arg(long, global = true, hide = true)]
    exhaustive: bool,
    #[command(subcommand)]
    command: Option<Sub>,
}

/// Which part of the graph to scan (also accepted after `check`, `init`, `sbom`, `html`).
#[derive(Debug, Clone, Default, clap::Args)]
struct Selection {
    /// Only the dependencies of this workspace member; repeat for several.
    #[arg(short, long = "package", value_name = "MEMBER")]
    packages: Vec<String>,
    /// Leave out this package (NAME or NAME@VERSION) and what only it reaches; repeat for
    /// several (default: `exclude` of [workspace.metadata.risk-report]).
    #[arg(long, value_name = "SPEC")]
    exclude: Vec<String>,
    /// Leave out packages reached only through dev-dependencies (test and bench tools).
    #[arg(long)]
    exclude_dev: bool,
}

impl Selection {
    /// The flags given here and those given before the subcommand, together.
    fn merge(mut self, other: Selection) -> Selection {
        self.packages.extend(other.packages);
        self.exclude.extend(other.exclude);
        self.exclude_dev |= other.exclude_dev;
        self
    }
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Print every finding of one package with file:line:col and the source line.
    Show {
        /// The package, as NAME or NAME@VERSION.
        #[arg(value_name = "CRATE[@VERSION]")]
        package: String,
    },
    /// Compare two reports and print the risk delta. Exit 0, or 1 with --fail-on-increase when
    /// the delta adds risk; 2 on error.
    Diff {
        /// The old report: a file, or git:REV[:PATH] (PATH defaults to risk-report.toml).
        old: String,
        /// The new report: a file, or git:REV[:PATH].
        new: String,
        /// How to render the delta.
        #[arg(long, value_enum, default_value_t = DiffFormatArg::Text)]
        format: DiffFormatArg,
        /// Exit with status 1 when the delta adds risk (for CI gates).
        #[arg(long)]
        fail_on_increase: bool,
        /// Also show the risky code that changed in each updated package, read from both
        /// versions' tarballs in the cargo cache.
        #[arg(long)]
        source: bool,
        /// Mark the changes that violate this policy (default: ./risk-policy.toml when it
        /// exists).
        #[arg(long, value_name = "PATH")]
        policy: Option<PathBuf>,
    },
    /// Report, run `cargo update` with the given arguments, report again, print the delta.
    Update {
        /// Arguments for `cargo update` (for example `-p serde` or `--precise 1.0.0`).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "CARGO_UPDATE_ARGS"
        )]
        args: Vec<String>,
    },
    /// Scan and apply the crate trust policy (risk-policy.toml): print each violation with
    /// its evidence and the grant that would allow it. Exit 1 on a denied violation, 0 with
    /// warnings only, 2 on error.
    Check {
        /// The policy file (default: risk-policy.toml at the workspace root).
        #[arg(long, value_name = "PATH")]
        policy: Option<PathBuf>,
        /// How to print the outcome: text, JSON, or SARIF for code scanning.
        #[arg(long, value_enum, default_value_t = CheckFormatArg::Text)]
        format: CheckFormatArg,
        /// `-D warnings`: warnings fail the check too (exit 1).
        #[arg(short = 'D', long = "deny", value_enum, value_name = "LEVEL")]
        deny: Option<DenyArg>,
        #[command(flatten)]
        selection: Selection,
    },
    /// Write a starting risk-policy.toml that grants exactly what the graph uses today.
    Init {
        /// Where to write it (default: risk-policy.toml at the workspace root).
        #[arg(long, value_name = "PATH")]
        policy: Option<PathBuf>,
        /// Replace an existing policy file.
        #[arg(long)]
        force: bool,
        /// "Allowed to exist" mode: grant every package, even those with no capability, and
        /// deny packages no grant lists.
        #[arg(long)]
        deny_unlisted: bool,
        #[command(flatten)]
        selection: Selection,
    },
    /// Write a self-contained HTML dashboard of one or more reports (oldest first).
    Html {
        /// Report files or git:REV[:PATH]; default: risk-report.toml beside the workspace.
        #[arg(value_name = "REPORT")]
        reports: Vec<String>,
        /// Chart the report as committed at each git commit that changed it.
        #[arg(long)]
        history: bool,
        /// Where to write the page (default: risk-report.html).
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// The page title (default: the workspace folder's name).
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        selection: Selection,
    },
    /// Write a CycloneDX 1.6 SBOM of the graph with the risk facts as properties, or check the
    /// lockfile and tarballs against one (exit 1 when they differ, 2 on error).
    Sbom {
        /// Where to write the SBOM (default: stdout).
        #[arg(short, long, value_name = "PATH", conflicts_with = "verify")]
        output: Option<PathBuf>,
        /// Check that Cargo.lock and the tarballs match this SBOM exactly.
        #[arg(long, value_name = "SBOM")]
        verify: Option<PathBuf>,
        #[command(flatten)]
        selection: Selection,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Text,
    Markdown,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormatArg {
    Text,
    Json,
    Sarif,
}

/// What `-D` turns into failures.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum DenyArg {
    Warnings,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Toml,
    Json,
}

/// Drops the `risk-report` argument cargo inserts when it runs us as `cargo risk-report`.
fn strip_cargo_subcommand(mut argv: Vec<OsString>) -> Vec<OsString> {
    if argv.get(1).is_some_and(|a| a == "risk-report") {
        argv.remove(1);
    }
    argv
}

/// Parses the command line, or exits with clap's usage message (status 2, as for any error).
pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Result<Config, clap::Error> {
    // Usage errors and help are printed before `--color` is known: they follow
    // CARGO_TERM_COLOR, as the rest of the output does.
    let env = std::env::var("CARGO_TERM_COLOR").ok();
    let clap_color = match term::color_choice(None, env.as_deref()) {
        ColorChoice::Always => clap::ColorChoice::Always,
        ColorChoice::Never => clap::ColorChoice::Never,
        ColorChoice::Auto => clap::ColorChoice::Auto,
    };
    let mut matches = Args::command()
        .color(clap_color)
        .try_get_matches_from(strip_cargo_subcommand(argv.into_iter().collect()))?;
    let args = Args::from_arg_matches_mut(&mut matches)?;
    Ok(args.into_config())
}

impl Args {
    fn into_config(self) -> Config {
        let color = term::color_choice(
            self.color.map(|c| match c {
                ColorArg::Always => ColorChoice::Always,
                ColorArg::Never => ColorChoice::Never,
                ColorArg::Auto => ColorChoice::Auto,
            }),
            std::env::var("CARGO_TERM_COLOR").ok().as_deref(),
        );
        let selection = match &self.command {
            Some(
                Sub::Check { selection, .. }
                | Sub::Init { selection, .. }
                | Sub::Html { selection, .. }
                | Sub::Sbom { selection, .. },
            ) => selection.clone().merge(self.selection.clone()),
            _ => self.selection.clone(),
        };
        let flags = ScanFlags {
            targets: self.target,
            packages: selection.packages,
            exclude: selection.exclude,
            exclude_dev: selection.exclude_dev,
            include_members: self.include_members,
            max_entry_bytes: self.max_entry_bytes,
            max_total_bytes: self.max_total_bytes,
            max_entries: self.max_entries,
        };
        Config {
            options: Options {
                manifest_path: self.manifest_path,
                cargo: CargoFlags {
                    locked: self.locked,
                    offline: self.offline,
                    frozen: self.frozen,
                },
                jobs: self.jobs,
                quiet: self.quiet,
                scope: settings::resolve(&flags, &FileSettings::default()),
                flags,
                cache_dir: self.cache_dir,
                no_cache: self.no_cache,
                exhaustive: self.exhaustive,
            },
            color,
            output: self.output,
            format: match self.format {
                FormatArg::Toml => Format::Toml,
                FormatArg::Json => Format::Json,
            },
            command: match self.command {
                None => Command::Report,
                Some(Sub::Show { package }) => Command::Show(PackageSpec::parse(&package)),
                Some(Sub::Diff {
                    old,
                    new,
                    format,
                    fail_on_increase,
                    source,
                    policy,
                }) => Command::Diff(DiffArgs {
                    old,
                    new,
                    format: match format {
                        DiffFormatArg::Text => DiffFormat::Text,
                        DiffFormatArg::Markdown => DiffFormat::Markdown,
                        DiffFormatArg::Json => DiffFormat::Json,
                        DiffFormatArg::Sarif => DiffFormat::Sarif,
                    },
                    fail_on_increase,
                    source,
                    policy,
                }),
                Some(Sub::Update { args }) => Command::Update(args),
                Some(Sub::Check {
                    policy,
                    format,
                    deny,
                    ..
                }) => Command::Check(PolicyArgs {
                    policy,
                    format: match format {
                        CheckFormatArg::Text => CheckFormat::Text,
                        CheckFormatArg::Json => CheckFormat::Json,
                        CheckFormatArg::Sarif => CheckFormat::Sarif,
                    },
                    deny_warnings: matches!(deny, Some(DenyArg::Warnings)),
                    ..PolicyArgs::default()
                }),
                Some(Sub::Init {
                    policy,
                    force,
                    deny_unlisted,
                    ..
                }) => Command::Init(PolicyArgs {
                    policy,
                    force,
                    deny_unlisted,
                    ..PolicyArgs::default()
                }),
                Some(Sub::Html {
                    reports,
                    history,
                    output,
                    title,
                    ..
                }) => Command::Html(HtmlArgs {
                    reports,
                    history,
                    output,
                    title,
                }),
                Some(Sub::Sbom { output, verify, .. }) => {
                    Command::Sbom(SbomArgs { output, verify })
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use risk_analyzer::Limits;

    fn parse_strs(args: &[&str]) -> Result<Config, clap::Error> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn cargo_subcommand_and_direct_invocation_agree() -> Result<(), clap::Error> {
        let via_cargo = parse_strs(&["cargo-risk-report", "risk-report", "--locked", "-j", "3"])?;
        let direct = parse_strs(&["cargo-risk-report", "--locked", "-j", "3"])?;
        assert_eq!(via_cargo, direct);
        assert!(direct.options.cargo.locked);
        assert_eq!(direct.options.jobs, Some(3));
        assert_eq!(direct.command, Command::Report);
        Ok(())
    }

    #[test]
    fn show_takes_a_spec_and_global_flags() -> Result<(), clap::Error> {
        let c = parse_strs(&[
            "cargo-risk-report",
            "risk-report",
            "show",
            "serde@1.0.0",
            "--offline",
        ])?;
        assert_eq!(
            c.command,
            Command::Show(PackageSpec {
                name: "serde".into(),
                version: Some("1.0.0".into())
            })
        );
        assert!(c.options.cargo.offline);
        Ok(())
    }

    #[test]
    fn every_option_maps_into_config() -> Result<(), clap::Error> {
        let c = parse_strs(&[
            "cargo-risk-report",
            "--manifest-path",
            "a/Cargo.toml",
            "--frozen",
            "--quiet",
            "--color",
            "never",
            "--target",
            "x86_64-unknown-linux-gnu",
            "--output",
            "r.toml",
            "--format",
            "json",
            "--include-members",
        ])?;
        assert_eq!(c.options.manifest_path, Some(PathBuf::from("a/Cargo.toml")));
        assert!(c.options.cargo.frozen && !c.options.cargo.network_allowed());
        assert!(c.options.quiet && c.options.scope.include_members);
        assert_eq!(c.color, ColorChoice::Never);
        assert_eq!(c.options.scope.targets, ["x86_64-unknown-linux-gnu"]);
        assert_eq!(c.output, Some(PathBuf::from("r.toml")));
        assert_eq!(c.format, Format::Json);
        Ok(())
    }

    #[test]
    fn check_init_and_diff_take_a_policy() -> Result<(), clap::Error> {
        let c = parse_strs(&["cargo-risk-report", "check", "--policy", "p.toml"])?;
        assert_eq!(
            c.command,
            Command::Check(PolicyArgs {
                policy: Some(PathBuf::from("p.toml")),
                ..PolicyArgs::default()
            })
        );
        let c = parse_strs(&[
            "cargo-risk-report",
            "check",
            "--format",
            "sarif",
            "-D",
            "warnings",
        ])?;
        assert_eq!(
            c.command,
            Command::Check(PolicyArgs {
                format: CheckFormat::Sarif,
                deny_warnings: true,
                ..PolicyArgs::default()
            })
        );
        assert!(parse_strs(&["cargo-risk-report", "check", "-D", "notes"]).is_err());
        let c = parse_strs(&["cargo-risk-report", "init", "--force", "--deny-unlisted"])?;
        assert_eq!(
            c.command,
            Command::Init(PolicyArgs {
                policy: None,
                force: true,
                deny_unlisted: true,
                ..PolicyArgs::default()
            })
        );
        let c = parse_strs(&["cargo-risk-report", "diff", "a", "b", "--policy", "x.toml"])?;
        let Command::Diff(d) = c.command else {
            panic!("not a diff: {:?}", c.command);
        };
        assert_eq!(d.policy, Some(PathBuf::from("x.toml")));
        Ok(())
    }

    #[test]
    fn export_subcommands_parse() -> Result<(), clap::Error> {
        let c = parse_strs(&[
            "cargo-risk-report",
            "risk-report",
            "html",
            "a.toml",
            "git:HEAD~1",
            "-o",
            "x.html",
            "--history",
        ])?;
        assert_eq!(
            c.command,
            Command::Html(HtmlArgs {
                reports: vec!["a.toml".into(), "git:HEAD~1".into()],
                history: true,
                output: Some(PathBuf::from("x.html")),
                title: None,
            })
        );
        let c = parse_strs(&["cargo-risk-report", "sbom", "--verify", "bom.json"])?;
        assert_eq!(
            c.command,
            Command::Sbom(SbomArgs {
                output: None,
                verify: Some(PathBuf::from("bom.json")),
            })
        );
        assert!(parse_strs(&["cargo-risk-report", "sbom", "-o", "a", "--verify", "b"]).is_err());
        let c = parse_strs(&["cargo-risk-report", "diff", "a", "b", "--format", "sarif"])?;
        assert!(matches!(
            c.command,
            Command::Diff(DiffArgs {
                format: DiffFormat::Sarif,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn caps_have_defaults_and_flags() -> Result<(), clap::Error> {
        let c = parse_strs(&["cargo-risk-report"])?;
        assert_eq!(c.options.scope.limits, Limits::default());
        let c = parse_strs(&[
            "cargo-risk-report",
            "--max-entry-bytes",
            "1M",
            "--max-total-bytes",
            "2GiB",
            "--max-entries",
            "500",
            "show",
            "x",
        ])?;
        assert_eq!(
            c.options.scope.limits,
            Limits {
                max_entry_bytes: 1 << 20,
                max_total_bytes: 2 << 30,
                max_entries: 500,
            }
        );
        let c = parse_strs(&[
            "cargo-risk-report",
            "show",
            "x",
            "--max-entry-bytes",
            "4096",
        ])?;
        assert_eq!(c.options.scope.limits.max_entry_bytes, 4096);
        for bad in ["", "M", "12Q", "-1", "99999999999G"] {
            assert!(
                parse_strs(&["cargo-risk-report", "--max-entry-bytes", bad]).is_err(),
                "{bad:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn selection_flags_go_before_or_after_the_subcommand() -> Result<(), clap::Error> {
        let c = parse_strs(&[
            "cargo-risk-report",
            "--exclude",
            "x",
            "--target",
            "a",
            "check",
            "--exclude-dev",
            "-p",
            "app",
            "--target",
            "b",
        ])?;
        assert_eq!(c.options.flags.exclude, ["x"]);
        assert_eq!(c.options.flags.packages, ["app"]);
        assert!(c.options.flags.exclude_dev && c.options.scope.exclude_dev);
        // A global flag given again after the subcommand replaces the earlier value (clap).
        assert_eq!(c.options.flags.targets, ["b"]);
        // `update` hands -p to cargo.
        let c = parse_strs(&["cargo-risk-report", "update", "-p", "serde"])?;
        assert_eq!(
            c.command,
            Command::Update(vec!["-p".into(), "serde".into()])
        );
        assert!(c.options.flags.packages.is_empty());
        Ok(())
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(parse_strs(&["cargo-risk-report", "--color", "sometimes"]).is_err());
        assert!(parse_strs(&["cargo-risk-report", "--format", "xml"]).is_err());
        assert!(parse_strs(&["cargo-risk-report", "-j", "many"]).is_err());
    }
}
