//! Parsing `#[cors(...)]`'s arguments. Every value keeps its span so that checks, including
//! the ones that involve two arguments, can point at the offending token.

use cors_grammar::MAX_AGE_LIMIT;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, ExprLit, Lit, LitBool, LitInt, LitStr, Path, Token, bracketed};

/// Every argument, for the messages about an unknown one.
const NAMES: [&str; 13] = [
    "origins",
    "origins_env",
    "origins_fn",
    "credentials",
    "allow_insecure_http",
    "methods",
    "headers",
    "expose_headers",
    "max_age",
    "preflight",
    "catch_errors",
    "streaming",
    "crate",
];

/// The arguments, as a message lists them.
fn arguments() -> String {
    NAMES.map(|name| format!("`{name}`")).join(", ")
}

/// What `max_age` takes; also the message for a value out of range.
pub(crate) fn max_age_expected() -> String {
    format!(
        "`max_age` is a whole number of seconds from 0 to {MAX_AGE_LIMIT}, like `max_age = 600` \
         (browsers cap it: Chromium at 7200, Firefox at 86400)"
    )
}

/// `origins = ...`.
pub(crate) enum Origins {
    /// `origins = "*"`.
    Any(LitStr),
    /// `origins = ["...", ...]`.
    List(StrList),
}

/// A bracketed list of string literals, with the span of its brackets.
pub(crate) struct StrList {
    pub(crate) span: Span,
    pub(crate) items: Vec<LitStr>,
}

/// A flag such as `credentials`, with where it was written.
pub(crate) type Flag = Option<Span>;

#[derive(Default)]
pub(crate) struct Args {
    pub(crate) origins: Option<Origins>,
    pub(crate) origins_env: Option<LitStr>,
    pub(crate) origins_fn: Option<Path>,
    pub(crate) credentials: Flag,
    pub(crate) allow_insecure_http: Flag,
    pub(crate) catch_errors: Flag,
    pub(crate) streaming: Flag,
    pub(crate) methods: Option<StrList>,
    pub(crate) headers: Option<StrList>,
    pub(crate) expose_headers: Option<StrList>,
    pub(crate) max_age: Option<LitInt>,
    pub(crate) preflight: Option<LitBool>,
    pub(crate) krate: Option<Path>,
}

impl Args {
    pub(crate) fn parse(tokens: proc_macro2::TokenStream) -> syn::Result<Args> {
        let mut args = Args::default();
        let parser = syn::meta::parser(|meta| args.parse_one(&meta));
        parser.parse2(tokens)?;
        Ok(args)
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let path = &meta.path;
        let name = if path.is_ident("crate") {
            "crate".to_owned()
        } else {
            match path.get_ident() {
                Some(ident) => ident.to_string(),
                None => {
                    return Err(
                        meta.error(format!("unknown argument; expected one of {}", arguments()))
                    );
                }
            }
        };
        match name.as_str() {
            "origins" => set_once(&mut self.origins, meta, &name, parse_origins),
            "origins_env" => set_once(&mut self.origins_env, meta, &name, |meta| {
                let lit = parse_str(meta.value()?, &name, "\"ALLOWED_ORIGINS\"")?;
                check_env_name(&lit)?;
                Ok(lit)
            }),
            "origins_fn" => set_once(&mut self.origins_fn, meta, &name, |meta| {
                parse_function_path(meta.value()?)
            }),
            "credentials" => set_flag(&mut self.credentials, meta, &name),
            "allow_insecure_http" => set_flag(&mut self.allow_insecure_http, meta, &name),
            "catch_errors" => set_flag(&mut self.catch_errors, meta, &name),
            "streaming" => set_flag(&mut self.streaming, meta, &name),
            "methods" => set_once(&mut self.methods, meta, &name, |m| {
                parse_list(m.value()?, &name)
            }),
            "headers" => set_once(&mut self.headers, meta, &name, |m| {
                parse_list(m.value()?, &name)
            }),
            "expose_headers" => set_once(&mut self.expose_headers, meta, &name, |m| {
                parse_list(m.value()?, &name)
            }),
            "max_age" => set_once(&mut self.max_age, meta, &name, |m| {
                parse_max_age(m.value()?)
            }),
            "preflight" => set_once(&mut self.preflight, meta, &name, |m| {
                parse_bool(m.value()?, &name)
            }),
            "crate" => set_once(&mut self.krate, meta, &name, |meta| {
                let lit = parse_str(meta.value()?, &name, "\"::cors_runtime\"")?;
                lit.parse::<Path>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` takes a path, like `crate = \"::cors\"`",
                    )
                })
            }),
            other => Err(meta.error(match suggestion(other) {
                Some(known) => format!(
                    "unknown argument `{other}`: did you mean `{known}`? The arguments are {}",
                    arguments()
                ),
                None => format!(
                    "unknown argument `{other}`; expected one of {}",
                    arguments()
                ),
            })),
        }
    }
}

fn set_once<T>(
    slot: &mut Option<T>,
    meta: &ParseNestedMeta<'_>,
    name: &str,
    parse: impl FnOnce(&ParseNestedMeta<'_>) -> syn::Result<T>,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{name}` is given twice; keep one")));
    }
    *slot = Some(parse(meta)?);
    Ok(())
}

fn set_flag(slot: &mut Flag, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "`{name}` is a flag: write `{name}` on its own to turn it on, and leave it out to \
             keep it off"
        )));
    }
    set_once(slot, meta, name, |meta| {
        Ok(syn::spanned::Spanned::span(&meta.path))
    })
}

