//! `cors_layer!(...)` and `#[cors(...)]` are one policy checker: over every case of the UI
//! suite (`tests/ui/tests/{fail,pass}/*.rs`), the layer reports exactly the attribute's policy
//! errors, with the same messages at the same line and column, and nothing else but its own
//! refusal of the handler-only arguments.

use std::path::PathBuf;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::handler::{self, Annotated};

/// An error in an expansion: its message, and where it points (line, column).
type Reported = (String, (usize, usize));

fn cases() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/tests");
    let mut cases = Vec::new();
    for dir in ["fail", "pass"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("the UI cases") {
            let path = entry.expect("a UI case").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
                cases.push((
                    name,
                    std::fs::read_to_string(&path).expect("a readable case"),
                ));
            }
        }
    }
    cases.sort();
    cases
}

/// Every `compile_error!` in `tokens`, with the position of its message.
fn reported(tokens: TokenStream) -> Vec<Reported> {
    let mut found = Vec::new();
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                let Some(TokenTree::Group(group)) = trees.get(i + 2) else {
                    continue;
                };
                let literal: syn::LitStr = syn::parse2(group.stream()).expect("a message");
                let start = ident.span().start();
                found.push((literal.value(), (start.line, start.column)));
            }
            TokenTree::Group(group) => found.extend(reported(group.stream())),
            _ => {}
        }
    }
    found.sort();
    found
}

/// Every `#[cors(...)]` in `source` (a UI case): its arguments, and the item under it.
fn attributes(source: &str) -> Vec<(TokenStream, TokenStream)> {
    let file = syn::parse_file(source).expect("a UI case parses");
    let mut found = Vec::new();
    collect(file.items, &mut found);
    found
}

fn collect(items: Vec<syn::Item>, found: &mut Vec<(TokenStream, TokenStream)>) {
    for item in items {
        match item {
            syn::Item::Fn(mut f) => {
                if let Some(arguments) = take_cors(&mut f.attrs) {
                    found.push((arguments, f.to_token_stream()));
                }
            }
            syn::Item::Struct(mut s) => {
                if let Some(arguments) = take_cors(&mut s.attrs) {
                    found.push((arguments, s.to_token_stream()));
                }
            }
            syn::Item::Mod(m) => {
                collect(m.content.map(|(_, items)| items).unwrap_or_default(), found)
            }
            syn::Item::Impl(i) => {
                for inner in i.items {
                    if let syn::ImplItem::Fn(mut f) = inner {
                        if let Some(arguments) = take_cors(&mut f.attrs) {
                            found.push((arguments, f.to_token_stream()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Removes the `#[cors(...)]` (or `#[path::to::cors(...)]`) attribute, returning its arguments.
fn take_cors(attrs: &mut Vec<syn::Attribute>) -> Option<TokenStream> {
    let is_cors = |attr: &syn::Attribute| {
        attr.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "cors")
    };
    let index = attrs.iter().position(is_cors)?;
    let attr = attrs.remove(index);
    Some(match attr.meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    })
}

#[test]
fn the_layer_reports_the_attributes_policy_errors_at_the_same_tokens() {
    let (mut compared, mut with_errors) = (0, 0);
    for (name, source) in cases() {
        let found = attributes(&source);
        // The layer's own twins (`layer-*.rs`) have no attribute to compare with.
        if name.contains("/layer-") {
            continue;
        }
        assert!(!found.is_empty(), "{name}: no #[cors] attribute found");
        for (arguments, item) in found {
            let from_attribute = reported(crate::cors_impl(arguments.clone(), item.clone()));
            let about_the_handler = match syn::parse2::<Annotated>(item).and_then(handler::check) {
                Ok(_) => Vec::new(),
                Err(error) => reported(error.to_compile_error()),
            };
            let mut expected: Vec<Reported> = from_attribute
                .into_iter()
                .filter(|error| !about_the_handler.contains(error))
                .collect();
            let from_layer = reported(crate::layer::cors_layer_impl(arguments.clone()));
            // The handler-only flags are the layer's own errors, at the flag.
            for flag in ["streaming", "catch_errors"] {
                let written = arguments.clone().into_iter().find_map(|tree| match tree {
                    TokenTree::Ident(ident) if ident == flag => Some(ident.span().start()),
                    _ => None,
                });
                if let Some(at) = written {
                    let own = from_layer
                        .iter()
                        .find(|(message, _)| {
                            message.starts_with(&format!("`{flag}` is an argument"))
                        })
                        .unwrap_or_else(|| panic!("{name}: no error for `{flag}` from the layer"));
                    assert_eq!(
                        own.1,
                        (at.line, at.column),
                        "{name}: `{flag}` error position"
                    );
                    expected.push(own.clone());
                }
            }
            expected.sort();
            assert_eq!(from_layer, expected, "{name}");
            compared += 1;
            with_errors += usize::from(!expected.is_empty());
        }
    }
    // Every case of the suite was compared, and most of them report something.
    assert!(compared >= 100, "only {compared} UI cases found");
    assert!(
        with_errors >= 60,
        "only {with_errors} cases with policy errors"
    );
}

#[test]
fn the_comparison_sees_a_difference() {
    // The control: an argument list the layer reads differently must fail the comparison.
    let arguments: TokenStream = "origins = [\"https://app.example.com/\"]".parse().unwrap();
    let other: TokenStream = "origins = [\"https://app.example.com\"]".parse().unwrap();
    assert_ne!(
        reported(crate::layer::cors_layer_impl(arguments)),
        reported(crate::layer::cors_layer_impl(other))
    );
}
