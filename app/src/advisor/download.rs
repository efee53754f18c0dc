//! Saves text as a file in the browser (a Blob behind a temporary link).

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::common::dom::{document, warn};

/// Offers `text` for download as `file_name` with MIME type `mime`.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let doc = document().ok_or_else(|| JsValue::from("no document"))?;
    let anchor: HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoked later: the download reads the URL after this returns.
    Timeout::new(30_000, move || {
        if let Err(e) = Url::revoke_object_url(&url) {
            warn(&format!("cannot revoke the download URL: {e:?}"));
        }
    })
    .forget();
    Ok(())
}
