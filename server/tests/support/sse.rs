//! A small Server-Sent Events client for the tests: named events with JSON data.

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

/// An open `/api/v1/events` stream.
pub struct SseClient {
    chunks: Chunks,
    buf: String,
}

impl SseClient {
    /// Opens `/api/v1/events` on the server at `base`.
    pub async fn connect(base: &str) -> SseClient {
        let res = reqwest::get(format!("{base}/api/v1/events")).await.unwrap();
        assert_eq!(res.status(), 200);
        SseClient { chunks: Box::pin(res.bytes_stream()), buf: String::new() }
    }

    /// The next event called `name` (others are skipped) and its JSON data;
    /// panics when none comes `within`.
    pub async fn next(&mut self, name: &str, within: Duration) -> serde_json::Value {
        let read = async {
            loop {
                while let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let field = |f: &str| block.lines().find_map(|l| l.strip_prefix(f)).map(str::to_owned);
                    if field("event: ").as_deref() == Some(name) {
                        return serde_json::from_str(&field("data: ").unwrap()).unwrap();
                    }
                }
                let Some(chunk) = self.chunks.next().await else { panic!("the event stream closed") };
                let chunk = chunk.unwrap();
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        tokio::time::timeout(within, read).await.unwrap_or_else(|_| panic!("no `{name}` event within {within:?}"))
    }
}
