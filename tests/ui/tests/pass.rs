//! Every handler shape `#[cors]` accepts compiles (`tests/pass/*.rs`): each file is a module of
//! this test crate, and its `main` (futures built, never polled: serving needs the Lambda
//! runtime API) runs in one test.
//!
//! These used to be trybuild pass cases, each built and linked as a binary of its own; as
//! modules they compile in one crate, and trybuild (`tests/ui.rs`) only checks the cases that
//! must not compile, which needs no code generation at all. Two cases are about paths from the
//! crate root (`crate::...`) and stay crates of their own: `[[test]]` targets in `Cargo.toml`,
//! run as tests too.

use std::collections::BTreeSet;

/// The cases that are crates of their own (`[[test]]` targets with `harness = false`).
const OWN_CRATES: [&str; 2] = ["crate-renamed.rs", "origins-fn.rs"];

macro_rules! shapes {
    ($($module:ident: $file:literal,)*) => {
        $(
            #[path = $file]
            mod $module;
        )*

        /// The files compiled as modules here.
        const MODULES: &[&str] = &[$($file),*];

        #[test]
        fn every_accepted_shape_compiles_and_its_main_runs() {
            $($module::main();)*
        }
    };
}

shapes! {
    allow_insecure_http: "pass/allow-insecure-http.rs",
    attributes_and_visibility_kept: "pass/attributes-and-visibility-kept.rs",
    catch_errors: "pass/catch-errors.rs",
    concrete_ok_types: "pass/concrete-ok-types.rs",
    deep_and_port_patterns: "pass/deep-and-port-patterns.rs",
    every_option: "pass/every-option.rs",
    generic_handler: "pass/generic-handler.rs",
    impl_into_response: "pass/impl-into-response.rs",
    io_result: "pass/io-result.rs",
    layer_around_a_service: "pass/layer-around-a-service.rs",
    loopback_http_with_credentials: "pass/loopback-http-with-credentials.rs",
    plain_http_without_credentials: "pass/plain-http-without-credentials.rs",
    preflight_false: "pass/preflight-false.rs",
    request_parameter_forms: "pass/request-parameter-forms.rs",
    request_type_aliases: "pass/request-type-aliases.rs",
    response_body: "pass/response-body.rs",
    result_alias: "pass/result-alias.rs",
    run_concurrent: "pass/run-concurrent.rs",
    shared_state: "pass/shared-state.rs",
    streaming_handler: "pass/streaming-handler.rs",
    streaming_without_preflight: "pass/streaming-without-preflight.rs",
    subdomain_pattern: "pass/subdomain-pattern.rs",
    tracing_instrument: "pass/tracing-instrument.rs",
}

#[test]
fn every_pass_case_is_compiled_here_or_as_a_crate_of_its_own() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pass");
    let found: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("tests/pass")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".rs"))
        .collect();
    let manifest = include_str!("../Cargo.toml");
    let mut covered: BTreeSet<String> = MODULES
        .iter()
        .map(|file| file.trim_start_matches("pass/").to_owned())
        .collect();
    for file in OWN_CRATES {
        assert!(
            manifest.contains(&format!("path = \"tests/pass/{file}\"")),
            "tests/pass/{file} is not a [[test]] target in Cargo.toml"
        );
        covered.insert(file.to_owned());
    }
    assert_eq!(
        found, covered,
        "add the new case to shapes! above, or to OWN_CRATES"
    );
}
