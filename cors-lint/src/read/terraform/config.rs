//! Terraform configuration as the model builder sees it, whether read from `.tf` files or from
//! a plan: resources with their attributes and nested blocks, values literal or references,
//! and `locals`. Only literal values are evaluated; a reference that cannot be resolved to a
//! literal (a variable, a resource attribute) is a hole, never guessed.

use std::collections::HashMap;

use crate::model::{Piece, Place, Text};
use crate::read::intrinsics::normalize;

/// A value of an attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum TfValue {
    /// A string literal (or a number or boolean, as text).
    Str(String),
    /// A template: literal parts and interpolated expressions.
    Template(Vec<TfPart>),
    /// A reference (`aws_lambda_function.api.invoke_arn`, `local.origins`, `each.value`),
    /// indices left out.
    Ref(String),
    /// A list.
    List(Vec<TfValue>),
    /// An object (a map).
    Object(Vec<(String, TfValue)>),
    /// A function call.
    Call(String, Vec<TfValue>),
    /// One of these values, which one unknown: the branches of a conditional
    /// (`cond ? a : b`). Its references are those of every branch (an origin that is the API in
    /// one branch is in front of the API when deployed that way); its text is unknown.
    Either(Vec<TfValue>),
    /// Anything else (`for` expressions, operators).
    Other,
}

/// A part of a [`TfValue::Template`].
#[derive(Clone, Debug, PartialEq)]
pub enum TfPart {
    /// Literal text.
    Literal(String),
    /// `${...}`.
    Expr(TfValue),
}

/// A block's body: attributes and nested blocks, each with its line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TfBody {
    /// `name = value`.
    pub attrs: Vec<(String, TfValue, Option<u32>)>,
    /// `name { ... }` (`dynamic "name"` blocks are left out: their content is not known).
    pub blocks: Vec<(String, TfBody, Option<u32>)>,
    /// Names of `dynamic` blocks.
    pub dynamic: Vec<String>,
}

impl TfBody {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&TfValue> {
        self.attrs
            .iter()
            .find(|(n, ..)| n == name)
            .map(|(_, v, _)| v)
    }

    /// An attribute's line.
    pub fn attr_line(&self, name: &str) -> Option<u32> {
        self.attrs
            .iter()
            .find(|(n, ..)| n == name)
            .and_then(|(.., l)| *l)
    }

    /// The blocks named `name`.
    pub fn blocks<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a (String, TfBody, Option<u32>)> + 'a {
        self.blocks.iter().filter(move |(n, ..)| n == name)
    }

    /// The first block named `name`.
    pub fn block(&self, name: &str) -> Option<&TfBody> {
        self.blocks
            .iter()
            .find(|(n, ..)| n == name)
            .map(|(_, body, _)| body)
    }
}

/// A `resource` (or `data`) block.
#[derive(Clone, Debug)]
pub struct TfResource {
    /// Its type (`aws_lambda_function`).
    pub kind: String,
    /// Its address (`aws_lambda_function.api`, `module.x.aws_y.z`, `aws_y.z["key"]`).
    pub address: String,
    /// Its body.
    pub body: TfBody,
    /// Where it is written.
    pub at: Place,
    /// `each.key` and `each.value` of a `for_each` instance.
    pub each: Option<(String, String)>,
}

/// Everything read: resources, data sources, locals.
#[derive(Debug, Default)]
pub struct TfConfig {
    /// `resource` blocks (one per `for_each` key when the keys are literal).
    pub resources: Vec<TfResource>,
    /// `data` blocks (addresses start with `data.`).
    pub data: Vec<TfResource>,
    /// `locals`.
    pub locals: HashMap<String, TfValue>,
}

impl TfConfig {
    /// The resources of one type.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a TfResource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    /// The resource (or data source) at `address` (instances of `for_each`: the first).
    pub fn get(&self, address: &str) -> Option<&TfResource> {
        self.resources
            .iter()
            .chain(&self.data)
            .find(|r| r.address == address || r.address.split('[').next() == Some(address))
    }

    /// The resource a reference points into: `aws_x.y.attr` gives `aws_x.y`.
    pub fn referenced(&self, value: &TfValue, kinds: &[&str]) -> Option<&TfResource> {
        refs(value).into_iter().find_map(|r| {
            let resource = self.resource_of_ref(&r)?;
            kinds.contains(&resource.kind.as_str()).then_some(resource)
        })
    }

    fn resource_of_ref(&self, reference: &str) -> Option<&TfResource> {
        let parts: Vec<&str> = reference.split('.').collect();
        // The longest prefix that is an address (`module.m.aws_x.y`, `data.aws_x.y`).
        (2..=parts.len())
            .rev()
            .find_map(|n| self.get(&parts[..n].join(".")))
    }

    /// The text of a value in `resource` (for `each`).
    pub fn text(&self, value: &TfValue, resource: &TfResource) -> Text {
        self.text_at(value, resource, 0)
    }

