//! The deployment templates in `examples/deploy/` cannot be applied here (no AWS access), so
//! these tests hold them to the facts that make CORS work once deployed:
//!
//! - Terraform (`examples/deploy/terraform/*.tf`, parsed with `hcl-rs`): the functions are
//!   `provided.al2023` on arm64 with `bootstrap`, from the zips `cargo lambda build` writes, of
//!   example binaries that read `ALLOWED_ORIGINS`; `ALLOWED_ORIGINS` is the CloudFront
//!   frontend's `https://` origin; every route reaches the function through a Lambda proxy; REST
//!   API gateway responses carry the frontend's origin, and the deployment follows them.
//! - SAM (`examples/deploy/sam/template.yaml`): `cfn-lint` finds no error and no warning (it
//!   also runs the SAM transform), and the parsed YAML states the same facts.
//!
//! What CORS in front of the functions needs (no gateway or Function URL CORS setting,
//! preflights routed and unauthorized, gateway responses never reflecting `Origin`, `Origin` in
//! CloudFront's cache key) is `cors-lint`'s to check: `cors-lint/tests/it/examples.rs` runs it
//! on both templates, and on broken copies of them.
//!
//! `cfn-lint` (PyPI package `cfn-lint`, 1.51 or later 1.x) is taken from `PATH` when it runs
//! there, otherwise installed into `target/tools-venv` (`cors_dev::tools`); if that fails, the
//! test fails with the command to run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cors_dev::tools::{self, Tool};
use cors_dev::workspace::workspace_root;
use hcl::{Block, Body, Expression};
use serde_norway::Value as Yaml;

/// What every function's `ALLOWED_ORIGINS` must contain: the CloudFront frontend, over https.
const TF_FRONTEND_ORIGIN: &str = "https://${aws_cloudfront_distribution.frontend.domain_name}";
const SAM_FRONTEND_ORIGIN: &str = "https://${FrontendDistribution.DomainName}";

/// Warnings of cfn-lint the SAM template may have, each with the reason it is acceptable.
/// None today: a new warning fails the test until it is fixed or justified here.
const ACCEPTED_CFN_LINT_WARNINGS: &[(&str, &str)] = &[];

fn deploy_dir() -> PathBuf {
    workspace_root().join("examples/deploy")
}

// ---------------------------------------------------------------------------------------------
// Terraform
// ---------------------------------------------------------------------------------------------

/// A `resource "TYPE" "NAME" { … }` block and the file it came from.
struct Resource {
    kind: String,
    name: String,
    file: String,
    body: Body,
}

impl Resource {
    fn address(&self) -> String {
        format!("{}.{} ({})", self.kind, self.name, self.file)
    }
}

/// Every `.tf` file of `examples/deploy/terraform`, parsed.
struct Terraform {
    dir: PathBuf,
    resources: Vec<Resource>,
    data: Vec<Resource>,
    locals: BTreeMap<String, Expression>,
    variables: BTreeMap<String, Body>,
    /// Top-level `terraform { … }` blocks.
    settings: Vec<Body>,
}

