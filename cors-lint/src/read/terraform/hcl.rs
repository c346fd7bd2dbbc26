//! `.tf` files into a [`TfConfig`], with `hcl-edit` (through `hcl-rs`), which keeps where each
//! attribute and block is written, and refuses nesting deeper than it can parse safely.

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::structure::{Body, Structure};
use hcl::edit::template::Element;

use super::config::{TfBody, TfConfig, TfPart, TfResource, TfValue};
use crate::model::Place;
use crate::read::ReadError;

/// Adds one file's blocks to `config`.
pub fn read_file(config: &mut TfConfig, file: &str, text: &str) -> Result<(), ReadError> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| ReadError {
        file: file.to_owned(),
        line: Some(e.location().line() as u32),
        column: Some(e.location().column() as u32),
        message: format!("not valid HCL: {}", e.message()),
    })?;
    let lines = Lines::new(text);
    for structure in body.iter() {
        let Structure::Block(block) = structure else {
            continue;
        };
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let line = lines.of(block.span());
        match (block.ident.as_str(), labels.as_slice()) {
            (kind @ ("resource" | "data"), [resource_type, name]) => {
                let address = if kind == "data" {
                    format!("data.{resource_type}.{name}")
                } else {
                    format!("{resource_type}.{name}")
                };
                let resource = TfResource {
                    kind: (*resource_type).to_owned(),
                    at: Place {
                        file: file.to_owned(),
                        resource: address.clone(),
                        path: String::new(),
                        line,
                    },
                    address,
                    body: body_of(&block.body, &lines),
                    each: None,
                };
                if kind == "data" {
                    config.data.push(resource);
                } else {
                    config.resources.push(resource);
                }
            }
            ("locals", []) => {
                for attr in block.body.attributes() {
                    config
                        .locals
                        .insert(attr.key.as_str().to_owned(), value(&attr.value));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn body_of(body: &Body, lines: &Lines) -> TfBody {
    let mut out = TfBody::default();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => out.attrs.push((
                attr.key.as_str().to_owned(),
                value(&attr.value),
                lines.of(attr.span()),
            )),
            Structure::Block(block) if block.ident.as_str() == "dynamic" => {
                if let Some(label) = block.labels.first() {
                    out.dynamic.push(label.as_str().to_owned());
                }
            }
            Structure::Block(block) => out.blocks.push((
                block.ident.as_str().to_owned(),
                body_of(&block.body, lines),
                lines.of(block.span()),
            )),
        }
    }
    out
}

fn value(expr: &Expression) -> TfValue {
    match expr {
        Expression::String(text) => TfValue::Str(text.value().clone()),
        Expression::Number(number) => TfValue::Str(number.to_string()),
        Expression::Bool(boolean) => TfValue::Str(boolean.value().to_string()),
        Expression::Array(array) => TfValue::List(array.iter().map(value).collect()),
        Expression::Object(object) => TfValue::Object(
            object
                .iter()
                .map(|(key, item)| {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(text)) => text.value().clone(),
                        ObjectKey::Expression(other) => other.to_string(),
                    };
                    (key, value(item.expr()))
                })
                .collect(),
        ),
        Expression::StringTemplate(template) => TfValue::Template(
            template
                .iter()
                .map(|element| match element {
                    Element::Literal(text) => TfPart::Literal(text.value().clone()),
                    Element::Interpolation(interpolation) => {
                        TfPart::Expr(value(&interpolation.expr))
                    }
                    Element::Directive(_) => TfPart::Expr(TfValue::Other),
                })
                .collect(),
        ),
        Expression::Parenthesis(inner) => value(inner.inner()),
        Expression::Conditional(conditional) => TfValue::Either(vec![
            value(&conditional.true_expr),
            value(&conditional.false_expr),
        ]),
        Expression::Variable(name) => TfValue::Ref(name.as_str().to_owned()),
        Expression::Traversal(traversal) => {
            // `split("/", aws_x.y.url)[2]`: what is indexed still refers to the same things.
            let Expression::Variable(root) = &traversal.expr else {
                return value(&traversal.expr);
            };
            let mut reference = root.as_str().to_owned();
            for operator in &traversal.operators {
                if let TraversalOperator::GetAttr(name) = operator.value() {
                    reference.push('.');
                    reference.push_str(name.as_str());
                }
            }
            TfValue::Ref(reference)
        }
        Expression::FuncCall(call) => TfValue::Call(
            call.name.name.as_str().to_owned(),
            call.args.iter().map(value).collect(),
        ),
        _ => TfValue::Other,
    }
}

/// Byte offsets to lines.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    fn of(&self, span: Option<std::ops::Range<usize>>) -> Option<u32> {
        let start = span?.start;
        Some(self.starts.partition_point(|&s| s <= start) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_attributes_and_lines() {
        let mut config = TfConfig::default();
        read_file(
            &mut config,
            "main.tf",
            "locals {\n  origin = \"https://${var.domain}\"\n}\n\nresource \"aws_lambda_function_url\" \"api\" {\n  \
             function_name = aws_lambda_function.api[0].function_name\n  cors {\n    \
             allow_origins = [\"*\"]\n  }\n  dynamic \"x\" {\n  }\n}\n",
        )
        .unwrap();
        let url = &config.resources[0];
        assert_eq!(url.address, "aws_lambda_function_url.api");
        assert_eq!(url.at.line, Some(5));
        assert_eq!(
            url.body.attr("function_name"),
            Some(&TfValue::Ref(
                "aws_lambda_function.api.function_name".into()
            ))
        );
        assert_eq!(url.body.blocks("cors").next().unwrap().2, Some(7));
        assert_eq!(url.body.dynamic, ["x"]);
        assert!(matches!(config.locals["origin"], TfValue::Template(_)));
        let err = read_file(&mut config, "bad.tf", "resource \"a\" {\n  x = \n}\n").unwrap_err();
        assert_eq!(err.file, "bad.tf");
        assert!(err.line.is_some());
    }
}
