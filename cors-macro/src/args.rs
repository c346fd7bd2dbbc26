//! Parsing `#[cors(...)]`'s arguments. Every value keeps its span so that checks, including
//! the ones that involve two arguments, can point at the offending token.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{LitBool, LitInt, LitStr, Path, Token, bracketed};

const ARGUMENTS: &str = "`origins`, `origins_env`, `credentials`, `allow_insecure_http`, `methods`, \
     `headers`, `expose_headers`, `max_age`, `preflight`, `crate`";

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
    pub(crate) credentials: Flag,
    pub(crate) allow_insecure_http: Flag,
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
                    return Err(meta.error(format!("unknown argument; expected one of {ARGUMENTS}")));
                }
            }
        };
        match name.as_str() {
            "origins" => set_once(&mut self.origins, meta, &name, parse_origins),
            "origins_env" => set_once(&mut self.origins_env, meta, &name, |meta| {
                let lit: LitStr = meta.value()?.parse()?;
                check_env_name(&lit)?;
                Ok(lit)
            }),
            "credentials" => set_flag(&mut self.credentials, meta, &name),
            "allow_insecure_http" => set_flag(&mut self.allow_insecure_http, meta, &name),
            "methods" => set_once(&mut self.methods, meta, &name, |m| parse_list(m.value()?)),
            "headers" => set_once(&mut self.headers, meta, &name, |m| parse_list(m.value()?)),
            "expose_headers" => set_once(&mut self.expose_headers, meta, &name, |m| {
                parse_list(m.value()?)
            }),
            "max_age" => set_once(&mut self.max_age, meta, &name, |m| m.value()?.parse()),
            "preflight" => set_once(&mut self.preflight, meta, &name, |m| m.value()?.parse()),
            "crate" => set_once(&mut self.krate, meta, &name, |meta| {
                let lit: LitStr = meta.value()?.parse()?;
                lit.parse::<Path>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` takes a path, like `crate = \"::cors\"`",
                    )
                })
            }),
            other => Err(meta.error(format!(
                "unknown argument `{other}`; expected one of {ARGUMENTS}"
            ))),
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
    parse_list(value).map(Origins::List)
}

fn parse_list(input: ParseStream<'_>) -> syn::Result<StrList> {
    if !input.peek(syn::token::Bracket) {
        return Err(input.error("expected a list of string literals, like `[\"a\", \"b\"]`"));
    }
    let content;
    let brackets = bracketed!(content in input);
    let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(StrList {
        span: brackets.span.join(),
        items: items.into_iter().collect(),
    })
}

fn check_env_name(lit: &LitStr) -> syn::Result<()> {
    let name = lit.value();
    let valid = !name.is_empty()
        && !name.as_bytes()[0].is_ascii_digit()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(syn::Error::new(
            lit.span(),
            "`origins_env` takes the name of an environment variable, like `\"ALLOWED_ORIGINS\"`",
        ))
    }
}
