//! The rules of a whole policy, beyond the form of each entry: `*` with credentials, plain
//! `http://` with credentials, `*` beside other origins, arguments that only matter together.
//!
//! Each rule is written here once. The macro runs [`check`] on an attribute's literals (each
//! value tagged with its token's span) and the runtime runs it on the same arguments at cold
//! start, and [`check_origins_variable`] on the value of an origins variable (as a linter of
//! deploy templates does on a literal value); all explain a broken rule with the [`Problem`]'s
//! own words and add only where it is (a token, a variable) and, where the fix depends on the
//! side, how to fix it there.

use std::fmt;

mod variable;

pub use variable::{ListShape, OriginListError, check_origins_variable};

use crate::{
    HeaderError, HeaderList, HeaderNameEntry, MAX_AGE_LIMIT, MethodEntry, MethodError, OriginEntry,
    OriginEntryError,
};

/// An argument of a policy, as the attribute spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Argument {
    /// `origins = [...]` or `origins = "*"`.
    Origins,
    /// `origins_env = "VAR"`.
    OriginsEnv,
    /// `origins_fn = path::to::predicate`.
    OriginsFn,
    /// `credentials`.
    Credentials,
    /// `allow_insecure_http`.
    AllowInsecureHttp,
    /// `methods = [...]`.
    Methods,
    /// `headers = [...]`.
    Headers,
    /// `expose_headers = [...]`.
    ExposeHeaders,
    /// `max_age = N`.
    MaxAge,
    /// `preflight = false`.
    Preflight,
}

impl Argument {
    /// The argument's name, as written in `#[cors(...)]`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Argument::Origins => "origins",
            Argument::OriginsEnv => "origins_env",
            Argument::OriginsFn => "origins_fn",
            Argument::Credentials => "credentials",
            Argument::AllowInsecureHttp => "allow_insecure_http",
            Argument::Methods => "methods",
            Argument::Headers => "headers",
            Argument::ExposeHeaders => "expose_headers",
            Argument::MaxAge => "max_age",
            Argument::Preflight => "preflight",
        }
    }
}

/// One broken rule. Its [`Display`](fmt::Display) is the explanation both sides give, word for
/// word.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// An origin entry that is not an origin as browsers send it.
    OriginEntry(OriginEntryError),
    /// A `methods` entry that is not a method a page can send.
    Method(MethodError),
    /// A `headers` or `expose_headers` entry that does nothing.
    Header(HeaderError),
    /// `*` (any origin) together with credentials.
    AnyOriginWithCredentials,
    /// `*` (any origin) beside other origins in one list.
    AnyOriginBesideOthers,
    /// `*` (any origin) together with `origins_env`.
    AnyOriginWithOriginsEnv,
    /// `*` (any origin) together with `origins_fn`.
    AnyOriginWithOriginsFn,
    /// A plain-http origin on a host other than a loopback one, together with credentials.
    InsecureOriginWithCredentials(String),
    /// An origin listed twice (in the attribute's list, or in an origins variable).
    DuplicateOrigin(String),
    /// An origins variable written wrongly as a whole or in part: other separators, a JSON
    /// array, quotes.
    OriginList(OriginListError),
    /// An origins variable with no entry: empty, or separators only.
    EmptyOriginsVariable,
    /// Neither `origins` nor `origins_env`.
    NoOrigins,
    /// `origins = []`.
    EmptyOriginList,
    /// `*` in `methods`, `headers` or `expose_headers` together with credentials.
    WildcardWithCredentials(Argument),
    /// `max_age` above [`MAX_AGE_LIMIT`].
    MaxAgeTooLong(u64),
    /// `allow_insecure_http` without `credentials`.
    InsecureHttpWithoutCredentials,
    /// `methods`, `headers` or `max_age` with `preflight = false`.
    OnlyForPreflights(Argument),
}

