//! Reading each argument's value: what it takes, and a message that shows how to write it when
//! it is something else.

use cors_grammar::MAX_AGE_LIMIT;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, ExprLit, Lit, LitBool, LitStr, Path, Token, bracketed};

use crate::arguments::{Flag, Origins, StrList};

/// Reads the value of `name` into `slot`, which must still be empty.
pub(super) fn set_once<T>(
    slot: &mut Option<T>,
    meta: &ParseNestedMeta<'_>,
    name: &str,
    read: impl FnOnce(ParseStream<'_>, &str) -> syn::Result<T>,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{name}` is given twice; keep one")));
    }
    *slot = Some(read(meta.value()?, name)?);
    Ok(())
}

/// A flag: its name alone, without a value.
pub(super) fn set_flag(slot: &mut Flag, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "`{name}` is a flag: write `{name}` on its own to turn it on, and leave it out to \
             keep it off"
        )));
    }
    if slot.is_some() {
        return Err(meta.error(format!("`{name}` is given twice; keep one")));
    }
    *slot = Some(syn::spanned::Spanned::span(&meta.path));
    Ok(())
}

/// `origins = "*"` or `origins = ["...", ...]`, written out: the list is checked at compile
/// time, so a constant or any other expression cannot stand for it.
pub(super) fn origins(input: ParseStream<'_>, name: &str) -> syn::Result<Origins> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
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
    if input.peek(syn::token::Bracket) {
        return list(input, name).map(Origins::List);
    }
    let what = match input.fork().parse::<Expr>() {
        Ok(Expr::Path(path)) => format!("`{}` cannot be read here", quote::quote!(#path)),
        _ => "an expression cannot be read here".to_owned(),
    };
    Err(value_error(
        input,
        format!(
            "`origins` is checked at compile time, so its list must be written out: {what}; \
             write `origins = {}`, or, for a list shared by several policies or computed at \
             run time, use `origins_env = \"ALLOWED_ORIGINS\"` (read at cold start), \
             `origins_fn = path::to::function` (a predicate) or `CorsLayer::builder()` (a \
             layer built at run time)",
            list_example("origins")
        ),
    ))
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

/// A bracketed list of string literals.
pub(super) fn list(input: ParseStream<'_>, name: &str) -> syn::Result<StrList> {
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
    // Read as a whole, then entry by entry: a mistake inside stops this list only.
    let entries: TokenStream = content.parse()?;
    let items = (|input: ParseStream<'_>| entries_of(input, name)).parse2(entries)?;
    Ok(StrList {
        span: brackets.span.join(),
        items,
    })
}

fn entries_of(content: ParseStream<'_>, name: &str) -> syn::Result<Vec<LitStr>> {
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
            return Err(value_error(content, message));
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(items)
}

/// `origins_env = "NAME"`: the name of an environment variable.
pub(super) fn env_name(input: ParseStream<'_>, name: &str) -> syn::Result<LitStr> {
    let lit = string(input, name, "\"ALLOWED_ORIGINS\"")?;
    let valid = |name: &str| {
        !name.is_empty()
            && !name.as_bytes()[0].is_ascii_digit()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let name = lit.value();
    if valid(&name) {
        return Ok(lit);
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

/// `origins_fn = path::to::function`: a path, not a string or a closure. Its signature is
/// checked by the compiler, in the expansion.
pub(super) fn function_path(input: ParseStream<'_>, _: &str) -> syn::Result<Path> {
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

/// `crate = "path"`.
pub(super) fn crate_path(input: ParseStream<'_>, name: &str) -> syn::Result<Path> {
    let lit = string(input, name, "\"::cors_runtime\"")?;
    lit.parse::<Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "`crate` takes a path, like `crate = \"::cors\"`",
        )
    })
}

/// A string literal, or an error at the value saying what `name` takes.
fn string(input: ParseStream<'_>, name: &str, example: &str) -> syn::Result<LitStr> {
    if input.peek(LitStr) {
        return input.parse();
    }
    Err(value_error(
        input,
        format!("`{name}` takes a string, like `{name} = {example}`"),
    ))
}

pub(super) fn bool(input: ParseStream<'_>, name: &str) -> syn::Result<LitBool> {
    if input.peek(LitBool) {
        return input.parse();
    }
    Err(value_error(
        input,
        format!("`{name}` takes `true` or `false`, like `{name} = false`"),
    ))
}

/// `max_age = N`: a whole number of seconds (its upper limit is one of the policy's rules).
/// Anything else (`-1`, `1.5`, `"600"`, a number beyond `u64`) is an error at the whole value.
pub(super) fn max_age(input: ParseStream<'_>, _: &str) -> syn::Result<(Span, u64)> {
    if let Ok(Expr::Lit(ExprLit {
        lit: Lit::Int(lit), ..
    })) = input.fork().parse::<Expr>()
    {
        if let Ok(age) = lit.base10_parse::<u64>() {
            input.parse::<Expr>()?;
            return Ok((lit.span(), age));
        }
    }
    Err(value_error(
        input,
        format!(
            "`max_age` is a whole number of seconds from 0 to {MAX_AGE_LIMIT}, like `max_age = \
             600` (browsers cap it: Chromium at 7200, Firefox at 86400)"
        ),
    ))
}

/// An error at the value about to be parsed (the whole expression when it is one).
fn value_error(input: ParseStream<'_>, message: String) -> syn::Error {
    match input.fork().parse::<Expr>() {
        Ok(expr) => syn::Error::new_spanned(expr, message),
        Err(_) => input.error(message),
    }
}
