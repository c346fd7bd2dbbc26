//! Terraform plans (`terraform show -json plan.tfplan`): the planned values of every resource,
//! with the references of the configuration where a value is only known after apply.

use super::build;
use super::config::{TfBody, TfConfig, TfResource, TfValue};
use crate::model::{Dialect, Model, Place};
use crate::tree::{Node, Value};

/// Whether a document is a Terraform plan.
pub fn is_plan(doc: &Node) -> bool {
    doc.get("planned_values").is_some()
        || (doc.get("format_version").is_some() && doc.get("terraform_version").is_some())
}

/// Reads a plan.
pub fn read(doc: &Node, file: &str) -> Model {
    let mut config = TfConfig::default();
    let mut modules = vec![(String::new(), doc.at(&["planned_values", "root_module"]))];
    while let Some((_, Some(module))) = modules.pop() {
        for resource in module.get("resources").map(Node::items).unwrap_or_default() {
            let Some(address) = resource.get("address").and_then(Node::as_str) else {
                continue;
            };
            let kind = resource
                .get("type")
                .and_then(Node::as_str)
                .unwrap_or_default();
            let mode = resource
                .get("mode")
                .and_then(Node::as_str)
                .unwrap_or("managed");
            let mut body = resource.get("values").map(body_of).unwrap_or_default();
            if let Some(expressions) = configuration(doc, address) {
                add_references(&mut body, expressions);
            }
            let tf = TfResource {
                kind: kind.to_owned(),
                address: address.to_owned(),
                body,
                at: Place {
                    file: file.to_owned(),
                    resource: address.to_owned(),
                    path: String::new(),
                    line: None,
                },
                each: None,
            };
            if mode == "data" {
                config.data.push(tf);
            } else {
                config.resources.push(tf);
            }
        }
        for child in module
            .get("child_modules")
            .map(Node::items)
            .unwrap_or_default()
        {
            modules.push((String::new(), Some(child)));
        }
    }
    build::model(&config, Dialect::TerraformPlan)
}

/// Planned values: an object of attributes; a list of objects is a nested block.
fn body_of(values: &Node) -> TfBody {
    let mut body = TfBody::default();
    for (key, value) in values.entries() {
        match &value.value {
            Value::Seq(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i.value, Value::Map(_))) =>
            {
                for item in items {
                    body.blocks.push((key.name.clone(), body_of(item), None));
                }
            }
            _ => body.attrs.push((key.name.clone(), value_of(value), None)),
        }
    }
    body
}

fn value_of(node: &Node) -> TfValue {
    match &node.value {
        Value::Scalar(text) => TfValue::Str(text.clone()),
        Value::Seq(items) => TfValue::List(items.iter().map(value_of).collect()),
        Value::Map(entries) => TfValue::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), value_of(v)))
                .collect(),
        ),
        Value::Null | Value::Tagged(..) => TfValue::Other,
    }
}

/// The configuration's `expressions` of the resource at a planned address.
fn configuration<'a>(doc: &'a Node, address: &str) -> Option<&'a Node> {
    // `module.a.module.b.aws_x.y["k"]` is `aws_x.y` in module call `a`, then `b`.
    let mut module = doc.at(&["configuration", "root_module"])?;
    let mut rest = address.split('[').next()?;
    while let Some(after) = rest.strip_prefix("module.") {
        let (name, tail) = after.split_once('.')?;
        module = module.at(&["module_calls", name, "module"])?;
        rest = tail;
    }
    module
        .get("resources")?
        .items()
        .iter()
        .find(|r| r.get("address").and_then(Node::as_str) == Some(rest))?
        .get("expressions")
}

/// Where a planned value is unknown until apply (a link to another resource), the reference
/// the configuration wrote.
fn add_references(body: &mut TfBody, expressions: &Node) {
    for (key, expression) in expressions.entries() {
        if let Some(references) = expression.get("references").map(Node::items) {
            // `["aws_x.y.id", "aws_x.y"]`: the most precise one comes first.
            if let Some(reference) = references.first().and_then(Node::as_str) {
                body.attrs.retain(|(name, ..)| *name != key.name);
                body.attrs
                    .push((key.name.clone(), TfValue::Ref(reference.to_owned()), None));
            }
        } else if let Value::Seq(blocks) = &expression.value {
            for (i, block) in blocks.iter().enumerate() {
                if let Some(target) = body
                    .blocks
                    .iter_mut()
                    .filter(|(n, ..)| *n == key.name)
                    .nth(i)
                {
                    add_references(&mut target.1, block);
                }
            }
        }
    }
}
