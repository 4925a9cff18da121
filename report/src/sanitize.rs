//! Neutralizing strings that come from crates (names, paths, details, source lines) before
//! they reach a terminal, a CI log, a markdown page, an HTML page or a SARIF viewer. Every
//! renderer goes through this file, and nothing else decides what is safe to show:
//!
//! - [`terminal`]: control and bidi characters shown as `\u{..}` (no escape sequence, no
//!   new line, no reordering);
//! - [`ci_lines`]: whole output for a CI log, after [`terminal`]: no line starts a GitHub
//!   Actions workflow command (`::error ..::`, or the legacy `##[...]` anywhere);
//! - [`code_line`]: a source line inside a markdown code block;
//! - [`markdown`], [`html`], [`json_for_script`]: markup-free text for those formats;
//! - [`sarif_text`]: SARIF `message.text` (no embedded link, control or bidi character);
//! - [`json_text`]: JSON a terminal or CI log may show (same data, nothing a terminal runs).

/// For terminals: control characters (escape sequences, carriage returns, newlines, bidi
/// controls) are shown as `\u{..}` instead of being interpreted; tabs pass.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c != '\t' && (c.is_control() || is_bidi_control(c)) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// For GitHub-flavoured markdown, in text, table cells and inline HTML alike: everything but
/// letters, digits and a few harmless marks becomes an HTML entity, so no string can open
/// markup, a link, an image, a table cell, an HTML tag or an `@mention`.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                ' ' | '.' | '-' | '/' | ':' | '+' | ',' | '=' | '(' | ')' | ';'
            )
        {
            out.push(c);
        } else if c.is_control() || is_bidi_control(c) {
            out.extend(c.escape_unicode().flat_map(|e| {
                if e == '{' || e == '}' || e == '\\' {
                    format!("&#{};", e as u32).chars().collect::<Vec<_>>()
                } else {
                    vec![e]
                }
            }));
        } else {
            out.push_str(&format!("&#{};", c as u32));
        }
    }
    out
}

/// For HTML text and attribute values: the five characters that can open markup or end an
/// attribute become entities; control and bidi characters are shown escaped, as in
/// [`terminal`].
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in terminal(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON text made safe to sit inside an HTML `<script>` element: `<`, `>` and `&` (which
/// could close the element or open a comment) and U+2028/U+2029 (line terminators in older
/// JavaScript) are written as `\uXXXX` escapes. In valid JSON these characters occur only
/// inside strings, where the escape means the same character, so the data is unchanged.
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A source line (or a file name) inside a markdown code block: the fence keeps markup out,
/// so only what changes lines or their order is escaped: control characters (but tabs) and
/// bidi controls, as `\u{..}`.
pub fn code_line(s: &str) -> String {
    terminal(s)
}

/// Text of a whole output meant for a terminal or a CI log, every crate string in it already
/// through [`terminal`]: a line whose text starts with `::` (after white space, as the GitHub
/// Actions runner reads it) gets its first `:` written `\u{3a}`, and every `##[` (a legacy
/// command, read anywhere in a line) becomes `#\u{23}[`. The runner then sees plain text.
pub fn ci_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        out.push_str(lead);
        let body = match body.strip_prefix(':') {
            Some(rest) if rest.starts_with(':') => {
                out.push_str("\\u{3a}");
                rest
            }
            _ => body,
        };
        out.push_str(&body.replace("##[", "#\\u{23}["));
    }
    out
}

/// SARIF `message.text`: viewers render it as plain text with embedded links
/// (`[text](uri)`, `[text](1)`), so `[`, `]` and `\\` are escaped with a backslash as SARIF
/// 2.1.0 says, and control and bidi characters (new lines among them) are written `U+001B`.
pub fn sarif_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("U+{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON text safe to print in a terminal or a CI log, meaning the same data: the characters
/// serde_json leaves raw that a terminal would act on (DEL, the C1 controls such as the
/// one-byte CSI, bidi controls) are written `\\uXXXX`, and `##[` (a legacy workflow command,
/// read anywhere in a line) `##\\u005b`. In valid JSON all of them occur only inside strings,
/// where the escape is the same character.
pub fn json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if (c.is_control() && c >= '\u{7f}') || is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.replace("##[", "##\\u005b")
}

/// Characters that reorder text on screen (Trojan Source, CVE-2021-42574).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A fence for a markdown code block that the content cannot close: one backtick more than
/// the longest run inside it, at least three.
pub fn code_fence(content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_shown_not_run() {
        assert_eq!(terminal("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(terminal("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(terminal("plain-name_1.0"), "plain-name_1.0");
    }

    #[test]
    fn markdown_cannot_open_markup() {
        let hostile = "<img src=x onerror=alert(1)> @everyone [link](http://x) | `code` *b*";
        let safe = markdown(hostile);
        for bad in ["<", ">", "@", "[", "]", "|", "`", "*"] {
            assert!(!safe.contains(bad), "{bad} survived in {safe}");
        }
        assert_eq!(markdown("serde 1.0.1"), "serde 1.0.1");
        assert_eq!(markdown("a\u{1b}b"), "a&#92;u&#123;1b&#125;b");
    }

    #[test]
    fn ci_logs_see_no_workflow_command() {
        assert_eq!(ci_lines("::error::x\n"), "\\u{3a}:error::x\n");
        assert_eq!(
            ci_lines("  \u{2003}::warning f=1::y"),
            "  \u{2003}\\u{3a}:warning f=1::y"
        );
        assert_eq!(
            ci_lines("a ##[error]b\nc: ::d"),
            "a #\\u{23}[error]b\nc: ::d"
        );
        assert_eq!(ci_lines("plain: line\n"), "plain: line\n");
    }

    #[test]
    fn sarif_text_has_no_link_and_no_control() {
        assert_eq!(
            sarif_text("[x](https://e.vil)\n\u{1b}[2J\u{202e}\\"),
            "\\[x\\](https://e.vil)U+000AU+001B\\[2JU+202E\\\\"
        );
    }

    #[test]
    fn json_keeps_its_meaning() -> Result<(), serde_json::Error> {
        let hostile = "a ##[error]b \u{9b}2J \u{7f} \u{202e}x\u{1b}";
        let json = serde_json::to_string_pretty(&[hostile])?;
        let safe = json_text(&json);
        assert!(!safe.contains("##["));
        assert!(
            safe.chars().all(|c| !c.is_control() || c == '\n'),
            "{safe:?}"
        );
        assert!(!safe.contains('\u{202e}'));
        let back: Vec<String> = serde_json::from_str(&safe)?;
        assert_eq!(back, [hostile]);
        Ok(())
    }

    #[test]
    fn fences_outlast_the_content() {
        assert_eq!(code_fence("no ticks"), "```");
        assert_eq!(code_fence("a ```` b"), "`````");
    }

    #[test]
    fn html_text_cannot_open_markup() {
        assert_eq!(
            html("<script>a&b\"c'd</script>"),
            "&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;"
        );
        assert_eq!(html("x\u{202E}y"), "x\\u{202e}y");
    }

    #[test]
    fn json_in_a_script_cannot_close_it() -> Result<(), serde_json::Error> {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}\u{2029}";
        let json = serde_json::to_string(&hostile)?;
        let safe = json_for_script(&json);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!safe.contains(bad), "{bad} survived in {safe}");
        }
        let back: String = serde_json::from_str(&safe)?;
        assert_eq!(back, hostile);
        Ok(())
    }
}