impl Terraform {
    fn load() -> Terraform {
        let dir = deploy_dir().join("terraform");
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "tf"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no .tf file in {}", dir.display());

        let mut tf = Terraform {
            dir,
            resources: Vec::new(),
            data: Vec::new(),
            locals: BTreeMap::new(),
            variables: BTreeMap::new(),
            settings: Vec::new(),
        };
        for path in files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).expect("readable .tf file");
            let body = hcl::parse(&text).unwrap_or_else(|e| panic!("{file} is not valid HCL: {e}"));
            for block in body.blocks() {
                let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
                match (block.identifier(), labels.as_slice()) {
                    ("resource", [kind, name]) | ("data", [kind, name]) => {
                        let resource = Resource {
                            kind: (*kind).to_owned(),
                            name: (*name).to_owned(),
                            file: file.clone(),
                            body: block.body().clone(),
                        };
                        if block.identifier() == "resource" {
                            tf.resources.push(resource);
                        } else {
                            tf.data.push(resource);
                        }
                    }
                    ("locals", []) => {
                        for attr in block.body().attributes() {
                            let previous =
                                tf.locals.insert(attr.key().to_owned(), attr.expr().clone());
                            assert!(previous.is_none(), "local.{} defined twice", attr.key());
                        }
                    }
                    ("variable", [name]) => {
                        tf.variables
                            .insert((*name).to_owned(), block.body().clone());
                    }
                    ("terraform", []) => tf.settings.push(block.body().clone()),
                    ("provider" | "output", _) => {}
                    (other, _) => panic!("{file}: unexpected top-level block `{other}`"),
                }
            }
        }
        tf
    }

    fn resources<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    fn resource(&self, kind: &str, name: &str) -> &Resource {
        self.resources
            .iter()
            .find(|r| r.kind == kind && r.name == name)
            .unwrap_or_else(|| panic!("no resource {kind}.{name}"))
    }

    /// An expression as HCL text, with every `local.NAME` replaced by its definition (in
    /// parentheses), so that facts hold however the configuration names its intermediate values.
    fn expand(&self, expr: &Expression) -> String {
        let mut text = expr.to_string();
        for _ in 0..16 {
            let mut replaced = false;
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(at) = rest.find("local.") {
                let preceded_by_ident = rest[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                let after = &rest[at + "local.".len()..];
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(after.len());
                let name = &after[..len];
                out.push_str(&rest[..at]);
                match self.locals.get(name) {
                    Some(definition) if !preceded_by_ident => {
                        out.push('(');
                        out.push_str(&definition.to_string());
                        out.push(')');
                        replaced = true;
                    }
                    Some(_) => out.push_str(&rest[at..at + "local.".len() + len]),
                    None => panic!("local.{name} is used but not defined"),
                }
                rest = &after[len..];
            }
            out.push_str(rest);
            text = out;
            if !replaced {
                return text;
            }
        }
        panic!("locals nest too deep (a cycle?): {text}")
    }

    /// The literal default of `variable "NAME"`.
    fn variable_default(&self, name: &str) -> Option<String> {
        let body = self.variables.get(name)?;
        match attr(body, "default")? {
            Expression::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

fn blocks<'a>(body: &'a Body, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.blocks().filter(move |b| b.identifier() == ident)
}

/// An attribute that must be a plain string literal.
fn string_attr(resource: &Resource, key: &str) -> String {
    match attr(&resource.body, key) {
        Some(Expression::String(s)) => s.clone(),
        other => panic!("{}: `{key}` is {other:?}, not a string", resource.address()),
    }
}

/// The quoted string literals inside HCL text (`"a"`, `"b"` of `["a", "b"]`), without
/// interpolations.
fn quoted_literals(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.contains("${"))
        .map(str::to_owned)
        .collect()
}

/// Asserts that `examples/src/bin/<bin>.rs` exists and reads its origins from
/// `ALLOWED_ORIGINS`, so the environment variable the templates set is the one it uses.
fn assert_example_reads_allowed_origins(bin: &str, template: &str) {
    let source = workspace_root().join(format!("examples/src/bin/{bin}.rs"));
    let text = fs::read_to_string(&source).unwrap_or_else(|e| {
        panic!(
            "{template} deploys the binary `{bin}`, but {}: {e}",
            source.display()
        )
    });
    assert!(
        text.contains("origins_env = \"ALLOWED_ORIGINS\""),
        "{template} sets ALLOWED_ORIGINS for `{bin}`, but {} does not read it",
        source.display()
    );
}

#[test]
fn terraform_pins_an_aws_provider_that_creates_working_public_function_urls() {
    let tf = Terraform::load();
    let aws = tf
        .settings
        .iter()
        .flat_map(|body| blocks(body, "required_providers"))
        .find_map(|block| attr(block.body(), "aws"))
        .expect("terraform { required_providers { aws = … } }");
    let Expression::Object(aws) = aws else {
        panic!("required_providers.aws is not an object: {aws}");
    };
    let field = |name: &str| {
        aws.iter()
            .find(|(key, _)| key.to_string().trim_matches('"') == name)
            .map(|(_, value)| value.to_string().trim_matches('"').to_owned())
    };
    assert_eq!(field("source").as_deref(), Some("hashicorp/aws"));
    let version = field("version").expect("an AWS provider version constraint");
    // `aws_lambda_function_url` adds the `lambda:InvokeFunction` statement a public Function
    // URL needs since October 2025 only from 6.28.0 on.
    let rest = version
        .strip_prefix("~> 6.")
        .unwrap_or_else(|| panic!("AWS provider `{version}`: expected `~> 6.N` with N >= 28"));
    let minor: u32 = rest
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("AWS provider `{version}`: unreadable minor version"));
    assert!(
        minor >= 28,
        "AWS provider `{version}`: below 6.28 a public Function URL lacks `lambda:InvokeFunction`"
    );
}

