//! What the outer function of a wrapped handler needs to capture the handler's lifetimes in
//! every edition: elided lifetimes given names, a capture bound, and the handler's own generic
//! arguments for the call.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{GenericArgument, GenericParam, Ident, Lifetime, PathArguments, Type, TypeParamBound};

/// The elided lifetimes of the parameters' types, given names (`'__cors_l0`, …).
#[derive(Default)]
pub(super) struct Elided {
    pub(super) named: Vec<Lifetime>,
    /// Whether a parameter's type is `impl Trait` (its type parameter has no name to pass).
    pub(super) apit: bool,
}

impl Elided {
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__cors_l{}", self.named.len()), Span::call_site());
        self.named.push(lifetime.clone());
        lifetime
    }

    fn name_lifetime(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        }
    }

    pub(super) fn name_in(&mut self, ty: &mut Type) {
        match ty {
            Type::Reference(reference) => {
                match &mut reference.lifetime {
                    Some(lifetime) => self.name_lifetime(lifetime),
                    None => reference.lifetime = Some(self.fresh()),
                }
                self.name_in(&mut reference.elem);
            }
            Type::Path(path) => {
                if let Some(qself) = &mut path.qself {
                    self.name_in(&mut qself.ty);
                }
                for segment in &mut path.path.segments {
                    if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
                        for arg in &mut args.args {
                            match arg {
                                GenericArgument::Lifetime(lifetime) => {
                                    self.name_lifetime(lifetime);
                                }
                                GenericArgument::Type(ty) => self.name_in(ty),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(|ty| self.name_in(ty)),
            Type::Array(array) => self.name_in(&mut array.elem),
            Type::Slice(slice) => self.name_in(&mut slice.elem),
            Type::Ptr(ptr) => self.name_in(&mut ptr.elem),
            Type::Paren(paren) => self.name_in(&mut paren.elem),
            Type::Group(group) => self.name_in(&mut group.elem),
            Type::TraitObject(object) => {
                for bound in &mut object.bounds {
                    if let TypeParamBound::Lifetime(lifetime) = bound {
                        self.name_lifetime(lifetime);
                    }
                }
            }
            Type::ImplTrait(_) => self.apit = true,
            // A function pointer's lifetimes are its own (higher-ranked); anything else has none.
            _ => {}
        }
    }
}

/// `+ use<…>` naming every generic parameter, so that the outer function's `impl Future`
/// captures the parameters' lifetimes in every edition (edition 2021 does not capture
/// lifetimes by default). With an `impl Trait` parameter, which `use<…>` cannot name, the
/// lifetimes are captured with the `Captures` bound instead.
pub(super) fn capture_bound(
    krate: &syn::Path,
    generics: &syn::Generics,
    apit: bool,
) -> TokenStream {
    let lifetimes: Vec<&Lifetime> = generics.lifetimes().map(|param| &param.lifetime).collect();
    if apit {
        if lifetimes.is_empty() {
            return TokenStream::new();
        }
        return quote!(+ #krate::__private::Captures<(#(&#lifetimes (),)*)>);
    }
    let params = generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(param) => {
            let lifetime = &param.lifetime;
            quote!(#lifetime)
        }
        GenericParam::Type(param) => {
            let ident = &param.ident;
            quote!(#ident)
        }
        GenericParam::Const(param) => {
            let ident = &param.ident;
            quote!(#ident)
        }
    });
    quote!(+ use<#(#params),*>)
}

/// `::<T, N>` for the handler's own type and const parameters, when it has any (and no
/// `impl Trait` parameter, which forbids them).
pub(super) fn turbofish(generics: &syn::Generics, apit: bool) -> TokenStream {
    let params: Vec<&Ident> = generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(&param.ident),
            GenericParam::Const(param) => Some(&param.ident),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    if params.is_empty() || apit {
        TokenStream::new()
    } else {
        quote!(::<#(#params),*>)
    }
}
