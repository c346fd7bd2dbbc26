//! The value of an origins variable as a whole: the runtime's `origins_env` at cold start, or a
//! deploy template's literal value, checked by one function with the same words.
//!
//! Besides each entry's own rules, the value itself can be written wrongly in ways that are
//! common when a list moves between formats: other separators (`;`, `|`), a JSON array, quotes
//! that became part of the value. Such a part is named as written and refused, with the value to
//! write instead when there is one that passes this same check.

use std::collections::HashSet;
use std::fmt;

use super::{Problem, Settings, check_entries};
use crate::origin::Shown;
use crate::{OriginEntry, split_origin_list};

/// What separates the entries of an origins variable, as the messages name it.
const SEPARATORS: &str = "whitespace and/or commas";

/// Characters that separate entries elsewhere (CSV dialects, shell habits), never in an origin.
const OTHER_SEPARATORS: [char; 2] = [';', '|'];

/// Quotes, typographic ones included (a value pasted from a document).
const QUOTES: [char; 7] = [
    '"', '\'', '`', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}',
];

/// Checks the value of an origins variable: entries separated by whitespace and/or commas, each
/// an origin entry under `settings` ([`check_origin_entries`](super::check_origin_entries)'s
/// rules), none repeated. Returns the entries kept (each once, in the order written) and every
/// problem, in the order written: nothing but a valid entry is ever kept, so a mistake can only
/// narrow what is allowed.
///
/// Recognised and explained, with the value to write when one passes this same check:
/// - a value with no entry ([`Problem::EmptyOriginsVariable`]);
/// - other separators, a JSON array, quotes ([`Problem::OriginList`]);
/// - an entry listed twice ([`Problem::DuplicateOrigin`], in the words of the compile-time
///   error; the entry is kept once);
/// - every problem of an entry itself (a missing scheme, a path, …: [`Problem::OriginEntry`]).
///
/// Whether the variable is set, and whether it is text, are for the caller (they depend on
/// where the value comes from: a process's environment, a template).
///
/// ```
/// use cors_grammar::OriginEntry;
/// use cors_grammar::rules::{Problem, Settings, check_origins_variable};
///
/// let settings = Settings::default();
/// let (kept, problems) = check_origins_variable(
///     "https://a.example.com, https://b.example.com https://a.example.com",
///     settings,
/// );
/// assert_eq!(kept.len(), 2);
/// assert_eq!(problems, [Problem::DuplicateOrigin("https://a.example.com".into())]);
///
/// let (kept, problems) =
///     check_origins_variable("https://a.example.com;https://b.example.com", settings);
/// assert!(kept.is_empty());
/// assert_eq!(problems[0].fix(), Some("https://a.example.com https://b.example.com"));
/// assert_eq!(
///     problems[0].to_string(),
///     "`https://a.example.com;https://b.example.com` uses `;` as a separator: the entries of \
///      an origins variable are separated by whitespace and/or commas; write \
///      `https://a.example.com https://b.example.com`",
/// );
/// ```
#[must_use]
pub fn check_origins_variable(value: &str, settings: Settings) -> (Vec<OriginEntry>, Vec<Problem>) {
    check_value(value, settings, true)
}

/// [`check_origins_variable`]; `suggest` false leaves fixes of the value's shape out (when
/// checking a fix itself, which never has one).
fn check_value(value: &str, settings: Settings, suggest: bool) -> (Vec<OriginEntry>, Vec<Problem>) {
    let trimmed = value.trim_matches(|c: char| c == ',' || c.is_whitespace());
    if trimmed.is_empty() {
        return (Vec::new(), vec![Problem::EmptyOriginsVariable]);
    }
    if let Some(shape) = whole_value_shape(trimmed) {
        let error = OriginListError::new(trimmed, shape, settings, suggest);
        return (Vec::new(), vec![Problem::OriginList(error)]);
    }

    let pieces: Vec<(usize, &str)> = split_origin_list(value).enumerate().collect();
    let mut problems = Vec::new();
    let kept = check_entries(&pieces, pieces.len() > 1, settings, &mut problems);
    // A piece refused as an entry may be written in another format's habits: then that is what
    // to say. (Only refused pieces are looked at: an entry a browser sends has none of them.)
    for (at, problem) in &mut problems {
        let piece = pieces[*at].1;
        if let Some(shape) = piece_shape(piece) {
            *problem = Problem::OriginList(OriginListError::new(piece, shape, settings, suggest));
        }
    }

    // A repetition: each but the first is reported and left out. Keyed by the entry as written,
    // which for a kept one is its canonical form; hashed as the runtime's maps are (a variable
    // may hold thousands of entries).
    let mut seen =
        HashSet::with_capacity_and_hasher(kept.len(), foldhash::fast::RandomState::default());
    let mut origins = Vec::with_capacity(kept.len());
    for (at, origin) in kept {
        if seen.insert(pieces[at].1) {
            origins.push(origin);
        } else {
            problems.push((at, Problem::DuplicateOrigin(origin.to_string())));
        }
    }
    problems.sort_by_key(|(at, _)| *at);
    (
        origins,
        problems.into_iter().map(|(_, problem)| problem).collect(),
    )
}

