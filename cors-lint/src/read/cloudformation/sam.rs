//! AWS SAM before its transform: `AWS::Serverless::Api` and `HttpApi` (explicit, or the implicit
//! `ServerlessRestApi`/`ServerlessHttpApi`), function events, `FunctionUrlConfig` and `Globals`,
//! expanded the way the transform expands them: events become methods and routes, `Cors` adds
//! a mock `OPTIONS` method to every path that has none, and `Auth.DefaultAuthorizer` (and
//! `ApiKeyRequired`) go on every method, the generated `OPTIONS` included unless
//! `AddDefaultAuthorizerToCorsPreflight: false` (`AddApiKeyRequiredToCorsPreflight: false`).

use super::{Resource, Template};
use crate::model::{
    Auth, CorsSetting, Declared, FunctionUrl, GatewayResponse, HttpApi, HttpRoute, Model, Place,
    RestApi, RestMethod, Target, Text,
};
use crate::read::{intrinsics, openapi};
use crate::tree::Node;

const IMPLICIT_REST: &str = "ServerlessRestApi";
const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// Adds the SAM resources of `t` to `model`.
pub fn expand(t: &Template<'_>, model: &mut Model) {
    let mut rest: Vec<(RestApi, ApiAuth<'_>)> = Vec::new();
    let mut http: Vec<(HttpApi, ApiAuth<'_>)> = Vec::new();
    for resource in t.of_kind("AWS::Serverless::Api") {
        rest.push(rest_api(t, resource.id, Some(resource)));
    }
    for resource in t.of_kind("AWS::Serverless::HttpApi") {
        http.push(http_api(t, resource.id, Some(resource)));
    }

    for function in t.of_kind("AWS::Serverless::Function") {
        if let Some(url) = function_url(t, function) {
            model.function_urls.push(url);
        }
        for (name, event) in function
            .prop("Events")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let kind = event.get("Type").and_then(Node::as_str).unwrap_or_default();
            let props = event.get("Properties");
            let prop = |key: &str| props.and_then(|p| p.get(key));
            let at = t.place(
                function,
                &format!("Properties.Events.{}", name.name),
                name.line,
            );
            let declared = Declared::Event(name.name.clone());
            let target = Target::Function(function.id.to_owned());
            match kind {
                "Api" => {
                    let api = api_index(t, &mut rest, prop("RestApiId"), IMPLICIT_REST, rest_api);
                    let Some(api) = api else { continue };
                    let (api, auth_config) = &mut rest[api];
                    let event_auth = prop("Auth");
                    api.methods.push(RestMethod {
                        path: prop("Path").and_then(Node::as_str).map(str::to_owned),
                        method: method_name(prop("Method")),
                        auth: rest_event_auth(event_auth, *auth_config),
                        target,
                        at,
                        declared,
                    });
                }
                "HttpApi" => {
                    let api = api_index(t, &mut http, prop("ApiId"), IMPLICIT_HTTP, http_api);
                    let Some(api) = api else { continue };
                    let (api, auth_config) = &mut http[api];
                    let key = match (prop("Method"), prop("Path").and_then(Node::as_str)) {
                        (method, Some(path)) => format!("{} {path}", method_name(method)),
                        _ => "$default".to_owned(),
                    };
                    api.routes.push(HttpRoute {
                        key,
                        auth: http_event_auth(prop("Auth"), *auth_config),
                        target,
                        at,
                        declared,
                    });
                }
                _ => {}
            }
        }
    }

    for (mut api, auth) in rest {
        add_cors_preflights(&mut api, auth);
        model.rest_apis.push(api);
    }
    model.http_apis.extend(http.into_iter().map(|(api, _)| api));
}

/// Makes an explicit or implicit API, with its `Auth`.
type MakeApi<'t, A> = fn(&Template<'t>, &str, Option<&Resource<'t>>) -> (A, ApiAuth<'t>);

/// An API's `Auth` as SAM reads it: the resource's own keys, merged over `Globals`' (SAM merges
/// maps key by key, the resource's winning), so that a global
/// `AddApiKeyRequiredToCorsPreflight: false` holds for an API with an `Auth` of its own.
#[derive(Clone, Copy, Default)]
struct ApiAuth<'t> {
    own: Option<&'t Node>,
    globals: Option<&'t Node>,
}

impl<'t> ApiAuth<'t> {
    fn of(t: &Template<'t>, resource: Option<&Resource<'t>>, section: &str) -> Self {
        ApiAuth {
            own: resource.and_then(|r| r.prop("Auth")),
            globals: t.globals.get(section).and_then(|g| g.get("Auth")),
        }
    }

    fn get(self, key: &str) -> Option<&'t Node> {
        self.own
            .and_then(|a| a.get(key))
            .or_else(|| self.globals.and_then(|a| a.get(key)))
    }

    /// The authorizer called `name` in `Authorizers` (merged the same way).
    fn authorizer(self, name: &str) -> Option<&'t Node> {
        self.own
            .and_then(|a| a.at(&["Authorizers", name]))
            .or_else(|| self.globals.and_then(|a| a.at(&["Authorizers", name])))
    }
}