impl Problem {
    /// The entry to write instead, when the intent is clear (the canonical form of an origin,
    /// the uppercase form of a method).
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        match self {
            Problem::OriginEntry(err) => err.fix(),
            Problem::OriginList(err) => err.fix(),
            Problem::Method(err) => err.fix(),
            _ => None,
        }
    }

    /// The entry the problem is about, as written, when it is about one entry.
    #[must_use]
    pub fn entry(&self) -> Option<&str> {
        match self {
            Problem::OriginEntry(err) => Some(err.entry()),
            Problem::OriginList(err) => Some(err.text()),
            Problem::Method(err) => Some(err.entry()),
            Problem::Header(err) => Some(err.entry()),
            Problem::InsecureOriginWithCredentials(entry) | Problem::DuplicateOrigin(entry) => {
                Some(entry)
            }
            Problem::AnyOriginWithCredentials
            | Problem::AnyOriginBesideOthers
            | Problem::AnyOriginWithOriginsEnv
            | Problem::AnyOriginWithOriginsFn => Some("*"),
            Problem::WildcardWithCredentials(_) => Some("*"),
            _ => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::OriginEntry(err) => write!(f, "{err}"),
            Problem::Method(err) => write!(f, "{err}"),
            Problem::Header(err) => write!(f, "{err}"),
            Problem::AnyOriginWithCredentials => f.write_str(
                "`*` (any origin) cannot go with credentials: browsers refuse \
                 `Access-Control-Allow-Origin: *` on requests with credentials (cookies)",
            ),
            Problem::AnyOriginBesideOthers => f.write_str(
                "`*` (any origin) stands beside other origins: it must be the whole list; keep \
                 `*` alone, or remove it to allow only the listed origins",
            ),
            Problem::AnyOriginWithOriginsEnv => f.write_str(
                "`*` already allows every origin, so `origins_env` could only repeat it; remove \
                 one of the two",
            ),
            Problem::AnyOriginWithOriginsFn => f.write_str(
                "`*` already allows every origin, so `origins_fn` would never be asked; remove \
                 one of the two",
            ),
            Problem::InsecureOriginWithCredentials(entry) => write!(
                f,
                "origin `{}` is plain http on a non-loopback host: anyone on the network path \
                 can impersonate it, so it must not receive credentialed responses",
                entry.escape_debug()
            ),
            Problem::DuplicateOrigin(entry) => write!(
                f,
                "origin `{}` is listed twice; remove one",
                entry.escape_debug()
            ),
            Problem::OriginList(err) => write!(f, "{err}"),
            Problem::EmptyOriginsVariable => f.write_str(
                "the value is empty (or only separators), so it allows no origin: list the \
                 allowed origins, separated by whitespace and/or commas, e.g. \
                 `https://app.example.com https://admin.example.com`",
            ),
            Problem::NoOrigins => {
                f.write_str("no origins are given, so no origin would ever be allowed")
            }
            Problem::EmptyOriginList => {
                f.write_str("the origin list is empty, so no origin would ever be allowed")
            }
            Problem::WildcardWithCredentials(argument) => {
                let kind = match argument {
                    Argument::Methods => "method",
                    _ => "header",
                };
                write!(
                    f,
                    "`*` in `{}` means a {kind} literally named `*` when credentials are \
                     allowed; list the {kind}s by name",
                    argument.name()
                )
            }
            Problem::MaxAgeTooLong(age) => write!(
                f,
                "`max_age = {age}` is more than {MAX_AGE_LIMIT} seconds, which no browser \
                 honours (Chromium caps it at 7200, Firefox at 86400)"
            ),
            Problem::InsecureHttpWithoutCredentials => {
                f.write_str("`allow_insecure_http` only matters with `credentials`; remove it")
            }
            Problem::OnlyForPreflights(argument) => write!(
                f,
                "`{}` only shapes the answer to preflights, which the handler gives itself with \
                 `preflight = false`; remove one of the two",
                argument.name()
            ),
        }
    }
}

impl std::error::Error for Problem {}

/// The settings that other rules depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `credentials`.
    pub credentials: bool,
    /// `allow_insecure_http`.
    pub allow_insecure_http: bool,
    /// `origins_fn`: a predicate that allows origins beyond the lists.
    pub origins_fn: bool,
}

/// A list argument: where it is written, and each entry with where it is written.
#[derive(Clone, Debug)]
pub struct Entries<'a, L> {
    /// The whole list (its brackets).
    pub at: L,
    /// Each entry.
    pub entries: Vec<(L, &'a str)>,
}

