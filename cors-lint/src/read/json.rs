//! JSON (CloudFormation, CDK's `cdk.out/*.template.json`, Terraform plans) into a [`Node`] tree
//! with the line of every value.
//!
//! serde_json gives no positions, so this is a small parser of its own: one pass over the
//! bytes, an explicit stack (nesting deeper than [`MAX_DEPTH`] is an error, never a stack
//! overflow), and the property tests compare what it reads with serde_json.

use super::ReadError;
use crate::tree::{Key, Node, Value};

/// The deepest nesting accepted.
pub const MAX_DEPTH: usize = 256;

enum Frame {
    Array(u32, Vec<Node>),
    Object(u32, Vec<(Key, Node)>, Option<Key>),
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
    file: &'a str,
}

/// Parses one JSON value (the whole of `text`).
pub fn parse(text: &str, file: &str) -> Result<Node, ReadError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        file,
    };
    // A byte order mark is allowed before the value.
    if text.starts_with('\u{feff}') {
        reader.at = 3;
    }
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        reader.whitespace();
        let line = reader.line;
        let node = match reader.peek() {
            Some(b'{') => {
                reader.depth_check(stack.len())?;
                reader.at += 1;
                reader.whitespace();
                if reader.peek() == Some(b'}') {
                    reader.at += 1;
                    Node::new(Value::Map(Vec::new()), line)
                } else {
                    let key = reader.key()?;
                    stack.push(Frame::Object(line, Vec::new(), Some(key)));
                    continue;
                }
            }
            Some(b'[') => {
                reader.depth_check(stack.len())?;
                reader.at += 1;
                reader.whitespace();
                if reader.peek() == Some(b']') {
                    reader.at += 1;
                    Node::new(Value::Seq(Vec::new()), line)
                } else {
                    stack.push(Frame::Array(line, Vec::new()));
                    continue;
                }
            }
            Some(b'"') => Node::new(Value::Scalar(reader.string()?), line),
            Some(b't') => reader.word("true", Value::Scalar("true".into()))?,
            Some(b'f') => reader.word("false", Value::Scalar("false".into()))?,
            Some(b'n') => reader.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => Node::new(Value::Scalar(reader.number()?), line),
            Some(_) => return Err(reader.error("expected a value")),
            None => return Err(reader.error("the input ends where a value should be")),
        };
        // Close every container this value completes.
        let mut node = node;
        loop {
            match stack.last_mut() {
                None => {
                    reader.whitespace();
                    if reader.at < reader.bytes.len() {
                        return Err(reader.error("more text after the JSON value"));
                    }
                    return Ok(node);
                }
                Some(Frame::Array(_, items)) => {
                    items.push(node);
                    reader.whitespace();
                    match reader.next_byte() {
                        Some(b',') => break,
                        Some(b']') => {}
                        _ => return Err(reader.error_before("expected `,` or `]`")),
                    }
                }
                Some(Frame::Object(_, entries, key)) => {
                    let key = key.take().expect("a value follows its key");
                    entries.push((key, node));
                    reader.whitespace();
                    match reader.next_byte() {
                        Some(b',') => {
                            reader.whitespace();
                            let next = reader.key()?;
                            if let Some(Frame::Object(_, _, key)) = stack.last_mut() {
                                *key = Some(next);
                            }
                            break;
                        }
                        Some(b'}') => {}
                        _ => return Err(reader.error_before("expected `,` or `}`")),
                    }
                }
            }
            node = match stack.pop() {
                Some(Frame::Array(line, items)) => Node::new(Value::Seq(items), line),
                Some(Frame::Object(line, entries, _)) => Node::new(Value::Map(entries), line),
                None => unreachable!("the stack was not empty"),
            };
        }
    }
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                _ => break,
            }
        }
    }

    fn depth_check(&self, depth: usize) -> Result<(), ReadError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// An object's key and the `:` after it.
    fn key(&mut self) -> Result<Key, ReadError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let line = self.line;
        let name = self.string()?;
        self.whitespace();
        if self.next_byte() != Some(b':') {
            return Err(self.error_before("expected `:` after the key"));
        }
        Ok(Key { name, line })
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Node, ReadError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(Node::new(value, self.line))
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<String, ReadError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits = |reader: &mut Self| {
            let from = reader.at;
            while reader.peek().is_some_and(|b| b.is_ascii_digit()) {
                reader.at += 1;
            }
            reader.at > from
        };
        if self.peek() == Some(b'0') {
            self.at += 1;
        } else if !digits(self) {
            return Err(self.error("expected a digit"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("expected a digit after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        Ok(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    fn string(&mut self) -> Result<String, ReadError> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a `str` and the run stops only at ASCII bytes: a whole UTF-8 slice.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default());
            match self.next_byte() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => {
                    let escaped = match self.next_byte() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error_before("an unknown escape in a string")),
                    };
                    out.push(escaped);
                }
                Some(_) => return Err(self.error_before("a control character in a string")),
                None => return Err(self.error("the input ends inside a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .filter(|_| {
                self.bytes[self.at..self.at + 4]
                    .iter()
                    .all(u8::is_ascii_hexdigit)
            })
            .ok_or_else(|| self.error("expected four hex digits after `\\u`"))?;
        self.at += 4;
        Ok(digits)
    }

    fn unicode_escape(&mut self) -> Result<char, ReadError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate: a low one must follow; a lone one becomes U+FFFD, as serde_json
            // refuses and browsers replace.
            if self.bytes[self.at..].starts_with(b"\\u") {
                self.at += 2;
                let second = self.hex4()?;
                if (0xDC00..0xE000).contains(&second) {
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    return Err(self.error("a lone surrogate in a `\\u` escape"));
                }
            } else {
                return Err(self.error("a lone surrogate in a `\\u` escape"));
            }
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("a lone surrogate in a `\\u` escape"))
    }

    fn error(&self, message: &str) -> ReadError {
        let column =
            String::from_utf8_lossy(&self.bytes[self.line_start..self.at.min(self.bytes.len())])
                .chars()
                .count() as u32
                + 1;
        ReadError {
            file: self.file.to_owned(),
            line: Some(self.line),
            column: Some(column),
            message: format!("not valid JSON: {message}"),
        }
    }

    /// An error about the byte just read.
    fn error_before(&mut self, message: &str) -> ReadError {
        self.at = self.at.saturating_sub(1);
        self.error(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_lines() {
        let doc = parse(
            "{\n  \"Resources\": {\n    \"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"N\": -1.5e3,\n      \"L\": [true, null, \"a\\u00e9\\ud83d\\ude00\\n\"]}\n  }\n}",
            "t.json",
        )
        .unwrap();
        let (key, function) = doc.get("Resources").unwrap().entry("Fn").unwrap();
        assert_eq!(key.line, 3);
        assert_eq!(function.get("N").unwrap().as_str(), Some("-1.5e3"));
        let list = function.get("L").unwrap();
        assert_eq!(list.line, 4);
        assert_eq!(list.items()[0].as_bool(), Some(true));
        assert!(list.items()[1].is_null());
        assert_eq!(list.items()[2].as_str(), Some("a\u{e9}\u{1f600}\n"));
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = parse("{\n  \"a\": 1,\n  \"b\" 2\n}", "t.json").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(7)), "{err}");
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "\"\\x\"",
            "[1] 2",
            "tru",
            "\"\u{1}\"",
        ] {
            assert!(parse(bad, "t.json").is_err(), "{bad:?}");
        }
        let deep = "[".repeat(1_000_000);
        assert!(
            parse(&deep, "t.json")
                .unwrap_err()
                .message
                .contains("nested deeper")
        );
    }
}