#[test]
fn terraform_functions_are_arm64_al2023_from_cargo_lambda_zips() {
    let tf = Terraform::load();
    let functions: Vec<&Resource> = tf.resources("aws_lambda_function").collect();
    assert!(
        functions.len() >= 2,
        "expected the API function and the streaming function, found {}",
        functions.len()
    );

    // `${path.module}/../../..` must be the workspace root, where `cargo lambda build` writes
    // target/lambda/<bin>/bootstrap.zip.
    let root = tf
        .dir
        .join("../../..")
        .canonicalize()
        .expect("workspace root");
    assert_eq!(root, workspace_root().canonicalize().unwrap());

    let api_bin_choices: Vec<String> = {
        let body = tf.variables.get("api_bin").expect("variable \"api_bin\"");
        let condition = blocks(body, "validation")
            .find_map(|v| attr(v.body(), "condition"))
            .expect("api_bin has a validation condition");
        let mut bins = quoted_literals(&condition.to_string());
        bins.extend(tf.variable_default("api_bin"));
        bins
    };

    for function in functions {
        let at = function.address();
        assert_eq!(string_attr(function, "runtime"), "provided.al2023", "{at}");
        assert_eq!(string_attr(function, "handler"), "bootstrap", "{at}");
        let architectures = attr(&function.body, "architectures")
            .unwrap_or_else(|| panic!("{at}: no architectures (the default is x86_64)"));
        assert_eq!(
            architectures,
            &Expression::Array(vec![Expression::String("arm64".into())]),
            "{at}"
        );

        let filename = tf.expand(attr(&function.body, "filename").expect("filename"));
        assert!(
            filename.contains("${path.module}/../../../target/lambda")
                && filename.ends_with("/bootstrap.zip\""),
            "{at}: filename {filename} is not target/lambda/<bin>/bootstrap.zip"
        );
        let hash = attr(&function.body, "source_code_hash")
            .map(|e| tf.expand(e))
            .unwrap_or_default();
        assert!(
            hash.starts_with("filebase64sha256(") && hash.contains("/bootstrap.zip"),
            "{at}: source_code_hash {hash:?} does not follow the zip (a new build would not deploy)"
        );

        let bins = if filename.contains("${var.api_bin}") {
            api_bin_choices.clone()
        } else {
            let path = filename.trim_end_matches("/bootstrap.zip\"");
            vec![path.rsplit('/').next().unwrap().to_owned()]
        };
        assert!(!bins.is_empty(), "{at}: no binary found in {filename}");
        for bin in &bins {
            assert_example_reads_allowed_origins(bin, &at);
        }
    }
}

#[test]
fn terraform_allowed_origins_is_the_cloudfront_frontend_over_https() {
    let tf = Terraform::load();
    for function in tf.resources("aws_lambda_function") {
        let at = function.address();
        let variables = blocks(&function.body, "environment")
            .find_map(|env| attr(env.body(), "variables"))
            .unwrap_or_else(|| panic!("{at}: no environment variables"));
        let Expression::Object(variables) = variables else {
            panic!("{at}: environment.variables is not an object");
        };
        let allowed = variables
            .iter()
            .find(|(key, _)| key.to_string().trim_matches('"') == "ALLOWED_ORIGINS")
            .map(|(_, value)| tf.expand(value))
            .unwrap_or_else(|| panic!("{at}: no ALLOWED_ORIGINS"));
        assert!(
            allowed.contains(&format!("\"{TF_FRONTEND_ORIGIN}\"")),
            "{at}: ALLOWED_ORIGINS = {allowed} does not contain {TF_FRONTEND_ORIGIN}"
        );
        // A plain-http S3 website endpoint (`http://${…website_endpoint}`) as the frontend's
        // origin is refused with credentials.
        assert!(
            !allowed.contains("http://") && !allowed.contains("website_endpoint"),
            "{at}: ALLOWED_ORIGINS = {allowed} has a plain-http origin"
        );
        // Entries are separated by spaces, the only separator besides commas.
        assert!(
            allowed.starts_with("(join(\" \", ")
                || allowed == format!("(\"{TF_FRONTEND_ORIGIN}\")"),
            "{at}: ALLOWED_ORIGINS = {allowed}: expected the frontend origin, joined with spaces"
        );
    }

    // The page is served over https by CloudFront, not by an S3 website endpoint.
    assert_eq!(
        tf.resources("aws_s3_bucket_website_configuration").count(),
        0
    );
    let frontend = tf.resource("aws_cloudfront_distribution", "frontend");
    for behavior in blocks(&frontend.body, "default_cache_behavior") {
        let policy = attr(behavior.body(), "viewer_protocol_policy").map(ToString::to_string);
        assert!(
            matches!(
                policy.as_deref(),
                Some("\"redirect-to-https\"" | "\"https-only\"")
            ),
            "frontend viewer_protocol_policy {policy:?}"
        );
    }

    // Extra origins are checked before they reach the function.
    let extra = tf
        .variables
        .get("extra_allowed_origins")
        .expect("variable \"extra_allowed_origins\"");
    assert!(
        blocks(extra, "validation").count() > 0,
        "extra_allowed_origins has no validation"
    );
}

