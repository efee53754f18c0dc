//! The hand-over from the placement wizard to the programme's request form,
//! which neither app owns: the wizard's [`AllocationDraft`] (a `kairr_shared`
//! type) is left in `localStorage` under [`DRAFT_STORAGE_KEY`] (the wizard's
//! "Request this allocation") or passed as `?draft=<base64url JSON>`, and
//! read back here.

use kairr_shared::advisor::export::AllocationDraft;

/// `localStorage` key under which the wizard leaves its draft for the request form.
pub const DRAFT_STORAGE_KEY: &str = "kairr.advisor.draft";

/// Why a draft could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// Not base64url.
    Encoding,
    /// Not the wizard's JSON.
    Json(String),
}

/// Decodes unpadded or padded base64url (RFC 4648 §5); standard `+`/`/` are accepted too.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, DraftError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim().trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return Err(DraftError::Encoding),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Encodes bytes as unpadded base64url (what the wizard puts in `?draft=`).
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// Parses the wizard's draft from the JSON text.
pub fn parse_draft_json(json: &str) -> Result<AllocationDraft, DraftError> {
    crate::common::api::from_json(json).map_err(DraftError::Json)
}

/// Parses the `?draft=` parameter (base64url of the JSON).
pub fn parse_draft_param(param: &str) -> Result<AllocationDraft, DraftError> {
    let bytes = base64url_decode(param)?;
    let json = String::from_utf8(bytes).map_err(|_| DraftError::Encoding)?;
    parse_draft_json(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for text in ["", "a", "ab", "abc", "abcd", "{\"한국어\":true}", "~~~???>>>"] {
            let encoded = base64url_encode(text.as_bytes());
            assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
            assert_eq!(base64url_decode(&encoded).unwrap(), text.as_bytes(), "{text}");
        }
        assert_eq!(base64url_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64url_decode("a b"), Err(DraftError::Encoding));
    }

    #[test]
    fn a_broken_parameter_is_an_error_not_a_panic() {
        assert_eq!(parse_draft_param("!!"), Err(DraftError::Encoding));
        assert!(matches!(parse_draft_param(&base64url_encode(b"{}")), Err(DraftError::Json(_))));
    }
}
