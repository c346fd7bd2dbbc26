//! What a preflight asks for in `Access-Control-Request-Headers`: its names, and the value that
//! mirrors them, read in one pass over the bytes.

use http::HeaderMap;
use http::HeaderValue;
use http::header::ACCESS_CONTROL_REQUEST_HEADERS;

use crate::comma_list;

/// Every name the preflight asks for, over all its `Access-Control-Request-Headers` lines.
pub(super) fn names(request: &HeaderMap) -> impl Iterator<Item = &[u8]> {
    request
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .flat_map(|line| comma_list::elements(line.as_bytes()))
}

/// The `Access-Control-Allow-Headers` value that mirrors what `request` asks for, over all its
/// `Access-Control-Request-Headers` lines (REST and ALB events keep several apart; they are one
/// list): `None` when it names nothing, `Err` when some element is not a header name.
pub(super) fn mirrored(request: &HeaderMap) -> Option<Result<HeaderValue, ()>> {
    let mut lines = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
    match (lines.next(), lines.next()) {
        (None, _) => None,
        (Some(only), None) => mirror(only),
        (Some(_), Some(_)) => {
            let lines = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
            let joined: Vec<&[u8]> = lines.map(HeaderValue::as_bytes).collect();
            HeaderValue::from_bytes(&joined.join(&b","[..]))
                .ok()
                .and_then(|joined| mirror(&joined))
        }
    }
}

/// The `Access-Control-Allow-Headers` value that mirrors `requested`: the value itself when it
/// is a clean list of names; the names alone when it has empty elements (`a, , b`, which RFC
/// 9110 section 5.6.1 says to ignore); `None` when it names nothing; `Err` when some element is
/// not a header name.
fn mirror(requested: &HeaderValue) -> Option<Result<HeaderValue, ()>> {
    match shape(requested.as_bytes()) {
        Shape::Names => Some(Ok(requested.clone())),
        Shape::NamesAndEmpties => {
            let names: Vec<&[u8]> = comma_list::elements(requested.as_bytes()).collect();
            Some(HeaderValue::from_bytes(&names.join(&b", "[..])).map_err(|_| ()))
        }
        Shape::Empty => None,
        Shape::Malformed => Some(Err(())),
    }
}

/// The shape of a comma-separated list of header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Names only, each trimmed of ASCII whitespace what `http::HeaderName::from_bytes`
    /// accepts (1 to 65,535 token characters).
    Names,
    /// Such names, and empty elements.
    NamesAndEmpties,
    /// Empty elements only (or nothing at all).
    Empty,
    /// An element that is not a header name.
    Malformed,
}

/// Classifies `list` in one pass over its bytes, without building a `HeaderName` (which
/// allocates for every name that is not a standard header).
fn shape(list: &[u8]) -> Shape {
    // The current name's length so far, whether a space followed it, and whether an empty
    // element or a name was seen.
    let (mut len, mut spaced, mut empties, mut named) = (0_usize, false, false, false);
    for &b in list {
        match BYTE_CLASS[usize::from(b)] {
            TOKEN if !spaced => len += 1,
            SPACE => spaced = len > 0,
            COMMA if len == 0 => empties = true,
            COMMA if len <= 0xFFFF => (len, spaced, named) = (0, false, true),
            // A space inside a name, a too long name, or a byte no name has.
            _ => return Shape::Malformed,
        }
    }
    match len {
        // The last element is empty (or there was none).
        0 => empties = true,
        1..=0xFFFF => named = true,
        _ => return Shape::Malformed,
    }
    match (named, empties) {
        (true, false) => Shape::Names,
        (true, true) => Shape::NamesAndEmpties,
        (false, _) => Shape::Empty,
    }
}

const OTHER: u8 = 0;
/// A token character (RFC 9110, section 5.6.2): what `HeaderName::from_bytes` accepts.
const TOKEN: u8 = 1;
/// What `<[u8]>::trim_ascii` trims.
const SPACE: u8 = 2;
const COMMA: u8 = 3;

const BYTE_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        class[i] = if b.is_ascii_alphanumeric() {
            TOKEN
        } else if b.is_ascii_whitespace() {
            SPACE
        } else {
            match b {
                b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'
                | b'_' | b'`' | b'|' | b'~' => TOKEN,
                b',' => COMMA,
                _ => OTHER,
            }
        };
        i += 1;
    }
    class
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every element, trimmed, is empty or what `HeaderName::from_bytes` takes.
    fn shape_by_header_name(list: &[u8]) -> Shape {
        let elements: Vec<&[u8]> = list.split(|b| *b == b',').map(<[u8]>::trim_ascii).collect();
        let named = elements.iter().any(|e| !e.is_empty());
        let empties = elements.iter().any(|e| e.is_empty());
        if elements
            .iter()
            .any(|e| !e.is_empty() && http::HeaderName::from_bytes(e).is_err())
        {
            Shape::Malformed
        } else if !named {
            Shape::Empty
        } else if empties {
            Shape::NamesAndEmpties
        } else {
            Shape::Names
        }
    }

    #[test]
    fn lists_are_classified_as_header_name_would() {
        let mut lists: Vec<Vec<u8>> = [
            &b"content-type"[..],
            b"content-type, x-request-id",
            b"Content-Type,X-Request-Id",
            b" a , b ",
            b"",
            b",",
            b"a,,b",
            b"a, ",
            b"x y",
            b"a;b",
            b"\"a\"",
            b"a ,b",
            b" a",
            b"a\t",
            b",a",
            b"a b,c",
            b"a,\x0cb\r",
            b"  ",
            b"a, ,b",
            b"content-type, , x-a",
        ]
        .map(<[u8]>::to_vec)
        .to_vec();
        for byte in 0..=u8::MAX {
            lists.push(vec![byte]);
            lists.push([b"x-", &[byte][..], b"-y"].concat());
            lists.push([b"content-type, ", &[byte][..]].concat());
        }
        for len in [64, 65, 0xFFFF, 0x1_0000] {
            lists.push(vec![b'a'; len]);
            lists.push([&b"b, "[..], &vec![b'a'; len], b" ,c"].concat());
        }
        for list in &lists {
            assert_eq!(
                shape(list),
                shape_by_header_name(list),
                "{:?}",
                String::from_utf8_lossy(list)
            );
        }
    }

    #[test]
    fn empty_elements_are_dropped_from_the_mirror() {
        let mirrored = |list: &'static str| {
            mirror(&HeaderValue::from_static(list))
                .map(|v| v.map(|v| v.to_str().unwrap().to_owned()))
        };
        assert_eq!(
            mirrored("content-type,x-a"),
            Some(Ok("content-type,x-a".into()))
        );
        assert_eq!(
            mirrored("content-type, , x-a"),
            Some(Ok("content-type, x-a".into()))
        );
        assert_eq!(mirrored(",x-a,"), Some(Ok("x-a".into())));
        assert_eq!(mirrored(" , "), None);
        assert_eq!(mirrored("x a"), Some(Err(())));
    }
}
