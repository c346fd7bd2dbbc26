//! Parsing the item under `#[cors]` as a function; any other item is an error at its keyword.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Item, ItemFn};

/// The item under `#[cors]`, as a function.
pub(crate) fn handler(item: TokenStream) -> syn::Result<ItemFn> {
    syn::parse2::<Annotated>(item).map(|Annotated(item)| item)
}

/// The shape `#[cors]` takes, for the messages about any other.
pub(crate) const SHAPE: &str = "`#[cors]` goes on a `lambda_http` handler: \
     `async fn handler(event: Request) -> Result<impl IntoResponse, Error>`";

/// The item under `#[cors]`, parsed as a function; any other item is an error at its keyword.
struct Annotated(ItemFn);

impl Parse for Annotated {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let fork = input.fork();
        let error = match input.parse() {
            Ok(item) => return Ok(Annotated(item)),
            Err(error) => error,
        };
        let (what, span) = match fork.parse() {
            Ok(Item::Struct(item)) => ("a struct", item.struct_token.span),
            Ok(Item::Enum(item)) => ("an enum", item.enum_token.span),
            Ok(Item::Union(item)) => ("a union", item.union_token.span),
            Ok(Item::Impl(item)) => ("an `impl` block", item.impl_token.span),
            Ok(Item::Trait(item)) => ("a trait", item.trait_token.span),
            Ok(Item::Mod(item)) => ("a module", item.mod_token.span),
            Ok(Item::Const(item)) => ("a constant", item.const_token.span),
            Ok(Item::Static(item)) => ("a static", item.static_token.span),
            Ok(Item::Type(item)) => ("a type alias", item.type_token.span),
            Ok(Item::Use(item)) => ("a `use` declaration", item.use_token.span),
            Ok(Item::Macro(item)) => ("a macro", item.mac.path.span()),
            // A function with a syntax error, or something else entirely: syn's error says where.
            _ => return Err(error),
        };
        Err(syn::Error::new(
            span,
            format!("`#[cors]` cannot go on {what}; {SHAPE}"),
        ))
    }
}
