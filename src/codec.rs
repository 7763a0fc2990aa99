//! The one wire format of every server function's answer: JSON, decoded in the browser
//! from text.
//!
//! Leptos decodes a resource's server-rendered value with `serde_json::from_str`, while
//! server_fn's own `Json` decodes an answer with `serde_json::from_slice`. Both are
//! generic over their reader, so every type a page receives both ways (search results,
//! a credential, `AppError`) was compiled into the WASM twice. `JsonText` decodes answers
//! through `from_str` too, so each type's deserialiser exists once. The bytes on the wire
//! are exactly server_fn's `Json`.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON with `application/json`, decoded from UTF-8 text.
pub struct JsonTextEncoding;

/// A server function's answer as JSON (`#[server(output = crate::codec::JsonText)]`).
pub type JsonText = Post<JsonTextEncoding>;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| <serde_json::Error as serde::de::Error>::custom("not UTF-8"))?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_bad_bytes_are_an_error() {
        let sent = vec![("Māori".to_owned(), 3_u32)];
        let bytes = <JsonTextEncoding as Encodes<_>>::encode(&sent).unwrap();
        let back: Vec<(String, u32)> = <JsonTextEncoding as Decodes<_>>::decode(bytes).unwrap();
        assert_eq!(back, sent);
        let bad = <JsonTextEncoding as Decodes<Vec<u32>>>::decode(Bytes::from_static(b"[\xff]"));
        assert!(bad.is_err());
    }
}
