//! `cors_layer!(...)` and `#[cors(...)]` are one policy checker: over every case of the UI
//! suite (`tests/ui/tests/{fail,pass}/*.rs`), the layer reports exactly the attribute's policy
//! errors, with the same messages at the same line and column, and nothing else but its own
//! refusal of the handler-only arguments.

use std::path::PathBuf;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::arguments::FrontEnd;
use crate::{parse, validate};

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
            let from_attribute = reported(crate::attribute(arguments.clone(), item.clone()));
            let about_the_handler = match parse::handler(item).and_then(validate::handler) {
                Ok(_) => Vec::new(),
                Err(error) => reported(error.to_compile_error()),
            };
            // The layer lists the arguments it takes, which are the attribute's but two.
            let (attribute_list, layer_list) = (
                parse::accepted(FrontEnd::Attribute),
                parse::accepted(FrontEnd::Layer),
            );
            let mut expected: Vec<Reported> = from_attribute
                .into_iter()
                .filter(|error| !about_the_handler.contains(error))
                .map(|(message, at)| (message.replace(&attribute_list, &layer_list), at))
                .collect();
            let from_layer = reported(crate::layer(arguments.clone()));
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
        reported(crate::layer(arguments)),
        reported(crate::layer(other))
    );
}

#[test]
fn without_the_lambda_feature_the_attribute_is_one_error_beside_the_item_as_written() {
    let item: TokenStream = "#[doc = \"reads a note\"] pub async fn handler(event: Request) \
         -> Result<Response<Body>, Error> { Ok(Response::new(Body::from(event.uri().path()))) }"
        .parse()
        .unwrap();
    let expanded = crate::expand::without_lambda(item.clone());
    let errors = reported(expanded.clone());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = &errors[0].0;
    for needed in [
        "`#[cors]`",
        "`lambda` feature",
        "`default-features = false`",
        "`features = [\"lambda\"]`",
        "`cors_layer!`",
    ] {
        assert!(message.contains(needed), "{needed} is not in: {message}");
    }
    // The function as written follows the error, so that it is the only one.
    let expanded = expanded.to_string();
    assert!(expanded.ends_with(&item.to_string()), "{expanded}");
    assert!(
        expanded.starts_with(":: core :: compile_error !"),
        "{expanded}"
    );
}

#[test]
fn the_layer_lists_and_suggests_only_the_arguments_it_takes() {
    let layer = parse::accepted(FrontEnd::Layer);
    let attribute = parse::accepted(FrontEnd::Attribute);
    for handler_only in ["`catch_errors`", "`streaming`"] {
        assert!(attribute.contains(handler_only));
        assert!(!layer.contains(handler_only), "{layer}");
    }
    assert!(layer.contains("`origins_fn`") && layer.contains("`crate`"));
    let catch_error: TokenStream = "origins = \"*\", catch_error".parse().unwrap();
    let [(message, _)] = &reported(crate::layer(catch_error))[..] else {
        panic!("one error expected")
    };
    assert!(message.starts_with("unknown argument `catch_error`; expected one of"));
    assert!(!message.contains("catch_errors"), "{message}");
}

#[test]
fn a_mistake_in_one_argument_hides_no_other() {
    // An unknown argument, a malformed value and a broken rule: each reported, none hiding
    // another, and no "no origins" about the argument that could not be read.
    let arguments: TokenStream =
        "origins = ORIGINS, credentails, methods = [\"get\"], max_age = 90000"
            .parse()
            .unwrap();
    let messages: Vec<String> = reported(crate::layer(arguments))
        .into_iter()
        .map(|(message, _)| message)
        .collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    for expected in [
        "`origins` is checked at compile time",
        "unknown argument `credentails`: did you mean `credentials`?",
        "method `get`",
        "`max_age = 90000`",
    ] {
        assert!(
            messages.iter().any(|message| message.contains(expected)),
            "{expected}: {messages:#?}"
        );
    }
}
