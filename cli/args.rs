//! The command line, parsed once into a plain [`Config`]. The only module that knows clap.

use std::ffi::OsString;
use std::path::PathBuf;

use cargo_risk_report::config::{
    CargoFlags, ColorChoice, Command, Config, DiffArgs, DiffFormat, Format, PackageSpec,
};
use clap::{Parser, Subcommand, ValueEnum};

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
    /// Restrict the graph to one target triple (default: every platform in the lockfile).
    #[arg(long, value_name = "TRIPLE", global = true)]
    target: Option<String>,
    /// Where to write the report (default: risk-report.toml beside the workspace's Cargo.lock).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Report format; json goes to stdout unless --output is given.
    #[arg(long, value_enum, default_value_t = FormatArg::Toml)]
    format: FormatArg,
    /// Report the workspace members too.
    #[arg(long)]
    include_members: bool,
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Text,
    Markdown,
    Json,
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
    let args = Args::try_parse_from(strip_cargo_subcommand(argv.into_iter().collect()))?;
    Ok(args.into_config())
}

impl Args {
    fn into_config(self) -> Config {
        let color = match self.color {
            Some(ColorArg::Always) => ColorChoice::Always,
            Some(ColorArg::Never) => ColorChoice::Never,
            Some(ColorArg::Auto) => ColorChoice::Auto,
            // Under cargo, follow cargo's own colour setting when the user gave none.
            None => match std::env::var("CARGO_TERM_COLOR").as_deref() {
                Ok("always") => ColorChoice::Always,
                Ok("never") => ColorChoice::Never,
                _ => ColorChoice::Auto,
            },
        };
        Config {
            manifest_path: self.manifest_path,
            cargo: CargoFlags {
                locked: self.locked,
                offline: self.offline,
                frozen: self.frozen,
            },
            jobs: self.jobs,
            quiet: self.quiet,
            color,
            target: self.target,
            output: self.output,
            format: match self.format {
                FormatArg::Toml => Format::Toml,
                FormatArg::Json => Format::Json,
            },
            include_members: self.include_members,
            cache_dir: self.cache_dir,
            no_cache: self.no_cache,
            exhaustive: self.exhaustive,
            command: match self.command {
                None => Command::Report,
                Some(Sub::Show { package }) => Command::Show(PackageSpec::parse(&package)),
                Some(Sub::Diff {
                    old,
                    new,
                    format,
                    fail_on_increase,
                    source,
                }) => Command::Diff(DiffArgs {
                    old,
                    new,
                    format: match format {
                        DiffFormatArg::Text => DiffFormat::Text,
                        DiffFormatArg::Markdown => DiffFormat::Markdown,
                        DiffFormatArg::Json => DiffFormat::Json,
                    },
                    fail_on_increase,
                    source,
                }),
                Some(Sub::Update { args }) => Command::Update(args),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Config, clap::Error> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn cargo_subcommand_and_direct_invocation_agree() -> Result<(), clap::Error> {
        let via_cargo = parse_strs(&["cargo-risk-report", "risk-report", "--locked", "-j", "3"])?;
        let direct = parse_strs(&["cargo-risk-report", "--locked", "-j", "3"])?;
        assert_eq!(via_cargo, direct);
        assert!(direct.cargo.locked);
        assert_eq!(direct.jobs, Some(3));
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
        assert!(c.cargo.offline);
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
        assert_eq!(c.manifest_path, Some(PathBuf::from("a/Cargo.toml")));
        assert!(c.cargo.frozen && !c.cargo.network_allowed());
        assert!(c.quiet && c.include_members);
        assert_eq!(c.color, ColorChoice::Never);
        assert_eq!(c.target.as_deref(), Some("x86_64-unknown-linux-gnu"));
        assert_eq!(c.output, Some(PathBuf::from("r.toml")));
        assert_eq!(c.format, Format::Json);
        Ok(())
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(parse_strs(&["cargo-risk-report", "--color", "sometimes"]).is_err());
        assert!(parse_strs(&["cargo-risk-report", "--format", "xml"]).is_err());
        assert!(parse_strs(&["cargo-risk-report", "-j", "many"]).is_err());
    }
}
