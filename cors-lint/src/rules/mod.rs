//! The rules, one module each, over the [`Model`]; their ids are part of the interface.

mod allowed_origins_entry;
mod cdn_origin_not_in_cache_key;
mod gateway_cors_config;
mod gateway_response_origin;
mod preflight_authorized;
mod preflight_unrouted;

use std::fmt;

use crate::model::{Model, Place, SuppressionScope, Target};

/// A rule of `cors-lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// CORS configured at the gateway (HTTP API `CorsConfiguration`, SAM `Cors`, mock `OPTIONS`
    /// methods, Function URL `Cors`, Serverless `cors`) while the function does it.
    GatewayCorsConfig,
    /// An authorizer, API key or IAM auth applies to preflights (`OPTIONS`).
    PreflightAuthorized,
    /// A path serving methods that need a preflight, with nothing routing `OPTIONS` to the
    /// function.
    PreflightUnrouted,
    /// REST gateway responses that reflect `Origin`, send `*` with credentials, or (a note)
    /// carry no CORS headers at all.
    GatewayResponseOrigin,
    /// CloudFront in front of an API without `Origin` in its cache key, not forwarding it, or
    /// not allowing `OPTIONS`.
    CdnOriginNotInCacheKey,
    /// A literal `ALLOWED_ORIGINS` (or `--origins-env`) that fails the grammar `origins_env`
    /// applies at cold start.
    AllowedOriginsEntry,
}

impl Rule {
    /// Every rule, in the order they are documented.
    pub const ALL: [Rule; 6] = [
        Rule::GatewayCorsConfig,
        Rule::PreflightAuthorized,
        Rule::PreflightUnrouted,
        Rule::GatewayResponseOrigin,
        Rule::CdnOriginNotInCacheKey,
        Rule::AllowedOriginsEntry,
    ];

    /// The rule's id, as written in output and in suppressions.
    ///
    /// ```
    /// assert_eq!(cors_lint::Rule::PreflightUnrouted.id(), "preflight-unrouted");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Rule::GatewayCorsConfig => "gateway-cors-config",
            Rule::PreflightAuthorized => "preflight-authorized",
            Rule::PreflightUnrouted => "preflight-unrouted",
            Rule::GatewayResponseOrigin => "gateway-response-origin",
            Rule::CdnOriginNotInCacheKey => "cdn-origin-not-in-cache-key",
            Rule::AllowedOriginsEntry => "allowed-origins-entry",
        }
    }

    /// The rule with this id.
    ///
    /// ```
    /// use cors_lint::Rule;
    /// assert_eq!(Rule::from_id("gateway-cors-config"), Some(Rule::GatewayCorsConfig));
    /// assert_eq!(Rule::from_id("cors"), None);
    /// ```
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    /// One line on what the rule finds.
    ///
    /// ```
    /// assert!(cors_lint::Rule::GatewayCorsConfig.summary().contains("gateway"));
    /// ```
    pub const fn summary(self) -> &'static str {
        match self {
            Rule::GatewayCorsConfig => {
                "CORS configured at the gateway or Function URL while the function does it"
            }
            Rule::PreflightAuthorized => {
                "an authorizer, API key or IAM auth applies to preflight (OPTIONS) requests"
            }
            Rule::PreflightUnrouted => {
                "a path serves methods that need a preflight, but no OPTIONS or ANY route \
                 reaches the function"
            }
            Rule::GatewayResponseOrigin => {
                "REST gateway responses reflect Origin, send * with credentials, or carry no \
                 CORS headers"
            }
            Rule::CdnOriginNotInCacheKey => {
                "CloudFront in front of the API caches without Origin in the key, does not \
                 forward Origin, or does not allow OPTIONS"
            }
            Rule::AllowedOriginsEntry => {
                "a literal ALLOWED_ORIGINS fails the grammar origins_env applies at cold start"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How bad a finding is. Exit status 1 needs a warning or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; not a failure.
    Note,
    /// Breaks CORS in some cases, or depends on what the function does.
    Warning,
    /// Breaks CORS in the browser, or allows what it must not.
    Error,
}

impl Severity {
    /// `error`, `warning` or `note`.
    ///
    /// ```
    /// assert_eq!(cors_lint::Severity::Warning.name(), "warning");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: the rule, how bad, where, what happens in the browser, and the fix in the
/// input's own format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// Where: file, resource, path inside it, line.
    pub place: Place,
    /// What happens in the browser, and why.
    pub message: String,
    /// The fix, in the input's format.
    pub fix: String,
    /// The reason given by the suppression that covers it, if one does.
    pub suppressed: Option<String>,
}

/// What the checks look at, beyond the model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Only the functions with these ids use the library (empty: every function does).
    pub functions: Vec<String>,
    /// Variables holding allowed origins besides `ALLOWED_ORIGINS`.
    pub origins_env: Vec<String>,
    /// Whether the functions' policies allow credentials (`None`: not known, so the checks that
    /// depend on it give notes).
    pub credentials: Option<bool>,
}

