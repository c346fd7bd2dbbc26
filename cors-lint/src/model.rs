//! What every input format is read into: the gateways in front of the functions, as far as CORS
//! is concerned. The rules look at this model only, so each holds for every format at once.

/// The syntax a finding's fix is written in: the user's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// An AWS SAM template (`Transform: AWS::Serverless-2016-10-31`), before the transform.
    Sam,
    /// A plain CloudFormation template.
    CloudFormation,
    /// A CloudFormation template that `cdk synth` wrote.
    Cdk,
    /// Terraform `.tf` files.
    Terraform,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
    /// A Serverless Framework `serverless.yml`.
    Serverless,
}

/// Where something is written: the file, the resource (a logical id, a Terraform address, a
/// Serverless function), the path inside it and the line, when the format has lines.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Place {
    /// The file.
    pub file: String,
    /// The resource.
    pub resource: String,
    /// The path inside the resource (`Properties.CorsConfiguration`).
    pub path: String,
    /// The line, 1-based.
    pub line: Option<u32>,
}

impl Place {
    /// The same resource, another path and line.
    pub fn at(&self, path: &str, line: Option<u32>) -> Place {
        Place {
            file: self.file.clone(),
            resource: self.resource.clone(),
            path: path.to_owned(),
            line: line.or(self.line),
        }
    }
}

/// A value as far as the template fixes it: literal, literal around holes that are only known
/// at deploy time, or unknown altogether. Never guessed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// Known exactly.
    Literal(String),
    /// Literal pieces around holes (`!Sub "https://${Domain}"`, `"https://${var.domain}"`).
    Template(Vec<Piece>),
    /// Nothing known.
    Unknown,
}

/// A piece of a [`Text::Template`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Literal(String),
    /// A value known only at deploy time, as written (`${Domain}`).
    Hole(String),
}

impl Text {
    /// The literal value, when known exactly.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Text::Literal(text) => Some(text),
            _ => None,
        }
    }
}

/// Who is behind a route: the function, something else, or unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Lambda function of this template, by its id (a Lambda proxy integration).
    Function(String),
    /// A Lambda function outside this template, or one not resolved (still a Lambda proxy).
    Lambda,
    /// API Gateway answers itself (`MOCK`); `cors_headers` when its responses set
    /// `Access-Control-*` headers.
    Mock {
        /// Whether the mock's responses carry `Access-Control-*` headers.
        cors_headers: bool,
    },
    /// Another integration (HTTP, an AWS service).
    Other,
    /// Not known from the template.
    Unknown,
}

impl Target {
    /// Whether a Lambda function answers (a proxy integration).
    pub fn is_lambda(&self) -> bool {
        matches!(self, Target::Function(_) | Target::Lambda)
    }
}

/// Authorization on a method or route.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Auth {
    /// An authorizer or IAM, as the format names it (`COGNITO_USER_POOLS`, `JWT`, `AWS_IAM`,
    /// the authorizer's name...).
    pub authorizer: Option<String>,
    /// Whether an API key is required.
    pub api_key: bool,
    /// Whether the browser must add a header for it (an `Authorization` token, a signature, an
    /// API key), which makes even a `GET` preflighted.
    pub needs_header: bool,
}

impl Auth {
    /// No authorization.
    pub fn none() -> Auth {
        Auth::default()
    }

    /// Whether anything refuses a request without credentials.
    pub fn is_required(&self) -> bool {
        self.authorizer.is_some() || self.api_key
    }
}

/// How an element was written, when the fix depends on it beyond the format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Declared {
    /// A resource (or block) of its own.
    Resource,
    /// A SAM function's `Api`/`HttpApi` event (the event's name).
    Event(String),
    /// The `OPTIONS` method SAM generates for the API's `Cors` setting.
    SamCorsPreflight,
    /// A path of an OpenAPI definition (`DefinitionBody`, `Body`).
    OpenApi,
    /// A Serverless Framework `http`/`httpApi` event (the function's name).
    ServerlessEvent(String),
    /// A quick-create HTTP API (`Target` on the API itself).
    QuickCreate,
}

/// A Lambda function.
#[derive(Clone, Debug)]
pub struct Function {
    /// Its id (logical id, Terraform address, Serverless function name).
    pub id: String,
    /// Its environment variables (after merging the format's globals).
    pub env: Vec<EnvVar>,
}

/// One environment variable of a function.
#[derive(Clone, Debug)]
pub struct EnvVar {
    /// The name.
    pub name: String,
    /// The value.
    pub value: Text,
    /// Where it is written.
    pub at: Place,
}

/// A CORS setting of the gateway's own that is switched on.
#[derive(Clone, Debug)]
pub struct CorsSetting {
    /// Where it is written.
    pub at: Place,
    /// The origins it allows, when known (`*` included).
    pub origins: Vec<String>,
}

/// An API Gateway REST API (payload 1.0).
#[derive(Clone, Debug)]
pub struct RestApi {
    /// Its id.
    pub id: String,
    /// Where it is written.
    pub at: Place,
    /// Every method, generated ones included.
    pub methods: Vec<RestMethod>,
    /// Whether `methods` is complete (false when the definition is in another file).
    pub methods_known: bool,
    /// Its gateway responses.
    pub gateway_responses: Vec<GatewayResponse>,
    /// Whether `gateway_responses` is complete.
    pub gateway_responses_known: bool,
    /// SAM's `Cors` or Serverless's `cors` (which generate `OPTIONS` mock methods).
    pub cors: Option<CorsSetting>,
}

