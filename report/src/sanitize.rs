//! Neutralizing strings that come from crates (names, paths, details) before they reach a
//! terminal or a markdown page. Every renderer goes through these two functions.

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