/// The shape of a whole value that is one JSON array or one quoted string.
fn whole_value_shape(value: &str) -> Option<ListShape> {
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']'))
        // Not a bracketed IPv6 address written without a scheme (`[::1]`).
        && (inner.contains("://") || inner.contains(QUOTES) || inner.trim().is_empty())
    {
        return Some(ListShape::JsonArray);
    }
    (value.len() > 1 && value.starts_with(QUOTES) && value.ends_with(QUOTES))
        .then_some(ListShape::Quoted)
}

/// The shape of one piece of the value (what lies between whitespace and commas), if it is
/// not an entry's.
fn piece_shape(piece: &str) -> Option<ListShape> {
    let bracket_before_quote = piece
        .strip_prefix('[')
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(QUOTES));
    let bracket_after_quote = piece
        .strip_suffix(']')
        .is_some_and(|rest| rest.is_empty() || rest.ends_with(QUOTES));
    if bracket_before_quote || bracket_after_quote {
        return Some(ListShape::JsonArray);
    }
    if let Some(separator) = piece.chars().find(|c| OTHER_SEPARATORS.contains(c)) {
        return Some(ListShape::Separator(separator));
    }
    (piece.starts_with(QUOTES) || piece.ends_with(QUOTES)).then_some(ListShape::Quoted)
}

/// The value to write instead of `text`: the entries it holds, each in its canonical form,
/// separated by a space, if that value passes the whole check under `settings` (so never one
/// that is itself refused).
fn suggest_fix(text: &str, settings: Settings) -> Option<String> {
    // The brackets of an array around the whole text, its entries quoted or not (YAML's flow
    // style writes `[https://a.example.com, https://b.example.com]`).
    let text = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) if inner.contains("://") || inner.contains(QUOTES) => inner,
        _ => text,
    };
    let mut entries = Vec::new();
    for token in
        text.split(|c: char| c == ',' || c.is_whitespace() || OTHER_SEPARATORS.contains(&c))
    {
        let token = unwrap_token(token);
        if token.is_empty() {
            continue;
        }
        entries.push(match OriginEntry::parse(token) {
            Ok(entry) => entry.to_string(),
            Err(err) => err.fix()?.to_owned(),
        });
    }
    let fix = entries.join(" ");
    let (_, problems) = check_value(&fix, settings, false);
    (!entries.is_empty() && problems.is_empty()).then_some(fix)
}

/// `token` without the brackets of a JSON array and without quotes around it.
fn unwrap_token(token: &str) -> &str {
    let token = match token.strip_prefix('[') {
        Some(rest) if rest.is_empty() || rest.starts_with(QUOTES) => rest,
        _ => token,
    };
    let token = match token.strip_suffix(']') {
        Some(rest) if rest.is_empty() || rest.ends_with(QUOTES) => rest,
        _ => token,
    };
    token.trim_matches(QUOTES)
}

/// How a part of an origins variable is written wrongly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListShape {
    /// Another separator than whitespace and commas: `;` or `|`.
    Separator(char),
    /// A JSON array, `["https://a.example.com", "https://b.example.com"]`.
    JsonArray,
    /// Quotes around the value or an entry, `"https://a.example.com"`.
    Quoted,
}

/// A part of an origins variable that is not written as a list of entries (a whole value, or
/// what lies between whitespace and commas), with the value to write instead when there is one.
///
/// ```
/// use cors_grammar::rules::{ListShape, Problem, Settings, check_origins_variable};
///
/// let (_, problems) =
///     check_origins_variable(r#"["https://a.example.com"]"#, Settings::default());
/// let [Problem::OriginList(error)] = &problems[..] else { panic!("{problems:?}") };
/// assert_eq!(error.text(), r#"["https://a.example.com"]"#);
/// assert_eq!(error.shape(), ListShape::JsonArray);
/// assert_eq!(error.fix(), Some("https://a.example.com"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginListError {
    text: String,
    shape: ListShape,
    fix: Option<String>,
}

impl OriginListError {
    fn new(text: &str, shape: ListShape, settings: Settings, suggest: bool) -> Self {
        Self {
            text: text.to_owned(),
            shape,
            fix: suggest.then(|| suggest_fix(text, settings)).flatten(),
        }
    }

    /// The part of the value, as written.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How it is written wrongly.
    #[must_use]
    pub fn shape(&self) -> ListShape {
        self.shape
    }

    /// The value to write instead: the entries it holds, canonical, separated by a space. None
    /// when that would itself be refused.
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }
}

impl fmt::Display for OriginListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = Shown(&self.text);
        match self.shape {
            ListShape::Separator(separator) => write!(
                f,
                "{text} uses `{separator}` as a separator: the entries of an origins variable \
                 are separated by {SEPARATORS}"
            ),
            ListShape::JsonArray => write!(
                f,
                "{text} is a JSON array: an origins variable is a plain list, its entries \
                 separated by {SEPARATORS}, without brackets or quotes"
            ),
            ListShape::Quoted => write!(
                f,
                "{text} is in quotes, which are part of the value here: an origins variable is \
                 a plain list, its entries separated by {SEPARATORS}, without quotes"
            ),
        }?;
        if let Some(fix) = &self.fix {
            write!(f, "; write `{fix}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginListError {}

#[cfg(test)]
mod tests;