#[test]
fn terraform_routes_everything_to_the_function() {
    let tf = Terraform::load();

    let urls: Vec<&Resource> = tf.resources("aws_lambda_function_url").collect();
    assert!(!urls.is_empty(), "no aws_lambda_function_url");
    for url in &urls {
        assert_eq!(
            string_attr(url, "authorization_type"),
            "NONE",
            "{}",
            url.address()
        );
    }
    let streaming: Vec<&&Resource> = urls
        .iter()
        .filter(|url| {
            attr(&url.body, "invoke_mode").map(ToString::to_string)
                == Some("\"RESPONSE_STREAM\"".into())
        })
        .collect();
    assert_eq!(streaming.len(), 1, "one streaming Function URL");
    let target = attr(&streaming[0].body, "function_name")
        .unwrap()
        .to_string();
    let function = target
        .strip_prefix("aws_lambda_function.")
        .and_then(|t| t.strip_suffix(".function_name"))
        .unwrap_or_else(|| panic!("streaming URL's function_name {target}"));
    let filename = tf.expand(
        attr(
            &tf.resource("aws_lambda_function", function).body,
            "filename",
        )
        .unwrap(),
    );
    assert!(
        filename.contains("/stream-api/"),
        "the streaming Function URL serves {filename}, not stream-api"
    );

    let http_apis: Vec<&Resource> = tf.resources("aws_apigatewayv2_api").collect();
    assert!(!http_apis.is_empty(), "no HTTP API");
    for api in http_apis {
        assert_eq!(string_attr(api, "protocol_type"), "HTTP");
    }
    for integration in tf.resources("aws_apigatewayv2_integration") {
        assert_eq!(string_attr(integration, "integration_type"), "AWS_PROXY");
        assert_eq!(string_attr(integration, "payload_format_version"), "2.0");
    }

    // REST API: Lambda proxy on `ANY /` and `ANY /{proxy+}`, and nothing that answers CORS in
    // API Gateway (OPTIONS mock methods are what "Enable CORS" creates).
    let proxy = tf
        .resources("aws_api_gateway_resource")
        .filter(|r| string_attr(r, "path_part") == "{proxy+}")
        .count();
    assert_eq!(proxy, 1, "one {{proxy+}} resource");
    let methods: Vec<&Resource> = tf.resources("aws_api_gateway_method").collect();
    assert!(methods.len() >= 2, "ANY on the root and on {{proxy+}}");
    assert!(
        methods
            .iter()
            .any(|m| attr(&m.body, "resource_id").map(ToString::to_string)
                == Some("aws_api_gateway_rest_api.api.root_resource_id".into())),
        "no method on the root resource"
    );
    for method in &methods {
        assert_eq!(
            string_attr(method, "http_method"),
            "ANY",
            "{}",
            method.address()
        );
    }
    for integration in tf.resources("aws_api_gateway_integration") {
        let at = integration.address();
        assert_eq!(string_attr(integration, "type"), "AWS_PROXY", "{at}");
        let uri = attr(&integration.body, "uri").unwrap().to_string();
        assert!(
            uri.starts_with("aws_lambda_function.") && uri.ends_with(".invoke_arn"),
            "{at}: uri {uri}"
        );
    }
    for kind in [
        "aws_api_gateway_integration_response",
        "aws_api_gateway_method_response",
    ] {
        assert_eq!(
            tf.resources(kind).count(),
            0,
            "{kind}: not with Lambda proxy"
        );
    }
}

