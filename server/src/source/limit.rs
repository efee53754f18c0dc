//! Reading source answers with a byte cap, and failures in two registers: a
//! plain-words reason the public sees (`stale_reason`) and the detail
//! (URLs, PromQL, commands, HTTP causes) that only goes to the log.

use std::error::Error as _;

/// The longest Slurm answer read, bytes: a 20,000-job `/jobs` answer is about 49 MB.
pub const SLURM_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The longest Prometheus answer read, bytes (three instant queries per pool
/// answer a few kilobytes per node).
pub const PROMETHEUS_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Why a read failed: `public` says what failed in plain words (no URL, path,
/// query or command), `detail` is for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub public: String,
    pub detail: String,
}

impl Failure {
    pub fn new(public: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure { public: public.into(), detail: detail.into() }
    }

    /// Adds context (e.g. which endpoint) to the detail only.
    pub fn context(mut self, what: &str) -> Failure {
        self.detail = format!("{what}: {}", self.detail);
        self
    }
}

/// `bytes` in MiB for messages (rounded up).
pub fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// The answer of `who` (e.g. "Slurm") was larger than `max` bytes.
pub fn too_large(who: &str, max: u64) -> Failure {
    Failure::new(
        format!("{who}'s answer was larger than the {} MiB limit", mib(max)),
        format!("answer larger than {max} bytes; raise max_response_bytes if this is expected"),
    )
}

/// An HTTP client error in plain words for `who`, with its causes in the detail.
pub fn http_failure(who: &str, e: reqwest::Error, timeout_s: u64) -> Failure {
    let e = e.without_url();
    let public = if e.is_timeout() {
        format!("{who} did not answer within {timeout_s} s")
    } else if e.is_connect() {
        format!("{who} could not be reached (connection failed)")
    } else {
        format!("{who} could not be read (network error)")
    };
    Failure::new(public, describe(&e))
}

/// An HTTP error with its causes (e.g. "connection refused"), without the URL or headers.
fn describe(e: &reqwest::Error) -> String {
    let mut msg = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    msg
}

/// Reads the body of `res` as UTF-8 text, at most `max` bytes: a declared
/// `Content-Length` above it fails before reading, and a body that streams
/// past it fails as soon as it does (the rest is never read).
pub async fn read_text(mut res: reqwest::Response, who: &str, max: u64, timeout_s: u64) -> Result<String, Failure> {
    if res.content_length().is_some_and(|n| n > max) {
        return Err(too_large(who, max));
    }
    let cap = usize::try_from(max).unwrap_or(usize::MAX);
    let mut body: Vec<u8> =
        Vec::with_capacity(res.content_length().and_then(|n| usize::try_from(n).ok()).unwrap_or(0).min(cap));
    while let Some(chunk) = res.chunk().await.map_err(|e| http_failure(who, e, timeout_s))? {
        if body.len().saturating_add(chunk.len()) > cap {
            return Err(too_large(who, max));
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body).map_err(|_| Failure::new(format!("{who}'s answer could not be read"), "not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_reasons_are_plain_words() {
        let f = too_large("Slurm", SLURM_MAX_BYTES);
        assert_eq!(f.public, "Slurm's answer was larger than the 64 MiB limit");
        assert_eq!(mib(PROMETHEUS_MAX_BYTES), 8);
        assert_eq!(Failure::new("a", "b").context("nodes").detail, "nodes: b");
    }
}
