//! A parsed YAML or JSON document: values with the line each starts on, and the tags of
//! CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, ...).

/// One value of a document and the line (1-based) it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// The line it starts on, 1-based.
    pub line: u32,
}

/// A value. Scalars keep their text as written (`true`, `10`, `"x"` all as text): templates
/// compare strings, and CloudFormation accepts `"true"` wherever `true` goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~`, or nothing.
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Key, Node)>),
    /// A value with a local tag (`!Ref X`): the tag without its `!`.
    Tagged(String, Box<Node>),
}

/// A mapping's key: its text (a key that is not a scalar is written as text) and its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// The line it is on, 1-based.
    pub line: u32,
}

/// An intrinsic function: its long name (`Ref`, `Fn::Sub`, `Fn::GetAtt`, ...) and argument,
/// whether written `{"Fn::Sub": ...}` or `!Sub ...`.
#[derive(Clone, Copy, Debug)]
pub struct Intrinsic<'a> {
    /// `Ref`, `Condition`, or `Fn::Name`.
    pub name: &'a str,
    /// The argument.
    pub arg: &'a Node,
}

impl Node {
    /// A node of `value` at `line`.
    pub fn new(value: Value, line: u32) -> Node {
        Node { value, line }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The key `key` of a mapping, with its value.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entries()
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    /// The value under a chain of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// A boolean, written `true`/`false` in any case (CloudFormation also accepts strings).
    pub fn as_bool(&self) -> Option<bool> {
        let text = self.as_str()?;
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The intrinsic function this value is, if any.
    pub fn intrinsic(&self) -> Option<Intrinsic<'_>> {
        match &self.value {
            Value::Tagged(tag, arg) => {
                let name = match tag.as_str() {
                    "Ref" => "Ref",
                    "Condition" => "Condition",
                    "Sub" => "Fn::Sub",
                    "GetAtt" => "Fn::GetAtt",
                    "Join" => "Fn::Join",
                    "If" => "Fn::If",
                    "Select" => "Fn::Select",
                    "Split" => "Fn::Split",
                    "ImportValue" => "Fn::ImportValue",
                    "FindInMap" => "Fn::FindInMap",
                    "Base64" => "Fn::Base64",
                    "GetAZs" => "Fn::GetAZs",
                    "Equals" => "Fn::Equals",
                    "Not" => "Fn::Not",
                    "And" => "Fn::And",
                    "Or" => "Fn::Or",
                    "Cidr" => "Fn::Cidr",
                    "Transform" => "Fn::Transform",
                    "ToJsonString" => "Fn::ToJsonString",
                    "Length" => "Fn::Length",
                    _ => return None,
                };
                Some(Intrinsic { name, arg })
            }
            Value::Map(entries) => match entries.as_slice() {
                [(key, arg)]
                    if key.name == "Ref"
                        || key.name == "Condition"
                        || key.name.starts_with("Fn::") =>
                {
                    Some(Intrinsic {
                        name: &key.name,
                        arg,
                    })
                }
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str) -> Node {
        Node::new(Value::Scalar(text.into()), 1)
    }

    fn key(name: &str) -> Key {
        Key {
            name: name.into(),
            line: 1,
        }
    }

    #[test]
    fn short_and_long_intrinsics_read_the_same() {
        let short = Node::new(
            Value::Tagged("GetAtt".into(), Box::new(scalar("Fn.Arn"))),
            3,
        );
        let long = Node::new(Value::Map(vec![(key("Fn::GetAtt"), scalar("Fn.Arn"))]), 3);
        for node in [short, long] {
            let intrinsic = node.intrinsic().expect("an intrinsic");
            assert_eq!(intrinsic.name, "Fn::GetAtt");
            assert_eq!(intrinsic.arg.as_str(), Some("Fn.Arn"));
        }
        let plain = Node::new(
            Value::Map(vec![(key("Ref"), scalar("A")), (key("B"), scalar("C"))]),
            1,
        );
        assert!(
            plain.intrinsic().is_none(),
            "two keys: a mapping, not a Ref"
        );
        assert!(
            Node::new(Value::Tagged("Custom".into(), Box::new(scalar("x"))), 1)
                .intrinsic()
                .is_none()
        );
    }

    #[test]
    fn booleans_in_any_case() {
        assert_eq!(scalar("True").as_bool(), Some(true));
        assert_eq!(scalar("false").as_bool(), Some(false));
        assert_eq!(scalar("yes").as_bool(), None);
    }
}
