//! The scheme of an origin: `http` or `https`.

/// The scheme of an allowed origin: CORS origins here are `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http://`: only trustworthy for loopback hosts.
    Http,
    /// `https://`.
    Https,
}

impl Scheme {
    /// The scheme as browsers serialize it, without `://`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port browsers leave out of this scheme's origins: 80 or 443.
    #[must_use]
    pub const fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    /// The port `digits` (what follows `:` in an origin) stand for, if browsers would write it
    /// so in this scheme's origins: decimal digits without a leading zero (`0` itself aside), at
    /// most 65535, and not the default port, which they leave out.
    ///
    /// ```
    /// use cors_grammar::Scheme;
    ///
    /// assert_eq!(Scheme::Http.canonical_port(b"3000"), Some(3000));
    /// assert_eq!(Scheme::Http.canonical_port(b"03000"), None);
    /// assert_eq!(Scheme::Http.canonical_port(b"80"), None);
    /// assert_eq!(Scheme::Https.canonical_port(b"65536"), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn canonical_port(self, digits: &[u8]) -> Option<u16> {
        if digits.is_empty() || digits.len() > 5 || (digits[0] == b'0' && digits.len() > 1) {
            return None;
        }
        let mut port: u32 = 0;
        for &digit in digits {
            if !digit.is_ascii_digit() {
                return None;
            }
            port = port * 10 + u32::from(digit - b'0');
        }
        let port = u16::try_from(port).ok()?;
        (port != self.default_port()).then_some(port)
    }

    pub(super) fn from_lowercase(scheme: &str) -> Option<Self> {
        match scheme {
            "http" => Some(Scheme::Http),
            "https" => Some(Scheme::Https),
            _ => None,
        }
    }
}