/// A policy's arguments as written, each tagged with where it was written: `L` is a token's
/// span for the macro, a description of the argument for the runtime.
#[derive(Clone, Debug)]
pub struct Arguments<'a, L> {
    /// Where problems with the policy as a whole are reported.
    pub whole: L,
    /// `origins`; `origins = "*"` is the one-entry list `["*"]`.
    pub origins: Option<Entries<'a, L>>,
    /// `origins_env`.
    pub origins_env: Option<L>,
    /// `origins_fn`.
    pub origins_fn: Option<L>,
    /// `credentials`.
    pub credentials: Option<L>,
    /// `allow_insecure_http`.
    pub allow_insecure_http: Option<L>,
    /// `methods`.
    pub methods: Option<Entries<'a, L>>,
    /// `headers`.
    pub headers: Option<Entries<'a, L>>,
    /// `expose_headers`.
    pub expose_headers: Option<Entries<'a, L>>,
    /// `max_age`.
    pub max_age: Option<(L, u64)>,
    /// `preflight` (`true` unless `preflight = false`).
    pub preflight: bool,
}

/// What [`check`] keeps: every entry that breaks no rule (an entry that breaks one is left
/// out, so a mistake can only narrow a policy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// The origin entries.
    pub origins: Vec<OriginEntry>,
    /// The methods, when `methods` is given.
    pub methods: Option<Vec<MethodEntry>>,
    /// The allowed request headers, when `headers` is given.
    pub headers: Option<Vec<HeaderNameEntry>>,
    /// The exposed response headers.
    pub expose_headers: Vec<HeaderNameEntry>,
    /// `max_age`, when given and within [`MAX_AGE_LIMIT`].
    pub max_age: Option<u64>,
}

/// Checks a policy's arguments against every rule, and returns what is valid with every
/// problem found, each where it was written, in the order they were written.
///
/// ```
/// use cors_grammar::rules::{Arguments, Entries, Problem, check};
///
/// let arguments = Arguments {
///     whole: "attribute",
///     origins: Some(Entries { at: "origins", entries: vec![("origins[0]", "*")] }),
///     origins_env: None,
///     origins_fn: None,
///     credentials: Some("credentials"),
///     allow_insecure_http: None,
///     methods: None,
///     headers: None,
///     expose_headers: None,
///     max_age: None,
///     preflight: true,
/// };
/// let (checked, problems) = check(&arguments);
/// assert!(checked.origins.is_empty());
/// assert_eq!(problems, [("origins[0]", Problem::AnyOriginWithCredentials)]);
/// ```
pub fn check<L: Copy>(arguments: &Arguments<'_, L>) -> (Checked, Vec<(L, Problem)>) {
    let mut problems = Vec::new();
    let settings = Settings {
        credentials: arguments.credentials.is_some(),
        allow_insecure_http: arguments.allow_insecure_http.is_some(),
        origins_fn: arguments.origins_fn.is_some(),
    };

    let mut origins = Vec::new();
    match &arguments.origins {
        None if arguments.origins_env.is_none() && arguments.origins_fn.is_none() => {
            problems.push((arguments.whole, Problem::NoOrigins));
        }
        None => {}
        Some(list) => {
            if list.entries.is_empty() {
                problems.push((list.at, Problem::EmptyOriginList));
            }
            for (at, origin) in check_origin_entries(&list.entries, settings, &mut problems) {
                if origin == OriginEntry::Any && arguments.origins_env.is_some() {
                    problems.push((at, Problem::AnyOriginWithOriginsEnv));
                } else if origins.contains(&origin) {
                    problems.push((at, Problem::DuplicateOrigin(origin.to_string())));
                } else {
                    origins.push(origin);
                }
            }
        }
    }
    if let (Some(at), false) = (arguments.allow_insecure_http, settings.credentials) {
        problems.push((at, Problem::InsecureHttpWithoutCredentials));
    }
    if !arguments.preflight {
        for (argument, at) in [
            (Argument::Methods, arguments.methods.as_ref().map(|l| l.at)),
            (Argument::Headers, arguments.headers.as_ref().map(|l| l.at)),
            (Argument::MaxAge, arguments.max_age.map(|(at, _)| at)),
        ] {
            if let Some(at) = at {
                problems.push((at, Problem::OnlyForPreflights(argument)));
            }
        }
    }

    let methods = arguments.methods.as_ref().map(|list| {
        list.entries
            .iter()
            .filter_map(|&(at, entry)| {
                let problem = match MethodEntry::parse(entry) {
                    Ok(MethodEntry::Any) if settings.credentials => {
                        Problem::WildcardWithCredentials(Argument::Methods)
                    }
                    Ok(method) => return Some(method),
                    Err(err) => Problem::Method(err),
                };
                problems.push((at, problem));
                None
            })
            .collect()
    });
    let mut header_list = |list: &Entries<'_, L>, kind: HeaderList| -> Vec<HeaderNameEntry> {
        list.entries
            .iter()
            .filter_map(|&(at, entry)| {
                let problem = match HeaderNameEntry::parse(entry, kind) {
                    Ok(HeaderNameEntry::Any) if settings.credentials => {
                        Problem::WildcardWithCredentials(kind.argument())
                    }
                    Ok(header) => return Some(header),
                    Err(err) => Problem::Header(err),
                };
                problems.push((at, problem));
                None
            })
            .collect()
    };
    let headers = arguments
        .headers
        .as_ref()
        .map(|list| header_list(list, HeaderList::Allow));
    let expose_headers = arguments
        .expose_headers
        .as_ref()
        .map(|list| header_list(list, HeaderList::Expose))
        .unwrap_or_default();

    let max_age = arguments.max_age.and_then(|(at, age)| {
        if age <= MAX_AGE_LIMIT {
            Some(age)
        } else {
            problems.push((at, Problem::MaxAgeTooLong(age)));
            None
        }
    });

    let checked = Checked {
        origins,
        methods,
        headers,
        expose_headers,
        max_age,
    };
    (checked, problems)
}

