//! Terminal concerns: whether to colour, how, and making untrusted text safe to print.

use std::io::IsTerminal;

use crate::config::ColorChoice;

/// Whether to colour a stream: `--color` wins; under `auto`, only a terminal, and never when
/// `NO_COLOR` is set to something non-empty.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// `--color` when given, else `CARGO_TERM_COLOR` (cargo's own setting, which cargo users set
/// once for every cargo command), else `auto`. An unknown value is `auto`, as for cargo.
pub fn color_choice(flag: Option<ColorChoice>, cargo_term_color: Option<&str>) -> ColorChoice {
    flag.unwrap_or_else(|| {
        match cargo_term_color
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("always") => ColorChoice::Always,
            Some("never") => ColorChoice::Never,
            _ => ColorChoice::Auto,
        }
    })
}

/// Colours the level that starts a diagnostic line (`error:`, `warning:`), as cargo does.
/// Only the label: the rest of the line may hold crate text, already sanitized.
pub fn paint_levels(text: &str, paint: Paint) -> String {
    if !paint.enabled {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("error:") {
            out.push_str(&paint.red("error:"));
            out.push_str(rest);
        } else if let Some(rest) = line.strip_prefix("warning:") {
            out.push_str(&paint.yellow("warning:"));
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
    }
    out
}

pub fn stdout_color(choice: ColorChoice) -> bool {
    use_color(choice, std::io::stdout().is_terminal())
}

pub fn stderr_color(choice: ColorChoice) -> bool {
    use_color(choice, std::io::stderr().is_terminal())
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub enabled: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn red(self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }
    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// Text from a crate (file names, source lines, details) with control characters escaped, so
/// that a hostile crate cannot move the cursor, rewrite earlier lines or set the title of the
/// auditor's terminal. One rule for the whole tool: the report crate's.
pub fn sanitize(text: &str) -> String {
    risk_report::sanitize::terminal(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(sanitize("x\u{202e}y\tz\r"), "x\\u{202e}y\tz\\u{d}");
        assert_eq!(sanitize("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn the_flag_wins_over_cargo_term_color() {
        assert_eq!(color_choice(None, Some("always")), ColorChoice::Always);
        assert_eq!(color_choice(None, Some("Never\n")), ColorChoice::Never);
        assert_eq!(color_choice(None, Some("sometimes")), ColorChoice::Auto);
        assert_eq!(color_choice(None, None), ColorChoice::Auto);
        let never = Some(ColorChoice::Never);
        assert_eq!(color_choice(never, Some("always")), ColorChoice::Never);
    }

    #[test]
    fn levels_are_painted_only_at_the_start_of_a_line() {
        let text = "error: a 1.0\n  deny net: x error: y\nwarning: b 2.0\nnote: c\n";
        let painted = paint_levels(text, Paint { enabled: true });
        assert_eq!(
            painted,
            "\x1b[1;31merror:\x1b[0m a 1.0\n  deny net: x error: y\n\x1b[33mwarning:\x1b[0m b 2.0\nnote: c\n"
        );
        assert_eq!(paint_levels(text, Paint { enabled: false }), text);
    }

    #[test]
    fn explicit_choices_win() {
        assert!(use_color(ColorChoice::Always, false));
        assert!(!use_color(ColorChoice::Never, true));
        assert!(!use_color(ColorChoice::Auto, false));
    }
}
