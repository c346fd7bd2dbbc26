//! CloudFormation templates, YAML or JSON, written by hand, by SAM (before its transform) or by
//! `cdk synth`: every resource type that puts something between a browser and a function.

mod distribution;
mod http;
mod rest;
mod sam;

use std::collections::HashMap;

use crate::model::{
    Dialect, EnvVar, Function, FunctionUrl, Model, Place, Suppression, SuppressionScope, Target,
};
use crate::read::intrinsics;
use crate::tree::{Node, Value};

/// One resource of the template.
pub(crate) struct Resource<'a> {
    /// Its logical id.
    pub id: &'a str,
    /// Its `Type`.
    pub kind: &'a str,
    /// The whole resource.
    pub node: &'a Node,
    /// The line of its logical id.
    pub line: u32,
}

static NOTHING: Node = Node {
    value: Value::Null,
    line: 0,
};

impl<'a> Resource<'a> {
    /// Its `Properties` (null when it has none).
    pub fn props(&self) -> &'a Node {
        self.node.get("Properties").unwrap_or(&NOTHING)
    }

    /// A property.
    pub fn prop(&self, name: &str) -> Option<&'a Node> {
        self.props().get(name)
    }
}

/// The template being read, with its resources indexed by logical id.
pub(crate) struct Template<'a> {
    pub file: &'a str,
    pub resources: Vec<Resource<'a>>,
    index: HashMap<&'a str, usize>,
    /// SAM's `Globals`.
    pub globals: &'a Node,
}