/// Parses the origin entries of one list and checks the rules that apply to each entry: `*`
/// beside other entries, `*` with credentials or with a predicate, plain http with credentials.
/// Returns the entries that pass, each with where it was written; the problems are appended to
/// `problems`. (The value of an origins variable, as a whole: [`check_origins_variable`].)
///
/// ```
/// use cors_grammar::OriginEntry;
/// use cors_grammar::rules::{Problem, Settings, check_origin_entries};
///
/// let settings = Settings { credentials: true, ..Settings::default() };
/// let mut problems = Vec::new();
/// let kept = check_origin_entries(
///     &[(0, "https://app.example.com"), (1, "http://app.example.com")],
///     settings,
///     &mut problems,
/// );
/// assert_eq!(kept, [(0, OriginEntry::Exact("https://app.example.com".into()))]);
/// assert_eq!(
///     problems,
///     [(1, Problem::InsecureOriginWithCredentials("http://app.example.com".into()))],
/// );
/// ```
pub fn check_origin_entries<L: Copy>(
    entries: &[(L, &str)],
    settings: Settings,
    problems: &mut Vec<(L, Problem)>,
) -> Vec<(L, OriginEntry)> {
    check_entries(entries, entries.len() > 1, settings, problems)
}

/// [`check_origin_entries`], where `several` says whether the list has other entries than
/// these (`*` must stand alone).
fn check_entries<L: Copy>(
    entries: &[(L, &str)],
    several: bool,
    settings: Settings,
    problems: &mut Vec<(L, Problem)>,
) -> Vec<(L, OriginEntry)> {
    let mut kept = Vec::with_capacity(entries.len());
    for &(at, entry) in entries {
        let problem = match OriginEntry::parse(entry) {
            Err(err) => {
                // A fix is offered only if it passes every rule too: the canonical form of an
                // entry can still be refused (plain http with credentials, a public suffix).
                let fix_passes = err.fix().is_some_and(|fix| {
                    OriginEntry::parse(fix)
                        .is_ok_and(|origin| entry_problem(&origin, several, settings).is_none())
                });
                Problem::OriginEntry(if fix_passes { err } else { err.without_fix() })
            }
            Ok(origin) => match entry_problem(&origin, several, settings) {
                Some(problem) => problem,
                None => {
                    kept.push((at, origin));
                    continue;
                }
            },
        };
        problems.push((at, problem));
    }
    kept
}

