//! YAML (CloudFormation, SAM, `serverless.yml`) into a [`Node`] tree, with lines and local tags.
//!
//! Built from the parser's events with an explicit stack, so deep nesting cannot overflow the
//! stack; nesting deeper than [`MAX_DEPTH`] and aliases expanding past [`MAX_NODES`] values
//! (a "billion laughs" document) are refused with an error instead.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::ReadError;
use crate::tree::{Key, Node, Value};

/// The deepest nesting accepted (real templates nest a few dozen levels at most).
pub const MAX_DEPTH: usize = 256;

/// The most values a document may have once its aliases are expanded.
pub const MAX_NODES: usize = 2_000_000;

enum Frame {
    Seq {
        line: u32,
        tag: Option<String>,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        line: u32,
        tag: Option<String>,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
}

/// Parses the first document of `text`.
pub fn parse(text: &str, file: &str) -> Result<Node, ReadError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut nodes = 0usize;
    let error = |span: &Span, message: String| ReadError {
        file: file.to_owned(),
        line: Some(span.start.line() as u32),
        column: Some(span.start.col() as u32 + 1),
        message,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| ReadError {
            file: file.to_owned(),
            line: Some(e.marker().line() as u32),
            column: Some(e.marker().col() as u32 + 1),
            message: format!("not valid YAML: {}", e.info()),
        })?;
        let line = span.start.line() as u32;
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = if style == ScalarStyle::Plain && is_null(&text) {
                    Value::Null
                } else {
                    Value::Scalar(text.into_owned())
                };
                nodes += 1;
                (
                    tagged(Node::new(value, line), local_tag(tag.as_deref())),
                    anchor,
                )
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        &span,
                        format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(Frame::Seq {
                    line,
                    tag: local_tag(tag.as_deref()),
                    anchor,
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        &span,
                        format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(Frame::Map {
                    line,
                    tag: local_tag(tag.as_deref()),
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                nodes += 1;
                match stack.pop() {
                    Some(Frame::Seq {
                        line,
                        tag,
                        anchor,
                        items,
                    }) => (tagged(Node::new(Value::Seq(items), line), tag), anchor),
                    Some(Frame::Map {
                        line,
                        tag,
                        anchor,
                        entries,
                        ..
                    }) => (tagged(Node::new(Value::Map(entries), line), tag), anchor),
                    None => continue,
                }
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(error(&span, "an alias to an unknown anchor".into()));
                };
                nodes += size;
                if nodes > MAX_NODES {
                    return Err(error(
                        &span,
                        format!(
                            "its aliases expand to more than {MAX_NODES} values (an alias \
                             bomb?); write the repeated parts out"
                        ),
                    ));
                }
                (node.clone(), 0)
            }
            Event::DocumentEnd => break,
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {
                continue;
            }
        };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), count(&node)));
        }
        match stack.last_mut() {
            None => return Ok(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    *key = Some(Key {
                        name: key_text(&node),
                        line: node.line,
                    })
                }
                Some(key) if key.name == "<<" => merge(entries, node),
                // A key written twice (or over a merged one): the last one wins.
                Some(key) => match entries.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some(entry) => *entry = (key, node),
                    None => entries.push((key, node)),
                },
            },
        }
    }
    Ok(Node::new(Value::Null, 1))
}

/// `<<: *base` (or a list of them): the keys of the merged mappings that are not already there.
fn merge(entries: &mut Vec<(Key, Node)>, node: Node) {
    let maps = match node.value {
        Value::Seq(items) => items,
        other => vec![Node::new(other, node.line)],
    };
    for map in maps {
        if let Value::Map(merged) = map.value {
            for (key, value) in merged {
                if !entries.iter().any(|(k, _)| k.name == key.name) {
                    entries.push((key, value));
                }
            }
        }
    }
}

fn count(node: &Node) -> usize {
    // Iterative: a deep tree must not overflow the stack here either.
    let mut pending = vec![node];
    let mut total = 0;
    while let Some(node) = pending.pop() {
        total += 1;
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(entries) => pending.extend(entries.iter().map(|(_, v)| v)),
            Value::Tagged(_, inner) => pending.push(inner),
            Value::Null | Value::Scalar(_) => {}
        }
    }
    total
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A local tag's name (`!Ref` gives `Ref`); the core schema's tags (`!!str`) are not kept.
fn local_tag(tag: Option<&saphyr_parser::Tag>) -> Option<String> {
    let tag = tag?;
    (tag.handle == "!" && !tag.suffix.is_empty()).then(|| tag.suffix.clone())
}

fn tagged(node: Node, tag: Option<String>) -> Node {
    match tag {
        Some(tag) => {
            let line = node.line;
            Node::new(Value::Tagged(tag, Box::new(node)), line)
        }
        None => node,
    }
}

fn key_text(node: &Node) -> String {
    match &node.value {
        Value::Scalar(text) => text.clone(),
        Value::Null => String::new(),
        Value::Tagged(_, inner) => key_text(inner),
        Value::Seq(_) | Value::Map(_) => "<complex key>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<Node, ReadError> {
        parse(text, "t.yaml")
    }

    #[test]
    fn lines_tags_and_keys() {
        let doc = yaml(
            "Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      \
             Uri: !Sub \"arn:${Fn.Arn}\"\n      List: [a, !Ref B]\n",
        )
        .unwrap();
        let (key, api) = doc.get("Resources").unwrap().entry("Api").unwrap();
        assert_eq!(key.line, 2);
        assert_eq!(
            api.get("Type").unwrap().as_str(),
            Some("AWS::Serverless::HttpApi")
        );
        let uri = api.at(&["Properties", "Uri"]).unwrap();
        assert_eq!(uri.line, 5);
        let sub = uri.intrinsic().unwrap();
        assert_eq!(
            (sub.name, sub.arg.as_str()),
            ("Fn::Sub", Some("arn:${Fn.Arn}"))
        );
        let list = api.at(&["Properties", "List"]).unwrap().items();
        assert_eq!(list[1].intrinsic().unwrap().name, "Ref");
    }

    #[test]
    fn merge_keys_and_aliases() {
        let doc = yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n").unwrap();
        let thing = doc.get("thing").unwrap();
        assert_eq!(thing.get("x").unwrap().as_str(), Some("1"));
        assert_eq!(thing.get("y").unwrap().as_str(), Some("3"));
    }

    #[test]
    fn errors_name_the_position() {
        let err = yaml("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        assert!(err.to_string().starts_with("t.yaml:"), "{err}");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = yaml(&bomb).unwrap_err();
        assert!(err.message.contains("alias"), "{err}");

        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // The parser's own recursion limit, or ours: an error with a position either way.
        let err = yaml(&deep).unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let deep_map = (0..5000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        assert!(yaml(&deep_map).is_err());
    }
}
