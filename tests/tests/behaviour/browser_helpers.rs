//! Helpers of the browser harness (`cors_tests::browser`) that need no browser.

use cors_tests::browser::base64_decode;

#[test]
fn decodes_base64() {
    assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
    assert_eq!(base64_decode("aGVsbG8h").as_deref(), Some(&b"hello!"[..]));
    assert_eq!(base64_decode("aGk=\n").as_deref(), Some(&b"hi"[..]));
    assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
    assert_eq!(base64_decode("a"), None);
    assert_eq!(base64_decode("a*==="), None);
}
