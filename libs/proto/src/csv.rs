//! CSV as the exports answer it (RFC 4180): fields quoted only when they must be, lines ended
//! by CRLF. Shared so every export quotes the same way.

/// One field, quoted when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line of `fields`, ended by CRLF.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The records of a CSV text (RFC 4180, as spreadsheets save it: commas, optional quotes,
/// CRLF or LF, a leading byte-order mark ignored), each with the line it starts on (from 1).
/// Blank lines are skipped; an unclosed quote runs to the end of the text.
pub fn records(text: &str) -> Vec<(u32, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let (mut fields, mut field) = (Vec::new(), String::new());
    let (mut line, mut start) = (1u32, 1u32);
    let (mut quoted, mut any) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            '\n' if quoted => {
                line += 1;
                field.push('\n');
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' if quoted => field.push('\r'),
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\n' | '\r' => {
                if any || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push((start, std::mem::take(&mut fields)));
                }
                any = false;
                line += 1;
                start = line;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if any || !field.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_with_the_line_they_start_on() {
        let text = "\u{feff}a,b\r\n\r\n\"x, \"\"y\"\"\",2\n\"two\nlines\",3\nlast,";
        assert_eq!(
            records(text),
            [
                (1, vec!["a".to_string(), "b".into()]),
                (3, vec!["x, \"y\"".into(), "2".into()]),
                (4, vec!["two\nlines".into(), "3".into()]),
                (6, vec!["last".into(), String::new()]),
            ]
        );
        let round = line(&["a,b", "c\"d"]);
        assert_eq!(
            records(&round),
            [(1, vec!["a,b".to_string(), "c\"d".into()])]
        );
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(line(&["a", "b,c", ""]), "a,\"b,c\",\r\n");
    }
}
