//! Every request the pages make: the JSON endpoints and the live
//! `/api/v1/events` stream. Components never call the network themselves.

use gloo_net::eventsource::futures::{EventSource, EventSourceSubscription};
use gloo_net::http::{Request, Response};
use kairr_shared::api::{ApiError, IncidentsResponse, ProgrammeEvent, QueuesResponse, StatusSummary};
use kairr_shared::catalogue::Catalogue;
use kairr_shared::display::labels::api_error;
use serde::de::DeserializeOwned;
use web_sys::MessageEvent;

use crate::common::i18n::current_locale;

/// Path of the live summary.
pub const STATUS_URL: &str = "/api/v1/status";
/// Path of incidents and maintenance.
pub const INCIDENTS_URL: &str = "/api/v1/incidents";
/// Path of the Server-Sent Events stream.
pub const EVENTS_URL: &str = "/api/v1/events";
/// The Atom feed of incidents and maintenance.
pub const FEED_URL: &str = "/feed.atom";
/// The OpenAPI document of the API.
pub const OPENAPI_URL: &str = "/api/openapi.json";
/// Path of the catalogue the placement engine uses.
pub const CATALOGUE_URL: &str = "/api/v1/catalogue";
/// Path of every pool's queue (input of the wait prediction).
pub const QUEUES_URL: &str = "/api/v1/queues";
/// Name of the SSE event that carries a [`StatusSummary`].
pub const STATUS_EVENT: &str = "status";

/// Why a request failed. Shown to the user once, by the component that needs the data.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// No answer: offline, DNS, refused connection, CORS.
    Network(String),
    /// The server answered 4xx/5xx; `api` is its JSON error body when it sent one.
    Http { status: u16, api: Option<ApiError> },
    /// The body was not the JSON we expect.
    Decode(String),
    /// The live stream could not be opened or was closed by the browser.
    Stream(String),
}

impl FetchError {
    /// A form's own problems, found before sending it, in the shape the
    /// server would answer them (400, `invalid_input`, every field), so one
    /// path shows both.
    pub fn invalid(errors: kairr_shared::advisor::FieldErrors) -> FetchError {
        let field = errors.0.first().map(|e| e.field.clone());
        FetchError::Http {
            status: 400,
            api: Some(ApiError { error: "invalid_input".to_owned(), field, message: String::new(), fields: errors.0 }),
        }
    }

    /// A short detail to show under the translated message: for an API
    /// error, what its code means in the current language (never the
    /// server's English sentence), with the status and code for support
    /// when the server failed (5xx).
    pub fn detail(&self) -> String {
        self.detail_in(current_locale())
    }

    /// [`FetchError::detail`] in `loc` (for a page without the locale context).
    pub fn detail_in(&self, loc: kairr_shared::i18n::Locale) -> String {
        match self {
            FetchError::Network(m) | FetchError::Decode(m) | FetchError::Stream(m) => m.clone(),
            // A refusal (4xx) is said in words only; a server failure also
            // names its status and code, for whoever the reader reports it to.
            FetchError::Http { status, api: Some(e) } if *status < 500 => api_error(loc, e),
            FetchError::Http { status, api: Some(e) } => {
                format!("{} (HTTP {status}, {})", api_error(loc, e), e.error)
            }
            FetchError::Http { status, api: None } => format!("HTTP {status}"),
        }
    }
}

/// `GET /api/v1/status`.
pub async fn fetch_status() -> Result<StatusSummary, FetchError> {
    get_json(Request::get(STATUS_URL)).await
}

/// The status page (`url`: path and query) as the server renders it now, as
/// HTML: the whole page or its live part.
pub async fn fetch_page(url: &str, part: kairr_shared::api::PagePart) -> Result<String, FetchError> {
    let mut request = Request::get(url).header("Accept", "text/html");
    if let Some(value) = part.header_value() {
        request = request.header(kairr_shared::api::PART_HEADER, value);
    }
    let response = request.send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(FetchError::Http { status: response.status(), api: None });
    }
    response.text().await.map_err(|e| FetchError::Network(e.to_string()))
}

/// `GET /api/v1/catalogue`: the fleet, prices and advisor policy as JSON
/// (the browser never parses the TOML).
pub async fn fetch_catalogue() -> Result<Catalogue, FetchError> {
    get_json(Request::get(CATALOGUE_URL)).await
}

/// `GET /api/v1/queues`.
pub async fn fetch_queues() -> Result<QueuesResponse, FetchError> {
    get_json(Request::get(QUEUES_URL)).await
}

/// `GET /api/v1/incidents`.
pub async fn fetch_incidents() -> Result<IncidentsResponse, FetchError> {
    get_json(Request::get(INCIDENTS_URL)).await
}

/// Opens `/api/v1/events` and subscribes to its `status` events.
///
/// Keep the returned [`EventSource`] alive as long as the subscription is read:
/// dropping it closes the connection. The subscription yields an error only
/// when the browser gave up reconnecting (the source is then closed).
pub fn subscribe_status() -> Result<(EventSource, EventSourceSubscription), FetchError> {
    subscribe(STATUS_EVENT)
}

/// Name of the SSE event that says a programme round changed ([`ProgrammeEvent`]).
pub const PROGRAMME_EVENT: &str = "programme";

/// Opens `/api/v1/events` and subscribes to its `programme` events (see [`subscribe_status`]).
pub fn subscribe_programme() -> Result<(EventSource, EventSourceSubscription), FetchError> {
    subscribe(PROGRAMME_EVENT)
}

fn subscribe(event: &str) -> Result<(EventSource, EventSourceSubscription), FetchError> {
    let mut source = EventSource::new(EVENTS_URL).map_err(|e| FetchError::Stream(e.to_string()))?;
    let subscription = source.subscribe(event).map_err(|e| FetchError::Stream(e.to_string()))?;
    Ok((source, subscription))
}

/// Decodes the JSON data of one `programme` event.
pub fn decode_programme_event(event: &MessageEvent) -> Result<ProgrammeEvent, FetchError> {
    decode_event(event)
}

/// Decodes the JSON data of one `status` event.
pub fn decode_status_event(event: &MessageEvent) -> Result<StatusSummary, FetchError> {
    decode_event(event)
}

fn decode_event<T: DeserializeOwned>(event: &MessageEvent) -> Result<T, FetchError> {
    let Some(text) = event.data().as_string() else {
        return Err(FetchError::Decode("event without text data".to_owned()));
    };
    from_json(&text).map_err(FetchError::Decode)
}

/// `text` as a `T`: every app decodes JSON here. In the browser the text is
/// parsed by its own `JSON.parse` and read into Rust by `serde-wasm-bindgen`,
/// so no app links `serde_json`'s parser and its per-type instantiations
/// (see ARCHITECTURE.md); the native build (the library's unit tests) uses `serde_json`.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let value = js_sys::JSON::parse(text).map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// `GET`s `request` as JSON (every app's reads go through here).
pub(crate) async fn get_json<T: DeserializeOwned>(request: gloo_net::http::RequestBuilder) -> Result<T, FetchError> {
    let response =
        request.header("Accept", "application/json").send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    decode(response).await
}

/// The JSON body of a successful `response`, or the failure: the status
/// and, when the server said it, its [`ApiError`] (code, field, message).
pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    if !response.ok() {
        let status = response.status();
        let api = match response.text().await {
            Ok(text) => from_json::<ApiError>(&text).ok(),
            Err(_) => None,
        };
        return Err(FetchError::Http { status, api });
    }
    let text = response.text().await.map_err(|e| FetchError::Network(e.to_string()))?;
    from_json(&text).map_err(FetchError::Decode)
}