impl<'a> Template<'a> {
    fn new(doc: &'a Node, file: &'a str) -> Template<'a> {
        let resources: Vec<Resource<'a>> = doc
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(key, node)| Resource {
                id: &key.name,
                kind: node.get("Type").and_then(Node::as_str).unwrap_or_default(),
                node,
                line: key.line,
            })
            .collect();
        let index = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        Template {
            file,
            resources,
            index,
            globals: doc.get("Globals").unwrap_or(&NOTHING),
        }
    }

    /// The resource with this logical id.
    pub fn get(&self, id: &str) -> Option<&Resource<'a>> {
        self.index.get(id).map(|&i| &self.resources[i])
    }

    /// The resources of one type.
    pub fn of_kind<'t>(&'t self, kind: &'t str) -> impl Iterator<Item = &'t Resource<'a>> + 't {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    /// A place in `resource`: `path` inside it, at `line`.
    pub fn place(&self, resource: &Resource<'_>, path: &str, line: u32) -> Place {
        Place {
            file: self.file.to_owned(),
            resource: resource.id.to_owned(),
            path: path.to_owned(),
            line: (line > 0).then_some(line),
        }
    }

    /// The first resource of one of `kinds` that `node` refers to.
    pub fn referenced(&self, node: &Node, kinds: &[&str]) -> Option<&Resource<'a>> {
        intrinsics::refs(node)
            .iter()
            .filter_map(|id| self.get(id))
            .find(|r| kinds.contains(&r.kind))
    }

    /// The function of this template that `node` (an ARN, a URI) names, through aliases and
    /// versions.
    pub fn function_id(&self, node: &Node) -> Option<String> {
        for id in intrinsics::refs(node) {
            let Some(resource) = self.get(&id) else {
                continue;
            };
            match resource.kind {
                "AWS::Lambda::Function" | "AWS::Serverless::Function" => return Some(id),
                "AWS::Lambda::Alias" | "AWS::Lambda::Version" => {
                    if let Some(function) = resource
                        .prop("FunctionName")
                        .and_then(|name| self.function_id(name))
                    {
                        return Some(function);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// A Lambda proxy integration's target from its URI.
    pub fn lambda_target(&self, uri: Option<&Node>) -> Target {
        match uri.and_then(|uri| self.function_id(uri)) {
            Some(id) => Target::Function(id),
            None => Target::Lambda,
        }
    }
}

/// Whether a parsed document is a CloudFormation template.
pub fn is_template(doc: &Node) -> bool {
    doc.get("Resources").is_some() || doc.get("AWSTemplateFormatVersion").is_some()
}

/// Reads a template. `cdk` says the file is `cdk synth` output even without CDK metadata.
pub fn read(doc: &Node, file: &str, cdk: bool) -> Model {
    let transforms = doc
        .get("Transform")
        .and_then(intrinsics::string_list)
        .unwrap_or_default();
    let resources = doc.get("Resources").map(Node::entries).unwrap_or_default();
    // SAM's own examples often leave `Transform` out; its resource types say it as well.
    let sam = transforms.iter().any(|t| t.starts_with("AWS::Serverless"))
        || resources.iter().any(|(_, r)| {
            r.get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::Serverless::"))
        });
    let dialect = if sam {
        Dialect::Sam
    } else if cdk
        || resources
            .iter()
            .any(|(_, r)| r.at(&["Metadata", "aws:cdk:path"]).is_some())
    {
        Dialect::Cdk
    } else {
        Dialect::CloudFormation
    };
    let template = Template::new(doc, file);
    let mut model = Model::new(dialect);
    model.functions = functions(&template);
    model.function_urls = function_urls(&template);
    model.rest_apis = rest::rest_apis(&template);
    model.http_apis = http::http_apis(&template);
    if dialect == Dialect::Sam {
        sam::expand(&template, &mut model);
    }
    model.cache_behaviors = distribution::cache_behaviors(&template, &model);
    model.suppressions = suppressions(&template);
    model
}

fn functions(t: &Template<'_>) -> Vec<Function> {
    let global = t.globals.at(&["Function", "Environment", "Variables"]);
    let mut functions = Vec::new();
    for resource in &t.resources {
        let serverless = resource.kind == "AWS::Serverless::Function";
        if !serverless && resource.kind != "AWS::Lambda::Function" {
            continue;
        }
        let mut env = Vec::new();
        let own = resource.props().at(&["Environment", "Variables"]);
        // SAM merges the global variables under the function's own.
        let mut add = |variables: Option<&Node>, path: &str, globals: bool| {
            for (name, value) in variables.map(Node::entries).unwrap_or_default() {
                if globals && own.and_then(|o| o.get(&name.name)).is_some() {
                    continue;
                }
                let at = if globals {
                    Place {
                        file: t.file.to_owned(),
                        resource: "Globals".to_owned(),
                        path: format!("Function.Environment.Variables.{}", name.name),
                        line: Some(name.line),
                    }
                } else {
                    t.place(resource, &format!("{path}.{}", name.name), name.line)
                };
                env.push(EnvVar {
                    name: name.name.clone(),
                    value: intrinsics::text(value),
                    at,
                });
            }
        };
        add(own, "Properties.Environment.Variables", false);
        if serverless {
            add(global, "", true);
        }
        functions.push(Function {
            id: resource.id.to_owned(),
            env,
        });
    }
    functions
}

fn function_urls(t: &Template<'_>) -> Vec<FunctionUrl> {
    let mut urls = Vec::new();
    for resource in t.of_kind("AWS::Lambda::Url") {
        let cors = resource
            .props()
            .entry("Cors")
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| crate::model::CorsSetting {
                at: t.place(resource, "Properties.Cors", key.line),
                origins: value
                    .get("AllowOrigins")
                    .and_then(intrinsics::string_list)
                    .unwrap_or_default(),
            });
        urls.push(FunctionUrl {
            function: resource
                .prop("TargetFunctionArn")
                .and_then(|arn| t.function_id(arn)),
            at: t.place(resource, "", resource.line),
            cors,
            iam: resource.prop("AuthType").and_then(Node::as_str) == Some("AWS_IAM"),
        });
    }
    urls
}

/// `Metadata: {cors-lint: {ignore: {rule-id: reason}}}` on a resource.
fn suppressions(t: &Template<'_>) -> Vec<Suppression> {
    let mut out = Vec::new();
    for resource in &t.resources {
        let Some(ignore) = resource.node.at(&["Metadata", "cors-lint", "ignore"]) else {
            continue;
        };
        for (rule, reason) in ignore.entries() {
            out.push(Suppression {
                rule: rule.name.clone(),
                reason: reason.as_str().unwrap_or_default().trim().to_owned(),
                file: t.file.to_owned(),
                scope: SuppressionScope::Resource(resource.id.to_owned()),
            });
        }
    }
    out
}