fn parse_origins(meta: &ParseNestedMeta<'_>) -> syn::Result<Origins> {
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        if lit.value() == "*" {
            return Ok(Origins::Any(lit));
        }
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "`origins` takes `\"*\"` (any origin) or a list; write `origins = [{}]`",
                quote::quote!(#lit)
            ),
        ));
    }
    parse_list(value, "origins").map(Origins::List)
}

/// An example list for each list argument.
fn list_example(name: &str) -> &'static str {
    match name {
        "origins" => "[\"https://app.example.com\"]",
        "methods" => "[\"GET\", \"PUT\"]",
        "headers" => "[\"Content-Type\", \"X-Request-Id\"]",
        _ => "[\"X-Request-Id\"]",
    }
}

fn parse_list(input: ParseStream<'_>, name: &str) -> syn::Result<StrList> {
    if !input.peek(syn::token::Bracket) {
        let example = match input.fork().parse::<LitStr>() {
            Ok(lit) => format!("[{}]", quote::quote!(#lit)),
            Err(_) => list_example(name).to_owned(),
        };
        return Err(value_error(
            input,
            format!("`{name}` takes a list of strings: write `{name} = {example}`"),
        ));
    }
    let content;
    let brackets = bracketed!(content in input);
    let mut items = Vec::new();
    while !content.is_empty() {
        if content.peek(LitStr) {
            items.push(content.parse()?);
        } else {
            // An identifier or another literal where a string belongs: suggest quoting it.
            let quoted = match content.fork().parse::<Expr>() {
                Ok(Expr::Path(path)) if path.path.get_ident().is_some() => {
                    Some(quote::quote!(#path).to_string())
                }
                Ok(Expr::Lit(ExprLit { lit, .. })) => Some(quote::quote!(#lit).to_string()),
                _ => None,
            };
            let message = match quoted {
                Some(entry) => format!(
                    "`{name}` takes a list of strings: write `\"{}\"`",
                    entry.escape_debug()
                ),
                None => format!(
                    "`{name}` takes a list of string literals, like `{name} = {}`",
                    list_example(name)
                ),
            };
            return Err(value_error(&content, message));
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(StrList {
        span: brackets.span.join(),
        items,
    })
}

/// `origins_fn = path::to::function`: a path, not a string or a closure.
fn parse_function_path(input: ParseStream<'_>) -> syn::Result<Path> {
    match input.fork().parse::<Expr>() {
        Ok(Expr::Path(path)) if path.qself.is_none() => {
            input.parse::<Expr>()?;
            Ok(path.path)
        }
        Ok(Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        })) => Err(value_error(
            input,
            format!(
                "`origins_fn` takes the path of a function, not a string: write `origins_fn = {}`",
                lit.value()
            ),
        )),
        _ => Err(value_error(
            input,
            "`origins_fn` takes the path of a plain function `fn(&cors_runtime::Origin) -> bool`, \
             like `origins_fn = tenants::is_allowed`"
                .to_owned(),
        )),
    }
}

/// A string literal, or an error at the value saying what `name` takes.
fn parse_str(input: ParseStream<'_>, name: &str, example: &str) -> syn::Result<LitStr> {
    if input.peek(LitStr) {
        return input.parse();
    }
    Err(value_error(
        input,
        format!("`{name}` takes a string, like `{name} = {example}`"),
    ))
}

fn parse_bool(input: ParseStream<'_>, name: &str) -> syn::Result<LitBool> {
    if input.peek(LitBool) {
        return input.parse();
    }
    Err(value_error(
        input,
        format!("`{name}` takes `true` or `false`, like `{name} = false`"),
    ))
}

/// The literal of `max_age = ...`: anything but an integer literal (`-1`, `1.5`, `"600"`) is an
/// error here, at the whole value; the range is checked in `validate`.
fn parse_max_age(input: ParseStream<'_>) -> syn::Result<LitInt> {
    match input.fork().parse::<Expr>() {
        Ok(Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        })) => {
            input.parse::<Expr>()?;
            Ok(lit)
        }
        _ => Err(value_error(input, max_age_expected())),
    }
}

/// An error at the value about to be parsed (the whole expression when it is one).
fn value_error(input: ParseStream<'_>, message: String) -> syn::Error {
    match input.fork().parse::<Expr>() {
        Ok(expr) => syn::Error::new_spanned(expr, message),
        Err(_) => input.error(message),
    }
}

/// The known argument that an unknown one is probably a typo of.
fn suggestion(unknown: &str) -> Option<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    let trimmed = [
        "access_control_allow_",
        "access_control_",
        "allowed_",
        "allow_",
    ]
    .iter()
    .find_map(|prefix| unknown.strip_prefix(prefix))
    .unwrap_or(&unknown);
    NAMES
        .iter()
        .map(|&known| {
            let distance = edit_distance(&unknown, known).min(edit_distance(trimmed, known));
            (distance, known)
        })
        .filter(|&(distance, known)| distance <= 2 && distance < known.len() / 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, known)| known)
}

/// Levenshtein distance, on bytes (argument names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.bytes().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn check_env_name(lit: &LitStr) -> syn::Result<()> {
    let valid = |name: &str| {
        !name.is_empty()
            && !name.as_bytes()[0].is_ascii_digit()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let name = lit.value();
    if valid(&name) {
        return Ok(());
    }
    let fix: String = name
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let fix = if valid(&fix) {
        fix
    } else {
        "ALLOWED_ORIGINS".to_owned()
    };
    Err(syn::Error::new(
        lit.span(),
        format!(
            "`origins_env` takes the name of an environment variable: letters, digits and `_`, \
             not starting with a digit; write `origins_env = \"{fix}\"`"
        ),
    ))
}