/// The index of the API an event names (`RestApiId`/`ApiId`), creating the implicit one.
fn api_index<'t, A: HasId>(
    t: &Template<'t>,
    apis: &mut Vec<(A, ApiAuth<'t>)>,
    reference: Option<&Node>,
    implicit: &str,
    make: MakeApi<'t, A>,
) -> Option<usize> {
    let id = match reference {
        Some(reference) => intrinsics::refs(reference).into_iter().next()?,
        None => implicit.to_owned(),
    };
    if let Some(i) = apis.iter().position(|(api, _)| api.id() == id) {
        return Some(i);
    }
    // An event naming an API of another type (or another stack) adds nothing here.
    if id != implicit {
        return None;
    }
    apis.push(make(t, implicit, None));
    Some(apis.len() - 1)
}

trait HasId {
    fn id(&self) -> &str;
}
impl HasId for RestApi {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for HttpApi {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A property of an API resource, or else of `Globals.<section>`, with where it is written.
fn property<'t>(
    t: &Template<'t>,
    resource: Option<&Resource<'t>>,
    section: &str,
    key: &str,
) -> Option<(Place, &'t Node)> {
    if let Some((k, value)) = resource.and_then(|r| r.props().entry(key)) {
        let resource = resource.expect("the entry came from it");
        return Some((
            t.place(resource, &format!("Properties.{key}"), k.line),
            value,
        ));
    }
    let (k, value) = t.globals.get(section)?.entry(key)?;
    Some((
        Place {
            file: t.file.to_owned(),
            resource: "Globals".to_owned(),
            path: format!("{section}.{key}"),
            line: Some(k.line),
        },
        value,
    ))
}

fn implicit_place(t: &Template<'_>, id: &str) -> Place {
    Place {
        file: t.file.to_owned(),
        resource: id.to_owned(),
        path: String::new(),
        line: None,
    }
}

fn rest_api<'t>(
    t: &Template<'t>,
    id: &str,
    resource: Option<&Resource<'t>>,
) -> (RestApi, ApiAuth<'t>) {
    let at = resource.map_or_else(|| implicit_place(t, id), |r| t.place(r, "", r.line));
    let mut api = RestApi {
        id: id.to_owned(),
        at,
        methods: Vec::new(),
        methods_known: true,
        gateway_responses: Vec::new(),
        gateway_responses_known: true,
        cors: property(t, resource, "Api", "Cors").map(|(at, value)| cors_setting(at, value)),
    };
    let auth = ApiAuth::of(t, resource, "Api");
    if let Some((at, body)) = property(t, resource, "Api", "DefinitionBody") {
        if body.intrinsic().is_some() {
            api.methods_known = false;
            api.gateway_responses_known = false;
        } else {
            let definition = openapi::read(body, &at, &|uri| t.lambda_target(Some(uri)));
            api.methods
                .extend(definition.methods.into_iter().map(|mut m| {
                    if !m.auth.is_required() {
                        m.auth = rest_event_auth(None, auth);
                    }
                    m
                }));
            api.gateway_responses.extend(definition.gateway_responses);
        }
    } else if property(t, resource, "Api", "DefinitionUri").is_some() {
        api.methods_known = false;
        api.gateway_responses_known = false;
    }
    if let Some((at, responses)) = property(t, resource, "Api", "GatewayResponses") {
        api.gateway_responses_known = true;
        for (kind, response) in responses.entries() {
            let headers = response
                .at(&["ResponseParameters", "Headers"])
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .map(|(name, value)| (name.name.clone(), intrinsics::text(value)))
                .collect();
            api.gateway_responses.push(GatewayResponse {
                kind: Text::Literal(kind.name.clone()),
                headers,
                at: at.at(&format!("{}.{}", at.path, kind.name), Some(kind.line)),
            });
        }
    }
    (api, auth)
}

fn http_api<'t>(
    t: &Template<'t>,
    id: &str,
    resource: Option<&Resource<'t>>,
) -> (HttpApi, ApiAuth<'t>) {
    let cors = property(t, resource, "HttpApi", "CorsConfiguration")
        .filter(|(_, value)| value.as_bool() != Some(false) && !value.is_null())
        .map(|(at, value)| CorsSetting {
            at,
            origins: match value.as_bool() {
                Some(true) => vec!["*".to_owned()],
                _ => value
                    .get("AllowOrigins")
                    .and_then(intrinsics::string_list)
                    .unwrap_or_default(),
            },
        });
    let auth = ApiAuth::of(t, resource, "HttpApi");
    let mut api = HttpApi {
        id: id.to_owned(),
        cors,
        routes: Vec::new(),
        routes_known: true,
    };
    if let Some((at, body)) = property(t, resource, "HttpApi", "DefinitionBody") {
        if body.intrinsic().is_some() {
            api.routes_known = false;
        } else {
            let definition = openapi::read(body, &at, &|uri| t.lambda_target(Some(uri)));
            api.routes.extend(definition.http_routes());
            if api.cors.is_none() {
                api.cors = definition.cors;
            }
        }
    } else if property(t, resource, "HttpApi", "DefinitionUri").is_some() {
        api.routes_known = false;
    }
    (api, auth)
}