/// The model and the options, with what every rule asks of them.
pub(crate) struct Context<'a> {
    pub model: &'a Model,
    pub options: &'a Options,
}

impl Context<'_> {
    /// Whether a route's target is a function this check is about: a Lambda proxy, and (with
    /// `--function`) one of the functions named.
    pub fn selected(&self, target: &Target) -> bool {
        match target {
            Target::Function(id) => self.selected_function(id),
            Target::Lambda => self.options.functions.is_empty(),
            _ => false,
        }
    }

    /// Whether a function (by id) is one this check is about.
    pub fn selected_function(&self, id: &str) -> bool {
        self.options.functions.is_empty() || self.options.functions.iter().any(|f| f == id)
    }

    /// A finding of `rule`.
    pub fn finding(
        &self,
        rule: Rule,
        severity: Severity,
        place: &Place,
        message: String,
        fix: String,
    ) -> Finding {
        Finding {
            rule,
            severity,
            place: place.clone(),
            message,
            fix,
            suppressed: None,
        }
    }
}

/// Runs every rule on `model`; findings covered by a suppression carry its reason.
pub fn check(model: &Model, options: &Options) -> Vec<Finding> {
    let context = Context { model, options };
    let mut findings = Vec::new();
    gateway_cors_config::check(&context, &mut findings);
    preflight_authorized::check(&context, &mut findings);
    preflight_unrouted::check(&context, &mut findings);
    gateway_response_origin::check(&context, &mut findings);
    cdn_origin_not_in_cache_key::check(&context, &mut findings);
    allowed_origins_entry::check(&context, &mut findings);
    for finding in &mut findings {
        finding.suppressed = model
            .suppressions
            .iter()
            .filter(|s| s.rule == finding.rule.id() && !s.reason.is_empty())
            .filter(|s| s.file == finding.place.file)
            .find(|s| match &s.scope {
                SuppressionScope::Line(line) => finding.place.line == Some(*line),
                SuppressionScope::Resource(resource) => *resource == finding.place.resource,
            })
            .map(|s| s.reason.clone());
        if finding.suppressed.is_none()
            && let Some(unreasoned) = model.suppressions.iter().find(|s| {
                s.rule == finding.rule.id()
                    && s.reason.is_empty()
                    && match &s.scope {
                        SuppressionScope::Line(line) => finding.place.line == Some(*line),
                        SuppressionScope::Resource(resource) => *resource == finding.place.resource,
                    }
            })
        {
            let _ = unreasoned;
            finding.message.push_str(
                " (a suppression of this finding gives no reason, so it does not apply: write \
                 `cors-lint-ignore RULE: why`)",
            );
        }
    }
    findings.sort_by(|a, b| {
        (&a.place.file, a.place.line, &a.place.resource, a.rule).cmp(&(
            &b.place.file,
            b.place.line,
            &b.place.resource,
            b.rule,
        ))
    });
    findings.dedup();
    findings
}

/// A method that a browser sends without a preflight (when it adds no header of its own).
pub(crate) fn is_simple_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// How a place is named in a message: `Resource` or `Resource.Path`.
pub(crate) fn where_(place: &Place) -> String {
    if place.path.is_empty() {
        format!("`{}`", place.resource)
    } else {
        format!("`{}` ({})", place.resource, place.path)
    }
}

/// Whether an HTTP API route path `pattern` (`/notes/{id}`, `/{proxy+}`) matches every request
/// path that `path` (another route's path) matches.
pub(crate) fn covers(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_matches('/').split('/').collect();
    for (i, segment) in pattern.iter().enumerate() {
        let is_param = segment.starts_with('{') && segment.ends_with('}');
        if is_param && segment.ends_with("+}") {
            return path.len() > i && !path[i].is_empty();
        }
        match path.get(i) {
            Some(other) if is_param || other == segment => {}
            _ => return false,
        }
    }
    pattern.len() == path.len()
}

/// The findings of `rule` in a YAML `template`, with the default options: what each rule's
/// tests read.
#[cfg(test)]
fn findings_of(rule: Rule, template: &str) -> Vec<Finding> {
    let model = crate::read::read_text(template, "t.yaml", crate::read::InputKind::Auto)
        .expect("the test's template reads");
    check(&model, &Options::default())
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn route_paths_cover_paths() {
        assert!(covers("/{proxy+}", "/notes/{id}"));
        assert!(covers("/notes/{x}", "/notes/{id}"));
        assert!(covers("/notes", "/notes"));
        assert!(!covers("/notes/special", "/notes/{id}"));
        assert!(!covers("/notes", "/notes/{id}"));
        assert!(!covers("/{proxy+}", "/"));
        assert!(covers("/api/{proxy+}", "/api/notes"));
    }
}
