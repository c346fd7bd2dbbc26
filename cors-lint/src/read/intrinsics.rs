//! CloudFormation values: what a property's text is (`!Sub`, `!Join`), and which resources it
//! refers to (`!Ref`, `!GetAtt`, `${Name.Attr}`), without evaluating anything deploy-time.

use crate::model::{Piece, Text};
use crate::tree::{Node, Value};

/// The text of a value: literal, a template with holes (`!Sub`, `!Join` of known and unknown
/// parts), or unknown (`!Ref` to a parameter, `!If`, ...).
pub fn text(node: &Node) -> Text {
    if let Some(intrinsic) = node.intrinsic() {
        return match intrinsic.name {
            "Fn::Sub" => {
                let template = match &intrinsic.arg.value {
                    Value::Seq(items) => items.first(),
                    _ => Some(intrinsic.arg),
                };
                match template.and_then(Node::as_str) {
                    Some(template) => sub(template),
                    None => Text::Unknown,
                }
            }
            "Fn::Join" => join(intrinsic.arg),
            _ => Text::Unknown,
        };
    }
    match &node.value {
        Value::Scalar(text) => Text::Literal(text.clone()),
        _ => Text::Unknown,
    }
}

/// The pieces of a `Fn::Sub` template: `${Name}` is a hole, `${!Literal}` the text `${Literal}`.
pub fn sub(template: &str) -> Text {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = template;
    while let Some(at) = rest.find("${") {
        literal.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            literal.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        if let Some(escaped) = name.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
        } else {
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Hole(format!("${{{name}}}")));
        }
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if pieces.is_empty() {
        return Text::Literal(literal);
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Text::Template(pieces)
}

fn join(arg: &Node) -> Text {
    let [separator, parts] = arg.items() else {
        return Text::Unknown;
    };
    let Some(separator) = separator.as_str() else {
        return Text::Unknown;
    };
    if parts.intrinsic().is_some() {
        return Text::Unknown;
    }
    let mut pieces = Vec::new();
    for (i, part) in parts.items().iter().enumerate() {
        if i > 0 && !separator.is_empty() {
            pieces.push(Piece::Literal(separator.to_owned()));
        }
        match text(part) {
            Text::Literal(text) => pieces.push(Piece::Literal(text)),
            Text::Template(inner) => pieces.extend(inner),
            Text::Unknown => pieces.push(Piece::Hole("${…}".to_owned())),
        }
    }
    normalize(pieces)
}

/// Merges adjacent literal pieces; a template without holes is a literal.
pub fn normalize(pieces: Vec<Piece>) -> Text {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Literal(last)), Piece::Literal(next)) => last.push_str(&next),
            (_, piece) => out.push(piece),
        }
    }
    match out.as_slice() {
        [] => Text::Literal(String::new()),
        [Piece::Literal(text)] => Text::Literal(text.clone()),
        _ => Text::Template(out),
    }
}

/// The logical ids a value refers to, anywhere inside it: `!Ref X`, `!GetAtt X.Attr`,
/// `${X}` and `${X.Attr}` in `!Sub`. Pseudo parameters (`AWS::Region`) are left out.
pub fn refs(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        if let Some(intrinsic) = node.intrinsic() {
            match intrinsic.name {
                "Ref" => {
                    if let Some(name) = intrinsic.arg.as_str() {
                        push_ref(&mut out, name);
                    }
                }
                "Fn::GetAtt" => {
                    let name = match &intrinsic.arg.value {
                        Value::Scalar(text) => text.split('.').next(),
                        Value::Seq(items) => items.first().and_then(Node::as_str),
                        _ => None,
                    };
                    if let Some(name) = name {
                        push_ref(&mut out, name);
                    }
                }
                "Fn::Sub" => {
                    let template = match &intrinsic.arg.value {
                        Value::Seq(items) => {
                            pending.extend(items.iter().skip(1));
                            items.first()
                        }
                        _ => Some(intrinsic.arg),
                    };
                    if let Some(Text::Template(pieces)) = template.and_then(Node::as_str).map(sub) {
                        for piece in pieces {
                            if let Piece::Hole(hole) = piece {
                                let name = hole.trim_start_matches("${").trim_end_matches('}');
                                push_ref(&mut out, name.split('.').next().unwrap_or(name));
                            }
                        }
                    }
                }
                _ => pending.push(intrinsic.arg),
            }
            continue;
        }
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(entries) => pending.extend(entries.iter().map(|(_, v)| v)),
            Value::Tagged(_, inner) => pending.push(inner),
            Value::Null | Value::Scalar(_) => {}
        }
    }
    out
}

fn push_ref(out: &mut Vec<String>, name: &str) {
    if !name.starts_with("AWS::") && !name.is_empty() && !out.iter().any(|n| n == name) {
        out.push(name.to_owned());
    }
}

/// A gateway response's `ResponseParameters` (`responseParameters`): each
/// `gatewayresponse.header.NAME` as (`NAME`, its mapping value).
pub fn gateway_response_headers(parameters: Option<&Node>) -> Vec<(String, Text)> {
    parameters
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(name, value)| {
            let header = name.name.strip_prefix("gatewayresponse.header.")?;
            Some((header.to_owned(), text(value)))
        })
        .collect()
}

/// Whether any of a mock integration's responses sets an `Access-Control-*` header (their
/// `ResponseParameters`, or `responseParameters` in OpenAPI).
pub fn sets_cors_headers<'a>(responses: impl IntoIterator<Item = &'a Node>, key: &str) -> bool {
    responses.into_iter().any(|response| {
        response
            .get(key)
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .any(|(name, _)| name.name.contains("Access-Control-"))
    })
}

/// The strings of a list value (`[a, b]`, or one string); `None` if any is not literal.
pub fn string_list(node: &Node) -> Option<Vec<String>> {
    match &node.value {
        Value::Scalar(text) => Some(vec![text.clone()]),
        Value::Seq(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    fn node(text: &str) -> Node {
        yaml::parse(text, "t.yaml").unwrap()
    }

    #[test]
    fn sub_and_join_keep_literal_parts() {
        assert_eq!(
            text(&node(
                "!Sub 'https://${Dist.DomainName} https://a.example.com ${!Literal}'"
            )),
            Text::Template(vec![
                Piece::Literal("https://".into()),
                Piece::Hole("${Dist.DomainName}".into()),
                Piece::Literal(" https://a.example.com ${Literal}".into()),
            ])
        );
        assert_eq!(
            text(&node(
                "!Join [' ', [https://a.example.com, https://b.example.com]]"
            )),
            Text::Literal("https://a.example.com https://b.example.com".into())
        );
        assert_eq!(text(&node("!Ref Origins")), Text::Unknown);
        assert_eq!(text(&node("{'Fn::If': [C, a, b]}")), Text::Unknown);
    }

    #[test]
    fn refs_in_every_form() {
        let uri = node(
            "{'Fn::Join': ['', ['arn:', {Ref: 'AWS::Partition'}, ':apigateway:', \
             {'Fn::GetAtt': [Handler, Arn]}, '/invocations']]}",
        );
        assert_eq!(refs(&uri), ["Handler"]);
        assert_eq!(
            refs(&node("!Sub 'arn:${AWS::Region}:${Fn.Arn}/${Api}'")),
            ["Fn", "Api"]
        );
    }
}