/// SAM's `Cors` (`"'*'"`, or `{AllowOrigin: "'https://…'", ...}`).
pub fn cors_setting(at: Place, value: &Node) -> CorsSetting {
    let origin = value.get("AllowOrigin").unwrap_or(value);
    let origins = origin
        .as_str()
        .map(|o| vec![o.trim_matches('\'').to_owned()])
        .unwrap_or_default();
    CorsSetting { at, origins }
}

fn method_name(method: Option<&Node>) -> String {
    match method.and_then(Node::as_str).unwrap_or("ANY") {
        "*" => "ANY".to_owned(),
        method => method.to_ascii_uppercase(),
    }
}

/// A REST method's authorization: the event's own `Auth`, else the API's defaults.
fn rest_event_auth(event: Option<&Node>, api: ApiAuth<'_>) -> Auth {
    let authorizer = event_authorizer(event, api);
    let api_key = event
        .and_then(|a| a.get("ApiKeyRequired"))
        .or_else(|| api.get("ApiKeyRequired"))
        .and_then(Node::as_bool)
        .unwrap_or(false);
    let needs_header = api_key
        || authorizer
            .as_deref()
            .is_some_and(|name| authorizer_needs_header(api, name));
    Auth {
        authorizer,
        api_key,
        needs_header,
    }
}

fn http_event_auth(event: Option<&Node>, api: ApiAuth<'_>) -> Auth {
    let authorizer = event_authorizer(event, api);
    let needs_header = authorizer
        .as_deref()
        .is_some_and(|name| authorizer_needs_header(api, name));
    Auth {
        authorizer,
        api_key: false,
        needs_header,
    }
}

/// The event's `Auth.Authorizer`, else the API's `DefaultAuthorizer`; `NONE` is none.
fn event_authorizer(event: Option<&Node>, api: ApiAuth<'_>) -> Option<String> {
    let named = event
        .and_then(|a| a.get("Authorizer"))
        .and_then(Node::as_str);
    let default = api.get("DefaultAuthorizer").and_then(Node::as_str);
    match named.or(default) {
        Some("NONE") | None => None,
        Some(name) => Some(name.to_owned()),
    }
}

/// Whether the browser must send a header for this authorizer (a token, a signature).
fn authorizer_needs_header(api: ApiAuth<'_>, name: &str) -> bool {
    if name == "AWS_IAM" {
        return true;
    }
    let Some(config) = api.authorizer(name) else {
        return false;
    };
    if config.get("UserPoolArn").is_some() || config.get("JwtConfiguration").is_some() {
        return true;
    }
    let payload = config
        .get("FunctionPayloadType")
        .and_then(Node::as_str)
        .unwrap_or("TOKEN");
    let headers = config
        .at(&["Identity", "Headers"])
        .and_then(intrinsics::string_list)
        .unwrap_or_default();
    payload == "TOKEN" && config.get("FunctionArn").is_some()
        || headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("authorization"))
}

/// What SAM's `Cors` generates: a mock `OPTIONS` on every path without one, carrying the
/// default authorizer and API key unless the `Add...ToCorsPreflight` switches say otherwise.
fn add_cors_preflights(api: &mut RestApi, auth: ApiAuth<'_>) {
    let Some(cors) = api.cors.clone() else {
        return;
    };
    let flag = |key: &str| auth.get(key).and_then(Node::as_bool).unwrap_or(true);
    let mut preflight_auth = rest_event_auth(None, auth);
    if !flag("AddDefaultAuthorizerToCorsPreflight") {
        preflight_auth.authorizer = None;
    }
    if !flag("AddApiKeyRequiredToCorsPreflight") {
        preflight_auth.api_key = false;
    }
    let mut paths: Vec<String> = api.methods.iter().filter_map(|m| m.path.clone()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let has_options = api
            .methods
            .iter()
            .any(|m| m.path.as_deref() == Some(&path) && m.method == "OPTIONS");
        if !has_options {
            api.methods.push(RestMethod {
                path: Some(path),
                method: "OPTIONS".to_owned(),
                auth: preflight_auth.clone(),
                target: Target::Mock { cors_headers: true },
                at: cors.at.clone(),
                declared: Declared::SamCorsPreflight,
            });
        }
    }
}

fn function_url(t: &Template<'_>, function: &Resource<'_>) -> Option<FunctionUrl> {
    let (key, config) = function.props().entry("FunctionUrlConfig")?;
    let path = "Properties.FunctionUrlConfig";
    Some(FunctionUrl {
        function: Some(function.id.to_owned()),
        at: t.place(function, path, key.line),
        cors: config.entry("Cors").map(|(key, value)| CorsSetting {
            at: t.place(function, &format!("{path}.Cors"), key.line),
            origins: value
                .get("AllowOrigins")
                .and_then(intrinsics::string_list)
                .unwrap_or_default(),
        }),
        iam: config.get("AuthType").and_then(Node::as_str) == Some("AWS_IAM"),
    })
}
