//! An origins variable's value, split into its entries.

/// Splits the value of an origins environment variable into its entries: they are separated by
/// whitespace and/or commas, and empty entries are skipped.
///
/// ```
/// let entries: Vec<_> = cors_grammar::split_origin_list(" https://a.example, https://b.example\n").collect();
/// assert_eq!(entries, ["https://a.example", "https://b.example"]);
/// ```
pub fn split_origin_list(value: &str) -> impl Iterator<Item = &str> {
    // Byte by byte (a variable of a thousand entries is read at cold start), a whole character
    // at a time where one is not ASCII.
    let bytes = value.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            match separator_len(value, at) {
                0 => break,
                len => at += len,
            }
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        loop {
            at += bytes[at..]
                .iter()
                .position(|&byte| ENDS_ASCII_RUN[usize::from(byte)])
                .unwrap_or(bytes.len() - at);
            if at == bytes.len() || separator_len(value, at) != 0 {
                break;
            }
            // A character that is not ASCII, nor whitespace.
            at += value[at..].chars().next().map_or(1, char::len_utf8);
        }
        Some(&value[start..at])
    })
}

/// The bytes that end a run of ASCII characters in an entry: separators and the first byte of
/// a character that is not ASCII.
static ENDS_ASCII_RUN: [bool; 256] = {
    let mut ends = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        ends[byte] = matches!(byte as u8, b',' | b' ' | b'\t'..=b'\r') || byte >= 0x80;
        byte += 1;
    }
    ends
};

/// The length of the separator (a comma or a whitespace character) at byte `at` of `text` (a
/// character boundary), 0 if there is none there.
#[inline]
fn separator_len(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        b',' | b' ' | b'\t'..=b'\r' => 1,
        byte if byte.is_ascii() => 0,
        _ => match text[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
    }
}