/// The rule a valid entry breaks in its list, if any.
fn entry_problem(origin: &OriginEntry, several: bool, settings: Settings) -> Option<Problem> {
    match origin {
        OriginEntry::Any if settings.credentials => Some(Problem::AnyOriginWithCredentials),
        OriginEntry::Any if several => Some(Problem::AnyOriginBesideOthers),
        OriginEntry::Any if settings.origins_fn => Some(Problem::AnyOriginWithOriginsFn),
        origin
            if settings.credentials
                && !settings.allow_insecure_http
                && !origin.is_trustworthy() =>
        {
            Some(Problem::InsecureOriginWithCredentials(origin.to_string()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy of these origins, and nothing else.
    pub(super) fn arguments<'a>(origins: &[&'a str]) -> Arguments<'a, usize> {
        Arguments {
            whole: 0,
            origins: Some(Entries {
                at: 1,
                entries: origins
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (10 + i, *e))
                    .collect(),
            }),
            origins_env: None,
            origins_fn: None,
            credentials: None,
            allow_insecure_http: None,
            methods: None,
            headers: None,
            expose_headers: None,
            max_age: None,
            preflight: true,
        }
    }

    #[test]
    fn each_problem_is_reported_where_it_was_written_and_left_out() {
        let mut args = arguments(&[
            "https://a.example.com",
            "http://b.example.com",
            "*",
            "https://a.example.com",
            "https://A.example.com",
        ]);
        args.credentials = Some(2);
        args.methods = Some(Entries {
            at: 3,
            entries: vec![(30, "PUT"), (31, "*"), (32, "put")],
        });
        args.headers = Some(Entries {
            at: 4,
            entries: vec![(40, "*"), (41, "x-a")],
        });
        args.max_age = Some((5, 86_401));
        let (checked, problems) = check(&args);
        let at: Vec<usize> = problems.iter().map(|(at, _)| *at).collect();
        assert_eq!(at, [11, 12, 14, 13, 31, 32, 40, 5], "{problems:#?}");
        assert_eq!(
            checked.origins,
            [OriginEntry::Exact("https://a.example.com".into())]
        );
        assert_eq!(checked.methods.map(|m| m.len()), Some(1));
        assert_eq!(checked.headers.map(|h| h.len()), Some(1));
        assert_eq!(checked.max_age, None);
    }

    #[test]
    fn cross_argument_rules() {
        let mut args = arguments(&["*"]);
        args.origins_env = Some(2);
        args.allow_insecure_http = Some(3);
        args.preflight = false;
        args.methods = Some(Entries {
            at: 4,
            entries: vec![],
        });
        args.max_age = Some((5, 10));
        let (_, problems) = check(&args);
        assert_eq!(
            problems,
            [
                (10, Problem::AnyOriginWithOriginsEnv),
                (3, Problem::InsecureHttpWithoutCredentials),
                (4, Problem::OnlyForPreflights(Argument::Methods)),
                (5, Problem::OnlyForPreflights(Argument::MaxAge)),
            ]
        );
        let mut none = arguments(&[]);
        none.origins = None;
        assert_eq!(check(&none).1, [(0, Problem::NoOrigins)]);
        assert_eq!(check(&arguments(&[])).1, [(1, Problem::EmptyOriginList)]);
    }

    #[test]
    fn star_alone_is_any_origin_without_credentials() {
        let (checked, problems) = check(&arguments(&["*"]));
        assert!(problems.is_empty());
        assert_eq!(checked.origins, [OriginEntry::Any]);
        let mut insecure = arguments(&["http://app.example.com", "http://localhost:3000"]);
        insecure.credentials = Some(2);
        insecure.allow_insecure_http = Some(3);
        let (checked, problems) = check(&insecure);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(checked.origins.len(), 2);
    }

    #[test]
    fn patterns_obey_the_same_rules_as_origins() {
        let mut args = arguments(&[
            "http://localhost:*",
            "http://127.0.0.1:*",
            "http://[::1]:*",
            "http://**.localhost:*",
            "https://**.example.com:*",
            "http://app.example.com:*",
            "http://**.example.com",
            "https://**.example.com:*",
        ]);
        args.credentials = Some(2);
        let (checked, problems) = check(&args);
        assert_eq!(checked.origins.len(), 5);
        assert_eq!(
            problems,
            [
                (
                    15,
                    Problem::InsecureOriginWithCredentials("http://app.example.com:*".into())
                ),
                (
                    16,
                    Problem::InsecureOriginWithCredentials("http://**.example.com".into())
                ),
                (
                    17,
                    Problem::DuplicateOrigin("https://**.example.com:*".into())
                ),
            ]
        );
        args.allow_insecure_http = Some(3);
        let (checked, problems) = check(&args);
        assert_eq!(checked.origins.len(), 7);
        assert_eq!(problems.len(), 1);
    }
}