    fn text_at(&self, value: &TfValue, resource: &TfResource, depth: usize) -> Text {
        // A chain of locals longer than this is a cycle.
        if depth > 16 {
            return Text::Unknown;
        }
        match value {
            TfValue::Str(text) => Text::Literal(text.clone()),
            TfValue::Ref(reference) => match reference.strip_prefix("local.") {
                Some(name) => match self.locals.get(name) {
                    Some(local) => self.text_at(local, resource, depth + 1),
                    None => Text::Unknown,
                },
                None => match (&resource.each, reference.as_str()) {
                    (Some((_, value)), "each.value") => Text::Literal(value.clone()),
                    (Some((key, _)), "each.key") => Text::Literal(key.clone()),
                    _ => Text::Unknown,
                },
            },
            TfValue::Template(parts) => {
                let pieces = parts
                    .iter()
                    .flat_map(|part| match part {
                        TfPart::Literal(text) => vec![Piece::Literal(text.clone())],
                        TfPart::Expr(expr) => match self.text_at(expr, resource, depth + 1) {
                            Text::Literal(text) => vec![Piece::Literal(text)],
                            Text::Template(pieces) => pieces,
                            Text::Unknown => vec![Piece::Hole(format!("${{{}}}", describe(expr)))],
                        },
                    })
                    .collect();
                normalize(pieces)
            }
            TfValue::Call(name, args) if name == "join" => {
                let [separator, list] = args.as_slice() else {
                    return Text::Unknown;
                };
                let Text::Literal(separator) = self.text_at(separator, resource, depth + 1) else {
                    return Text::Unknown;
                };
                let Some(items) = self.list(list, depth + 1) else {
                    return Text::Unknown;
                };
                let mut texts = Vec::new();
                for item in items {
                    match self.text_at(item, resource, depth + 1) {
                        Text::Literal(text) => texts.push(text),
                        _ => return Text::Unknown,
                    }
                }
                Text::Literal(texts.join(&separator))
            }
            _ => Text::Unknown,
        }
    }

    /// The items of a list value (through locals, `toset`, `tolist`, `concat`).
    pub fn list<'a>(&'a self, value: &'a TfValue, depth: usize) -> Option<Vec<&'a TfValue>> {
        if depth > 16 {
            return None;
        }
        match value {
            TfValue::List(items) => Some(items.iter().collect()),
            TfValue::Ref(reference) => {
                let local = self.locals.get(reference.strip_prefix("local.")?)?;
                self.list(local, depth + 1)
            }
            TfValue::Call(name, args) if name == "toset" || name == "tolist" => {
                self.list(args.first()?, depth + 1)
            }
            TfValue::Call(name, args) if name == "concat" => {
                let mut out = Vec::new();
                for arg in args {
                    out.extend(self.list(arg, depth + 1)?);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// The literal strings of a list value, if all are literal.
    pub fn strings(&self, value: &TfValue, resource: &TfResource) -> Option<Vec<String>> {
        self.list(value, 0)?
            .into_iter()
            .map(|item| match self.text(item, resource) {
                Text::Literal(text) => Some(text),
                _ => None,
            })
            .collect()
    }
}

/// The literal value of a resource's attribute.
pub fn literal(config: &TfConfig, resource: &TfResource, name: &str) -> Option<String> {
    match config.text(resource.body.attr(name)?, resource) {
        Text::Literal(text) => Some(text),
        _ => None,
    }
}

/// The address of the resource (of one of `kinds`) a reference points into.
pub fn api_address(config: &TfConfig, value: Option<&TfValue>, kinds: &[&str]) -> Option<String> {
    Some(config.referenced(value?, kinds)?.address.clone())
}

/// Every reference inside a value.
pub fn refs(value: &TfValue) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            TfValue::Ref(reference) => out.push(reference.clone()),
            TfValue::Template(parts) => {
                for part in parts {
                    if let TfPart::Expr(expr) = part {
                        pending.push(expr);
                    }
                }
            }
            TfValue::List(items) | TfValue::Call(_, items) | TfValue::Either(items) => {
                pending.extend(items);
            }
            TfValue::Object(entries) => pending.extend(entries.iter().map(|(_, v)| v)),
            TfValue::Str(_) | TfValue::Other => {}
        }
    }
    out
}

/// A short description of an expression, for a hole (`${var.domain}`).
fn describe(value: &TfValue) -> String {
    match value {
        TfValue::Ref(reference) => reference.clone(),
        TfValue::Call(name, _) => format!("{name}(…)"),
        _ => "…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource() -> TfResource {
        TfResource {
            kind: "aws_lambda_function".into(),
            address: "aws_lambda_function.api".into(),
            body: TfBody::default(),
            at: Place::default(),
            each: None,
        }
    }

    #[test]
    fn locals_join_and_templates() {
        let mut config = TfConfig::default();
        config.locals.insert(
            "origins".into(),
            TfValue::List(vec![
                TfValue::Str("https://a.example.com".into()),
                TfValue::Str("https://b.example.com".into()),
            ]),
        );
        let joined = TfValue::Call(
            "join".into(),
            vec![
                TfValue::Str(" ".into()),
                TfValue::Ref("local.origins".into()),
            ],
        );
        assert_eq!(
            config.text(&joined, &resource()),
            Text::Literal("https://a.example.com https://b.example.com".into())
        );
        let template = TfValue::Template(vec![
            TfPart::Literal("https://".into()),
            TfPart::Expr(TfValue::Ref("var.domain".into())),
        ]);
        assert_eq!(
            config.text(&template, &resource()),
            Text::Template(vec![
                Piece::Literal("https://".into()),
                Piece::Hole("${var.domain}".into())
            ])
        );
        assert_eq!(
            config.text(&TfValue::Ref("var.x".into()), &resource()),
            Text::Unknown
        );
        config
            .locals
            .insert("loop".into(), TfValue::Ref("local.loop".into()));
        assert_eq!(
            config.text(&TfValue::Ref("local.loop".into()), &resource()),
            Text::Unknown
        );
    }
}
