//! `cors_layer!(...)`: an expression that evaluates to a `CorsLayer` backed by the registered
//! `static` policy it declares.

use proc_macro2::TokenStream;
use quote::quote;

use crate::arguments::Args;

/// The layer of checked arguments, or the errors alone.
pub(crate) fn layer(args: syn::Result<Args>) -> TokenStream {
    let args = match args {
        Ok(args) => args,
        Err(errors) => {
            let errors = errors.to_compile_error();
            // `!` takes the place of the layer, so the errors above are the only ones.
            return quote!({ #errors ::core::unreachable!() });
        }
    };
    let krate = args.krate();
    let policy = super::registered_policy(
        &args,
        &quote!(#krate::__private::layer_source(
            ::core::file!(),
            ::core::line!()
        )),
    );
    quote! {{
        #policy
        #krate::__private::layer(&__CORS_POLICY)
    }}
}