#[test]
fn terraform_gateway_responses_carry_the_frontend_origin() {
    let tf = Terraform::load();
    let responses: Vec<&Resource> = tf.resources("aws_api_gateway_gateway_response").collect();
    assert!(!responses.is_empty(), "no aws_api_gateway_gateway_response");

    let mut types = String::new();
    for response in &responses {
        let at = response.address();
        types.push_str(
            &tf.expand(
                attr(&response.body, "for_each")
                    .or_else(|| attr(&response.body, "response_type"))
                    .unwrap(),
            ),
        );

        let parameters = attr(&response.body, "response_parameters")
            .unwrap_or_else(|| panic!("{at}: no response_parameters"));
        let Expression::Object(parameters) = parameters else {
            panic!("{at}: response_parameters is not an object");
        };
        let mut headers = BTreeMap::new();
        for (key, value) in parameters.iter() {
            let key = key.to_string().trim_matches('"').to_owned();
            let value = tf.expand(value);
            let header = key
                .strip_prefix("gatewayresponse.header.")
                .unwrap_or_else(|| panic!("{at}: unexpected parameter {key}"));
            headers.insert(header.to_ascii_lowercase(), value);
        }
        let origin = headers
            .get("access-control-allow-origin")
            .unwrap_or_else(|| panic!("{at}: no Access-Control-Allow-Origin"));
        // A static value in API Gateway's mapping syntax is in single quotes.
        assert!(
            origin.starts_with("\"'")
                && origin.ends_with("'\"")
                && origin.contains(TF_FRONTEND_ORIGIN),
            "{at}: Access-Control-Allow-Origin = {origin}: expected the frontend origin, quoted"
        );
        assert_eq!(
            headers.get("vary").map(String::as_str),
            Some("\"'Origin'\""),
            "{at}"
        );
        assert_eq!(
            headers
                .get("access-control-allow-credentials")
                .map(String::as_str),
            Some("\"'true'\""),
            "{at}: the page calls with credentials"
        );
    }
    assert!(
        types.contains("DEFAULT_4XX") && types.contains("DEFAULT_5XX"),
        "{types}"
    );

    // A REST API serves what was deployed: the deployment must follow the gateway responses.
    let deployment = tf
        .resources("aws_api_gateway_deployment")
        .next()
        .expect("aws_api_gateway_deployment");
    let triggers = attr(&deployment.body, "triggers")
        .map(ToString::to_string)
        .unwrap_or_default();
    for response in &responses {
        assert!(
            triggers.contains(&format!(
                "aws_api_gateway_gateway_response.{}",
                response.name
            )),
            "the deployment's triggers miss {}: changing it would not redeploy",
            response.address()
        );
    }
}

#[test]
fn terraform_uploads_files_that_exist() {
    let tf = Terraform::load();
    // Files the configuration uploads exist.
    for object in tf.resources("aws_s3_object") {
        if let Some(source) = attr(&object.body, "source") {
            let source = source.to_string();
            let relative = source
                .trim_matches('"')
                .strip_prefix("${path.module}/")
                .unwrap_or_else(|| panic!("{}: source {source}", object.address()));
            assert!(
                tf.dir.join(relative).is_file(),
                "{}: {relative} is missing",
                object.address()
            );
        }
    }
    assert!(tf.data.iter().all(|d| d.kind.starts_with("aws_")));
}

// ---------------------------------------------------------------------------------------------
// SAM
// ---------------------------------------------------------------------------------------------

fn sam_path() -> PathBuf {
    deploy_dir().join("sam/template.yaml")
}

fn sam() -> Yaml {
    let text = fs::read_to_string(sam_path()).expect("sam/template.yaml");
    serde_norway::from_str(&text).expect("sam/template.yaml is valid YAML")
}

/// The value under a chain of mapping keys.
fn at<'a>(value: &'a Yaml, path: &[&str]) -> Option<&'a Yaml> {
    path.iter().try_fold(value, |v, key| untag(v).get(*key))
}

fn untag(value: &Yaml) -> &Yaml {
    match value {
        Yaml::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

fn str_at<'a>(value: &'a Yaml, path: &[&str]) -> Option<&'a str> {
    at(value, path).and_then(|v| untag(v).as_str())
}