/// One method of a REST API resource.
#[derive(Clone, Debug)]
pub struct RestMethod {
    /// The resource path (`/notes/{id}`); `None` when it cannot be resolved.
    pub path: Option<String>,
    /// The method, uppercase (`ANY` for any).
    pub method: String,
    /// Its authorization.
    pub auth: Auth,
    /// Its integration.
    pub target: Target,
    /// Where it is written.
    pub at: Place,
    /// How it was written.
    pub declared: Declared,
}

/// A REST API gateway response (`DEFAULT_4XX`, `UNAUTHORIZED`, ...).
#[derive(Clone, Debug)]
pub struct GatewayResponse {
    /// The response type.
    pub kind: Text,
    /// Its headers (names as written, without `gatewayresponse.header.`), with their mapping
    /// values (`'https://app.example.com'`, `method.request.header.Origin`).
    pub headers: Vec<(String, Text)>,
    /// Where it is written.
    pub at: Place,
}

/// An API Gateway HTTP API (payload 2.0 or 1.0).
#[derive(Clone, Debug)]
pub struct HttpApi {
    /// Its id.
    pub id: String,
    /// Its `CorsConfiguration`.
    pub cors: Option<CorsSetting>,
    /// Its routes.
    pub routes: Vec<HttpRoute>,
    /// Whether `routes` is complete.
    pub routes_known: bool,
}

/// One HTTP API route.
#[derive(Clone, Debug)]
pub struct HttpRoute {
    /// `$default`, or `METHOD /path` (`ANY /{proxy+}`).
    pub key: String,
    /// Its authorization.
    pub auth: Auth,
    /// Its integration.
    pub target: Target,
    /// Where it is written.
    pub at: Place,
    /// How it was written.
    pub declared: Declared,
}

impl HttpRoute {
    /// The route's method and path; `None` for `$default`.
    pub fn method_and_path(&self) -> Option<(&str, &str)> {
        self.key.split_once(' ')
    }
}

/// A Lambda Function URL.
#[derive(Clone, Debug)]
pub struct FunctionUrl {
    /// The function's id, when it is in this template.
    pub function: Option<String>,
    /// Where it is written.
    pub at: Place,
    /// Its `Cors` setting.
    pub cors: Option<CorsSetting>,
    /// Whether its auth type is `AWS_IAM`.
    pub iam: bool,
}

/// Three-valued knowledge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not known from the template.
    Unknown,
}

/// What reaches an API through CloudFront.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upstream {
    /// An API or Function URL of this template: the ids of the functions behind it (empty when
    /// not resolved).
    Api(Vec<String>),
    /// An API Gateway or Function URL host outside this template.
    External,
}

/// A CloudFront cache behaviour in front of an API.
#[derive(Clone, Debug)]
pub struct CacheBehavior {
    /// The distribution's id.
    pub distribution: String,
    /// The path pattern (`*` for the default behaviour).
    pub path_pattern: String,
    /// What it forwards to.
    pub upstream: Upstream,
    /// Its allowed methods (`None`: unknown).
    pub allowed_methods: Option<Vec<String>>,
    /// Whether CloudFront caches responses.
    pub caches: Known,
    /// Whether `Origin` is in the cache key.
    pub origin_in_key: Known,
    /// Whether `Origin` reaches the origin (cache key or origin request policy).
    pub origin_forwarded: Known,
    /// Where it is written.
    pub at: Place,
}

/// Everything read from one input.
#[derive(Clone, Debug)]
pub struct Model {
    /// The input's format.
    pub dialect: Dialect,
    /// The functions.
    pub functions: Vec<Function>,
    /// REST APIs.
    pub rest_apis: Vec<RestApi>,
    /// HTTP APIs.
    pub http_apis: Vec<HttpApi>,
    /// Function URLs.
    pub function_urls: Vec<FunctionUrl>,
    /// CloudFront behaviours whose origin is an API or a Function URL.
    pub cache_behaviors: Vec<CacheBehavior>,
    /// Suppressions written in the input.
    pub suppressions: Vec<Suppression>,
}

impl Model {
    /// An empty model of `dialect`.
    pub fn new(dialect: Dialect) -> Model {
        Model {
            dialect,
            functions: Vec::new(),
            rest_apis: Vec::new(),
            http_apis: Vec::new(),
            function_urls: Vec::new(),
            cache_behaviors: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

/// A suppression written in the input: a `cors-lint-ignore` comment, or a resource's metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The rule id.
    pub rule: String,
    /// Why (required: a suppression without a reason does not apply).
    pub reason: String,
    /// The file.
    pub file: String,
    /// What it covers.
    pub scope: SuppressionScope,
}

/// What a [`Suppression`] covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressionScope {
    /// A finding on this line (a comment on the line, or on the lines just above it).
    Line(u32),
    /// Every finding of the rule on this resource (its metadata).
    Resource(String),
}
