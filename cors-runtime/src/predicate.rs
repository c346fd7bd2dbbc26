//! `origins_fn`: a predicate asked about origins no list names.
//!
//! It is asked at most once per request, only about one `Origin` value that no listed entry
//! matched and that is exactly what a browser sends; a panic inside it is contained (the origin
//! is refused and the panic logged) where the binary unwinds.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use http::HeaderValue;

use crate::allowed_origins::{OriginMatch, Refusal};
use crate::origin::Origin;

/// A predicate on origins: a plain function (from `origins_fn = path`) or a closure (from the
/// run-time builder).
#[derive(Clone)]
pub enum Predicate {
    /// `origins_fn = path::to::function`.
    Function(fn(&Origin) -> bool),
    /// `CorsLayerBuilder::origins_fn(closure)`.
    Closure(Arc<dyn Fn(&Origin) -> bool + Send + Sync>),
}

impl fmt::Debug for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Predicate::Function(_) => "Predicate::Function",
            Predicate::Closure(_) => "Predicate::Closure",
        })
    }
}

impl Predicate {
    /// The answer for the request's one `Origin` value, which no listed entry matched.
    /// `credentials` with plain http on a host other than a loopback one is refused without
    /// asking, unless `allow_insecure_http`.
    pub(crate) fn ask(
        &self,
        value: &HeaderValue,
        credentials: bool,
        allow_insecure_http: bool,
    ) -> OriginMatch {
        let Some(origin) = value.to_str().ok().and_then(Origin::parse) else {
            return OriginMatch::Refused(Refusal::NotCanonical);
        };
        if credentials && !allow_insecure_http && !origin.is_trustworthy() {
            return OriginMatch::Refused(Refusal::Insecure);
        }
        let answer = catch_unwind(AssertUnwindSafe(|| match self {
            Predicate::Function(function) => function(&origin),
            Predicate::Closure(closure) => closure(&origin),
        }));
        match answer {
            Ok(true) => OriginMatch::Allowed(value.clone()),
            Ok(false) => OriginMatch::Refused(Refusal::NotListed),
            Err(payload) => {
                tracing::error!(
                    target: "cors_runtime",
                    origin = origin.as_str(),
                    panic = crate::panic::message(&*payload),
                    "the origins_fn predicate panicked; the origin is refused"
                );
                OriginMatch::Refused(Refusal::PredicatePanicked)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::Arc;

    use http::{Request, Response};

    use crate::decision::{Before, before};
    use crate::policy::{Policy, PolicyRef, Spec};
    use crate::policy_source::PolicySource;

    const SPEC: Spec<'static> = Spec::new(PolicySource::attribute("handler", "src/main.rs", 1));

    use super::*;

    thread_local! {
        /// Every origin the predicate was asked about on this thread, in order.
        static ASKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn tenants(origin: &Origin) -> bool {
        ASKED.with_borrow_mut(|asked| asked.push(origin.as_str().to_owned()));
        match origin.host() {
            "panics.example.com" => panic!("the tenant store is down"),
            host => host.ends_with(".tenants.example.com") || host == "localhost",
        }
    }

    /// The allowed origin a request with these `Origin` values gets, and what was asked.
    fn outcome(
        policy: &Arc<Policy>,
        origins: &[&str],
        preflight: bool,
    ) -> (Option<String>, Vec<String>) {
        ASKED.with_borrow_mut(Vec::clear);
        let mut request = Request::builder().method(if preflight { "OPTIONS" } else { "GET" });
        for origin in origins {
            request = request.header("origin", *origin);
        }
        if preflight {
            request = request.header("access-control-request-method", "PUT");
        }
        let request = request.body(()).unwrap();
        let policy = PolicyRef::Shared(Arc::clone(policy));
        let response = match before::<(), _>(policy, &request) {
            Before::Respond(response) => response,
            Before::Continue(after) => after.finish(Response::new(())),
        };
        let allowed = response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned());
        (allowed, ASKED.with_borrow_mut(std::mem::take))
    }

    #[test]
    fn asked_once_and_only_about_canonical_single_unlisted_origins() {
        let spec = Spec {
            origins: &["https://app.example.com"],
            origins_fn: Some(Predicate::Function(tenants)),
            credentials: true,
            ..SPEC
        };
        let policy = Arc::new(Policy::build(&spec, None));
        assert!(policy.errors.is_empty(), "{}", policy.errors);
        let tenant = "https://acme.tenants.example.com";
        for preflight in [false, true] {
            assert_eq!(
                outcome(&policy, &[tenant], preflight),
                (Some(tenant.into()), vec![tenant.into()])
            );
            // A listed origin never reaches the predicate.
            let app = "https://app.example.com";
            assert_eq!(
                outcome(&policy, &[app], preflight),
                (Some(app.into()), vec![])
            );
            // Refused by the predicate: asked once.
            let other = "https://evil.example.com";
            assert_eq!(
                outcome(&policy, &[other], preflight),
                (None, vec![other.into()])
            );
            // Never asked about what a browser does not send, nor about several values.
            for never in [
                &["null"][..],
                &["https://Acme.tenants.example.com"],
                &["https://acme.tenants.example.com/"],
                &["https://acme.tenants.example.com:443"],
                &["https://user@acme.tenants.example.com"],
                &["acme.tenants.example.com"],
                &[tenant, tenant],
                &[],
            ] {
                assert_eq!(
                    outcome(&policy, never, preflight),
                    (None, vec![]),
                    "{never:?}"
                );
            }
            // With credentials, plain http is refused unasked, except on loopback.
            assert_eq!(
                outcome(&policy, &["http://acme.tenants.example.com"], preflight),
                (None, vec![])
            );
            let local = "http://localhost:5173";
            assert_eq!(
                outcome(&policy, &[local], preflight),
                (Some(local.into()), vec![local.into()])
            );
        }
    }

    #[test]
    fn a_panic_is_contained_and_refuses() {
        let spec = Spec {
            origins_fn: Some(Predicate::Function(tenants)),
            ..SPEC
        };
        let policy = Arc::new(Policy::build(&spec, None));
        assert!(policy.errors.is_empty(), "{}", policy.errors);
        let panics = "https://panics.example.com";
        assert_eq!(
            outcome(&policy, &[panics], false),
            (None, vec![panics.into()])
        );
        // The policy still works afterwards.
        let tenant = "https://acme.tenants.example.com";
        assert_eq!(outcome(&policy, &[tenant], false).0, Some(tenant.into()));
    }

    #[test]
    fn never_beside_any_origin() {
        let spec = Spec {
            origins: &["*"],
            origins_fn: Some(Predicate::Function(tenants)),
            ..SPEC
        };
        let policy = Arc::new(Policy::build(&spec, None));
        assert_eq!(policy.errors.len(), 1, "{}", policy.errors);
        assert!(
            policy
                .errors
                .to_string()
                .contains("`origins_fn` would never be asked")
        );
        let env = Spec {
            origins_env: Some("ORIGINS"),
            origins_fn: Some(Predicate::Function(tenants)),
            ..SPEC
        };
        let policy = Arc::new(Policy::build(&env, Some(Some(std::ffi::OsStr::new("*")))));
        assert_eq!(policy.errors.len(), 1, "{}", policy.errors);
        // Fail closed: neither `*` nor anything else the predicate refuses.
        assert_eq!(
            outcome(&policy, &["https://evil.example.com"], false).0,
            None
        );
    }
}