/// A compact rendering of a YAML value, tags included (`!Sub "https://…"`), for text checks.
fn render(value: &Yaml) -> String {
    match value {
        Yaml::Null => "null".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => format!("{s:?}"),
        Yaml::Sequence(items) => {
            let items: Vec<String> = items.iter().map(render).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Mapping(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", render(k), render(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Yaml::Tagged(tagged) => format!("{} {}", tagged.tag, render(&tagged.value)),
    }
}

fn sam_resources(doc: &Yaml) -> Vec<(String, &Yaml)> {
    let Some(Yaml::Mapping(resources)) = at(doc, &["Resources"]) else {
        panic!("no Resources");
    };
    resources
        .iter()
        .map(|(k, v)| (k.as_str().expect("resource name").to_owned(), v))
        .collect()
}

fn sam_resources_of<'a>(doc: &'a Yaml, kind: &str) -> Vec<(String, &'a Yaml)> {
    sam_resources(doc)
        .into_iter()
        .filter(|(_, r)| str_at(r, &["Type"]) == Some(kind))
        .collect()
}

#[test]
fn sam_template_is_transformed_by_sam() {
    assert_eq!(
        str_at(&sam(), &["Transform"]),
        Some("AWS::Serverless-2016-10-31")
    );
}

#[test]
fn sam_functions_are_arm64_al2023_built_by_cargo_lambda() {
    let doc = sam();
    let globals = at(&doc, &["Globals", "Function"]).expect("Globals.Function");
    let functions = sam_resources_of(&doc, "AWS::Serverless::Function");
    assert!(
        functions.len() >= 2,
        "the API function and the streaming function"
    );

    let root = sam_path().parent().unwrap().to_path_buf();
    for (name, function) in &functions {
        let property =
            |key: &str| at(function, &["Properties", key]).or_else(|| at(globals, &[key]));
        assert_eq!(
            property("Runtime").and_then(Yaml::as_str),
            Some("provided.al2023"),
            "{name}"
        );
        assert_eq!(
            property("Handler").and_then(Yaml::as_str),
            Some("bootstrap"),
            "{name}"
        );
        assert_eq!(
            property("Architectures").map(render).as_deref(),
            Some("[\"arm64\"]"),
            "{name}"
        );
        assert_eq!(
            str_at(function, &["Metadata", "BuildMethod"]),
            Some("rust-cargolambda"),
            "{name}"
        );
        let bin = str_at(function, &["Metadata", "BuildProperties", "Binary"])
            .unwrap_or_else(|| panic!("{name}: no Metadata.BuildProperties.Binary"));
        assert_example_reads_allowed_origins(bin, name);

        let code_uri = str_at(function, &["Properties", "CodeUri"])
            .unwrap_or_else(|| panic!("{name}: no CodeUri"));
        let code_dir = root.join(code_uri).canonicalize().expect("CodeUri exists");
        assert_eq!(
            code_dir,
            workspace_root().canonicalize().unwrap(),
            "{name}: CodeUri is not the workspace root"
        );
    }
}

#[test]
fn sam_allowed_origins_is_the_cloudfront_frontend_over_https() {
    let doc = sam();
    let functions = sam_resources_of(&doc, "AWS::Serverless::Function");
    for (name, function) in &functions {
        let value = at(
            function,
            &["Properties", "Environment", "Variables", "ALLOWED_ORIGINS"],
        )
        .or_else(|| {
            at(
                &doc,
                &[
                    "Globals",
                    "Function",
                    "Environment",
                    "Variables",
                    "ALLOWED_ORIGINS",
                ],
            )
        })
        .unwrap_or_else(|| panic!("{name}: no ALLOWED_ORIGINS"));
        let text = render(value);
        // Every branch (`!If`) starts with the frontend's https origin.
        let branches = text.matches("!Sub").count();
        let frontend = text.matches(&format!("\"{SAM_FRONTEND_ORIGIN}")).count();
        assert!(
            branches >= 1 && frontend == branches,
            "{name}: ALLOWED_ORIGINS = {text}: every value must start with {SAM_FRONTEND_ORIGIN}"
        );
        assert!(
            !text.contains("http://"),
            "{name}: ALLOWED_ORIGINS = {text}"
        );
    }
    // Extra origins are a constrained parameter.
    assert!(
        at(
            &doc,
            &["Parameters", "ExtraAllowedOrigins", "AllowedPattern"]
        )
        .is_some(),
        "ExtraAllowedOrigins has no AllowedPattern"
    );
    // The page is served over https by CloudFront.
    let (_, frontend) = sam_resources_of(&doc, "AWS::CloudFront::Distribution")
        .into_iter()
        .find(|(name, _)| name == "FrontendDistribution")
        .expect("FrontendDistribution");
    assert_eq!(
        str_at(
            frontend,
            &[
                "Properties",
                "DistributionConfig",
                "DefaultCacheBehavior",
                "ViewerProtocolPolicy"
            ]
        ),
        Some("redirect-to-https")
    );
    assert!(
        !render(&doc).contains("WebsiteConfiguration"),
        "an S3 website endpoint is plain http"
    );
}

#[test]
fn sam_apis_and_function_urls_route_everything_to_the_function() {
    let doc = sam();
    let functions = sam_resources_of(&doc, "AWS::Serverless::Function");
    let mut rest_paths = Vec::new();
    let mut http_routes = 0;
    let mut streaming = 0;
    for (name, function) in &functions {
        let url = at(function, &["Properties", "FunctionUrlConfig"])
            .unwrap_or_else(|| panic!("{name}: no FunctionUrlConfig"));
        assert_eq!(str_at(url, &["AuthType"]), Some("NONE"), "{name}");
        if str_at(url, &["InvokeMode"]) == Some("RESPONSE_STREAM") {
            streaming += 1;
            assert_eq!(
                str_at(function, &["Metadata", "BuildProperties", "Binary"]),
                Some("stream-api"),
                "{name}: a streaming URL for a buffered handler"
            );
        }
        let Some(Yaml::Mapping(events)) = at(function, &["Properties", "Events"]) else {
            continue;
        };
        for (event, spec) in events {
            let event = event.as_str().unwrap();
            match str_at(spec, &["Type"]) {
                Some("Api") => {
                    assert_eq!(
                        str_at(spec, &["Properties", "Method"]),
                        Some("ANY"),
                        "{event}"
                    );
                    assert_eq!(
                        at(spec, &["Properties", "RestApiId"])
                            .map(render)
                            .as_deref(),
                        Some("!Ref \"RestApi\""),
                        "{event}"
                    );
                    rest_paths.push(str_at(spec, &["Properties", "Path"]).unwrap().to_owned());
                }
                Some("HttpApi") => {
                    http_routes += 1;
                    assert_eq!(
                        str_at(spec, &["Properties", "PayloadFormatVersion"]),
                        Some("2.0"),
                        "{event}"
                    );
                }
                other => panic!("{event}: unexpected event type {other:?}"),
            }
        }
    }
    rest_paths.sort();
    assert_eq!(rest_paths, ["/", "/{proxy+}"]);
    assert!(http_routes >= 1, "no HttpApi event");
    assert_eq!(streaming, 1, "one streaming Function URL");
    assert_eq!(sam_resources_of(&doc, "AWS::Serverless::HttpApi").len(), 1);
}

#[test]
fn sam_gateway_responses_carry_the_frontend_origin() {
    let doc = sam();
    let apis = sam_resources_of(&doc, "AWS::Serverless::Api");
    assert_eq!(apis.len(), 1, "one REST API");
    let (name, api) = &apis[0];
    let Some(Yaml::Mapping(responses)) = at(api, &["Properties", "GatewayResponses"]) else {
        panic!("{name}: no GatewayResponses");
    };
    for (kind, response) in responses {
        let kind = kind.as_str().unwrap();
        let Some(Yaml::Mapping(headers)) = at(response, &["ResponseParameters", "Headers"]) else {
            panic!("{kind}: no ResponseParameters.Headers");
        };
        let header = |wanted: &str| {
            headers
                .iter()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(wanted)))
                .map(|(_, v)| render(v))
        };
        let origin = header("Access-Control-Allow-Origin")
            .unwrap_or_else(|| panic!("{kind}: no Access-Control-Allow-Origin"));
        assert_eq!(
            origin,
            format!("!Sub \"'{SAM_FRONTEND_ORIGIN}'\""),
            "{kind}"
        );
        assert_eq!(header("Vary").as_deref(), Some("\"'Origin'\""), "{kind}");
        assert_eq!(
            header("Access-Control-Allow-Credentials").as_deref(),
            Some("\"'true'\""),
            "{kind}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// cfn-lint
// ---------------------------------------------------------------------------------------------

/// cfn-lint, from `PATH` or installed into `target/tools-venv`.
struct CfnLint {
    tool: Tool,
    version: String,
}

impl CfnLint {
    fn find() -> CfnLint {
        let tool = tools::ensure(&tools::CFN_LINT).unwrap_or_else(|e| panic!("cfn-lint: {e}"));
        let output = tool
            .command()
            .arg("--version")
            .output()
            .expect("cfn-lint --version runs");
        CfnLint {
            version: format!(
                "{} (from {})",
                String::from_utf8_lossy(&output.stdout).trim(),
                tool.origin()
            ),
            tool,
        }
    }

    /// Lints `template` with JSON output; returns the findings and the exit code.
    fn lint(&self, template: &Path) -> (Vec<serde_json::Value>, i32) {
        let output = self
            .tool
            .command()
            .args(["--format", "json", "--"])
            .arg(template)
            .output()
            .expect("cfn-lint runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "cfn-lint output is not JSON ({e}): {stdout}\nstderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (findings, output.status.code().unwrap_or(-1))
    }
}

fn describe(finding: &serde_json::Value) -> String {
    format!(
        "{} {} line {}: {}",
        finding["Level"].as_str().unwrap_or("?"),
        finding["Rule"]["Id"].as_str().unwrap_or("?"),
        finding["Location"]["Start"]["LineNumber"],
        finding["Message"].as_str().unwrap_or("?"),
    )
}

#[test]
fn sam_template_passes_cfn_lint() {
    let cfn_lint = CfnLint::find();
    eprintln!("{}", cfn_lint.version);

    // cfn-lint itself works, and its JSON is read right: a broken template is reported.
    let broken = std::env::temp_dir().join(format!(
        "cors-runtime-cfn-lint-probe-{}.yaml",
        std::process::id()
    ));
    fs::write(
        &broken,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    \
         Type: AWS::S3::Bucket\n    Properties:\n      NoSuchProperty: 1\n",
    )
    .unwrap();
    let (findings, code) = cfn_lint.lint(&broken);
    let _ = fs::remove_file(&broken);
    assert!(
        code & 2 != 0 && findings.iter().any(|f| f["Level"] == "Error"),
        "cfn-lint did not report an unknown property (exit {code}): {findings:?}"
    );

    let (findings, code) = cfn_lint.lint(&sam_path());
    for finding in &findings {
        eprintln!("cfn-lint: {}", describe(finding));
    }
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f["Level"] == "Error")
        .map(describe)
        .collect();
    assert!(
        errors.is_empty() && code & 3 == 0,
        "cfn-lint (exit {code}) reports errors in sam/template.yaml:\n{}",
        errors.join("\n")
    );
    let unexpected: Vec<String> = findings
        .iter()
        .filter(|f| f["Level"] == "Warning")
        .filter(|f| {
            let id = f["Rule"]["Id"].as_str().unwrap_or_default();
            !ACCEPTED_CFN_LINT_WARNINGS
                .iter()
                .any(|(accepted, _)| *accepted == id)
        })
        .map(describe)
        .collect();
    assert!(
        unexpected.is_empty(),
        "cfn-lint warns about sam/template.yaml; fix it, or justify it in \
         ACCEPTED_CFN_LINT_WARNINGS:\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn deploy_readme_matches_the_templates() {
    let readme =
        fs::read_to_string(deploy_dir().join("README.md")).expect("examples/deploy/README.md");
    for needle in [
        "cargo lambda build --release --arm64 --output-format zip",
        "sam build",
        "terraform apply",
        "SameSite=None; Secure",
        "catch_errors",
        "Vary: Origin",
        "method.request.header.Origin",
    ] {
        assert!(
            readme.contains(needle),
            "examples/deploy/README.md does not mention `{needle}`"
        );
    }
    // Every file the README names in the templates' folders exists.
    for word in readme.split(|c: char| c == '`' || c.is_whitespace() || c == '(' || c == ')') {
        let word = word.trim_matches(|c: char| matches!(c, '.' | ',' | ':' | ';'));
        let rest = word
            .strip_prefix("terraform/")
            .or_else(|| word.strip_prefix("sam/"))
            .unwrap_or_default();
        if rest.contains('.') && !rest.contains(['*', '<']) {
            assert!(
                deploy_dir().join(word).exists(),
                "examples/deploy/README.md names {word}, which does not exist"
            );
        }
    }
}
