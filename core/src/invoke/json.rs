//! The reference's JavaScript object form of the envelopes, as JSON.
//!
//! Input (`*_from_json`): the object given to `encodePluginInvokeRequest` /
//! `encodePluginInvokeResponse`, with the reference's coercions (spec 2.3) and its alignment
//! quirks ([`AlignmentPolicy::Reference`]). Byte arrays are JSON arrays of numbers; 64-bit
//! values may be numbers or decimal strings. Output (`*_to_json`): the decoder's object
//! (`decodePluginInvokeRequest` / `decodePluginInvokeResponse`) with u64 values as decimal
//! strings, the form of the `*.decoded.json` vectors.
//!
//! Known approximation: the reference decides "equal to the default, so not written" before
//! truncating a value to its field width; here the comparison uses the truncated value (only
//! values that wrap to the default, such as `requiredAlignment: 65536`, differ).

use serde_json::{Map, Value, json};

use crate::fbs::{reference_opt_text, reference_text};
use crate::invoke::arena::{AlignmentPolicy, ArenaBuilder, FrameSpec};
use crate::invoke::types::{Frame, FrameSet, InvokeRequest, InvokeResponse, TypeRef, WireFormat};
use crate::js;
use crate::{Error, ErrorCode, Result};

/// Builds a request from the reference's JS object form.
///
/// Errors: `invoke-method-id-required` when `methodId` is absent or null (the reference throws
/// `FlatBuffers: field 4 must be set`), `invalid-json` for a non-object or a non-string text
/// field, and the packing errors of [`ArenaBuilder::push`].
pub fn request_from_json(value: &Value) -> Result<InvokeRequest> {
    let object = as_object(value, "invoke request")?;
    let method_id = match object.get("methodId") {
        None | Some(Value::Null) => {
            return Err(Error::new(
                ErrorCode::InvokeMethodIdRequired,
                "FlatBuffers: field 4 must be set",
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid("methodId must be a string")),
    };
    let (input_frames, payload_arena) = pack_frames(frame_list(object, "inputs", "inputFrames"))?;
    Ok(InvokeRequest {
        method_id,
        input_frames,
        payload_arena,
    })
}

/// Builds a response from the reference's JS object form (see [`request_from_json`]).
pub fn response_from_json(value: &Value) -> Result<InvokeResponse> {
    let object = as_object(value, "invoke response")?;
    let (output_frames, payload_arena) =
        pack_frames(frame_list(object, "outputs", "outputFrames"))?;
    let status = js::to_number(object.get("statusCode").unwrap_or(&Value::Null));
    Ok(InvokeResponse {
        // Stored as int32: ToInt32 wrapping.
        status_code: js::wrap_unsigned(status, 32) as u32 as i32,
        yielded: object.get("yielded") == Some(&Value::Bool(true)),
        backlog_remaining: unsigned(object.get("backlogRemaining"), 0.0, 32) as u32,
        output_frames,
        payload_arena,
        error_code: optional_string(object, "errorCode")?,
        error_message: optional_string(object, "errorMessage")?,
    })
}

/// The decoded request object (`decodePluginInvokeRequest`), `inputFrames` and `inputs` alike.
/// Strings as the reference's reader returns them (one leading BOM dropped, see
/// [`reference_text`]); the typed envelope keeps the stored text.
pub fn request_to_json(request: &InvokeRequest) -> Value {
    let frames = frames_to_json(request);
    let mut out = Map::new();
    out.insert("methodId".into(), json!(reference_text(&request.method_id)));
    out.insert("inputFrames".into(), frames.clone());
    out.insert("inputs".into(), frames);
    out.insert("payloadArena".into(), json!(request.payload_arena));
    Value::Object(out)
}

/// The decoded response object (`decodePluginInvokeResponse`).
pub fn response_to_json(response: &InvokeResponse) -> Value {
    let frames = frames_to_json(response);
    let mut out = Map::new();
    out.insert("statusCode".into(), json!(response.status_code));
    out.insert("yielded".into(), json!(response.yielded));
    out.insert("backlogRemaining".into(), json!(response.backlog_remaining));
    out.insert("outputFrames".into(), frames.clone());
    out.insert("outputs".into(), frames);
    out.insert("payloadArena".into(), json!(response.payload_arena));
    out.insert(
        "errorCode".into(),
        json!(reference_opt_text(&response.error_code)),
    );
    out.insert(
        "errorMessage".into(),
        json!(reference_opt_text(&response.error_message)),
    );
    Value::Object(out)
}

/// One frame in the decoded form, with its payload bytes.
pub fn frame_to_json(frame: &Frame, payload: &[u8]) -> Value {
    let mut out = Map::new();
    out.insert(
        "typeRef".into(),
        frame
            .type_ref
            .as_ref()
            .map_or(Value::Null, type_ref_to_json),
    );
    out.insert("portId".into(), json!(reference_opt_text(&frame.port_id)));
    out.insert("alignment".into(), json!(frame.alignment));
    out.insert("offset".into(), json!(frame.offset));
    out.insert("size".into(), json!(frame.size));
    out.insert("ownership".into(), json!(frame.ownership));
    out.insert("generation".into(), json!(frame.generation));
    out.insert("mutability".into(), json!(frame.mutability));
    out.insert("traceId".into(), json!(frame.trace_id.to_string()));
    out.insert("streamId".into(), json!(frame.stream_id));
    out.insert("sequence".into(), json!(frame.sequence.to_string()));
    out.insert("endOfStream".into(), json!(frame.end_of_stream));
    out.insert("payload".into(), json!(payload));
    Value::Object(out)
}

/// A type reference in the decoded form (`wireFormat` as text, absent strings as null).
pub fn type_ref_to_json(type_ref: &TypeRef) -> Value {
    let mut out = Map::new();
    out.insert(
        "schemaName".into(),
        json!(reference_opt_text(&type_ref.schema_name)),
    );
    out.insert(
        "fileIdentifier".into(),
        json!(reference_opt_text(&type_ref.file_identifier)),
    );
    out.insert("schemaHash".into(), json!(type_ref.schema_hash));
    out.insert(
        "acceptsAnyFlatbuffer".into(),
        json!(type_ref.accepts_any_flatbuffer),
    );
    out.insert("wireFormat".into(), json!(type_ref.wire_format.as_str()));
    out.insert(
        "rootTypeName".into(),
        json!(reference_opt_text(&type_ref.root_type_name)),
    );
    out.insert(
        "fixedStringLength".into(),
        json!(type_ref.fixed_string_length),
    );
    out.insert("byteLength".into(), json!(type_ref.byte_length));
    out.insert(
        "requiredAlignment".into(),
        json!(type_ref.required_alignment),
    );
    Value::Object(out)
}

/// Builds a type reference from its JS object form (`toFlatBufferTypeRefT`); `payload_len` is the
/// aligned-binary `byteLength` default.
pub fn type_ref_from_json(value: &Value, payload_len: usize) -> Result<TypeRef> {
    let empty = Map::new();
    let object = value.as_object().unwrap_or(&empty);
    let wire_format = match object.get("wireFormat") {
        Some(Value::String(s)) if s == "aligned-binary" => WireFormat::AlignedBinary,
        Some(Value::Number(n)) if js::number_value(n) == 1.0 => WireFormat::AlignedBinary,
        _ => WireFormat::Flatbuffer,
    };
    let byte_length_default = if wire_format == WireFormat::AlignedBinary {
        payload_len as f64
    } else {
        0.0
    };
    Ok(TypeRef {
        schema_name: optional_string(object, "schemaName")?,
        file_identifier: optional_string(object, "fileIdentifier")?,
        schema_hash: schema_hash(object.get("schemaHash")),
        accepts_any_flatbuffer: object.get("acceptsAnyFlatbuffer") == Some(&Value::Bool(true)),
        wire_format,
        root_type_name: optional_string(object, "rootTypeName")?,
        fixed_string_length: unsigned(object.get("fixedStringLength"), 0.0, 16) as u16,
        byte_length: unsigned(object.get("byteLength"), byte_length_default, 32) as u32,
        required_alignment: unsigned(object.get("requiredAlignment"), 0.0, 16) as u16,
    })
}

fn frames_to_json(set: &dyn FrameSet) -> Value {
    let frames = set
        .frames()
        .iter()
        .enumerate()
        .map(|(index, frame)| frame_to_json(frame, set.payload(index).unwrap_or_default()))
        .collect();
    Value::Array(frames)
}

fn frame_list<'a>(object: &'a Map<String, Value>, primary: &str, fallback: &str) -> &'a [Value] {
    match (object.get(primary), object.get(fallback)) {
        (Some(Value::Array(items)), _) => items,
        (_, Some(Value::Array(items))) => items,
        _ => &[],
    }
}

fn pack_frames(frames: &[Value]) -> Result<(Vec<Frame>, Vec<u8>)> {
    let mut builder = ArenaBuilder::new(AlignmentPolicy::Reference);
    let empty = Map::new();
    for frame in frames {
        let object = frame.as_object().unwrap_or(&empty);
        // Only byte containers count as payloads; anything else (even a JS string) is empty.
        let payload: Vec<u8> = match object.get("payload") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|b| js::wrap_unsigned(js::to_number(b), 8) as u8)
                .collect(),
            _ => Vec::new(),
        };
        let type_ref_value = [object.get("typeRef"), object.get("allowedType")]
            .into_iter()
            .flatten()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| json!({}));
        let type_ref = type_ref_from_json(&type_ref_value, payload.len())?;
        let fallback = if type_ref.required_alignment > 0 {
            f64::from(type_ref.required_alignment)
        } else {
            8.0
        };
        let alignment = unsigned_f64(object.get("alignment"), fallback);
        if alignment > f64::from(u32::MAX) {
            return Err(Error::new(
                ErrorCode::InvokeLimitExceeded,
                format!("frame alignment {alignment} is too large"),
            ));
        }
        let spec = FrameSpec {
            type_ref: Some(type_ref),
            port_id: optional_string(object, "portId")?,
            alignment: Some(alignment as u32),
            ownership: object
                .get("ownership")
                .map_or(0, |v| js::wrap_unsigned(js::to_number(v), 8) as u8),
            generation: unsigned(object.get("generation"), 0.0, 32) as u32,
            mutability: object
                .get("mutability")
                .map_or(0, |v| js::wrap_unsigned(js::to_number(v), 8) as u8),
            trace_id: big_u64(object.get("traceId")),
            stream_id: unsigned(object.get("streamId"), 0.0, 32) as u32,
            sequence: big_u64(object.get("sequence")),
            end_of_stream: object.get("endOfStream") == Some(&Value::Bool(true)),
        };
        builder.push(spec, &payload)?;
    }
    Ok(builder.finish())
}

/// `normalizeUnsignedInteger(v, fallback)`: `max(0, trunc(Number(v ?? fallback)))`, non-finite
/// values give the fallback.
fn unsigned_f64(value: Option<&Value>, fallback: f64) -> f64 {
    let x = match value {
        None | Some(Value::Null) => fallback,
        Some(v) => js::to_number(v),
    };
    if x.is_finite() {
        x.trunc().max(0.0)
    } else {
        fallback
    }
}

/// [`unsigned_f64`] stored in a `bits`-wide unsigned field.
fn unsigned(value: Option<&Value>, fallback: f64, bits: u32) -> u64 {
    js::wrap_unsigned(unsigned_f64(value, fallback), bits)
}

/// `normalizeBigInt` stored as u64 (two's complement modulo 2^64): finite numbers are truncated,
/// strings parsed as BigInt literals (decimal with sign, or 0x/0o/0b), anything else is 0.
fn big_u64(value: Option<&Value>) -> u64 {
    match value {
        Some(Value::Number(n)) => {
            let x = js::number_value(n);
            if !x.is_finite() {
                return 0;
            }
            let t = x.trunc();
            if t.abs() < 1.8446744073709552e19 {
                // |t| < 2^64 fits i128 exactly.
                (t as i128) as u64
            } else {
                // Multiples of 2^64 (every double this large is a multiple of 2^11): reduce exactly.
                let reduced = t % 18446744073709551616.0;
                (reduced as i128) as u64
            }
        }
        Some(Value::String(s)) => parse_bigint(js::js_trim(s)).unwrap_or(0),
        _ => 0,
    }
}

fn parse_bigint(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(head) = text.get(..2)
            && head.eq_ignore_ascii_case(prefix)
        {
            return reduce_digits(text.get(2..)?, radix, false);
        }
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    reduce_digits(digits, 10, negative)
}

/// The value of `digits` modulo 2^64 (wrapping arithmetic is exact modulo 2^64).
fn reduce_digits(digits: &str, radix: u32, negative: bool) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut acc: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        acc = acc
            .wrapping_mul(u64::from(radix))
            .wrapping_add(u64::from(d));
    }
    Some(if negative { acc.wrapping_neg() } else { acc })
}

/// `normalizeSchemaHash`: arrays as bytes, strings as hex (optional 0x; empty or odd length
/// gives no bytes; an unparsable pair gives 0 like the reference's NaN).
fn schema_hash(value: Option<&Value>) -> Vec<u8> {
    match value {
        Some(v) if !js::is_truthy(v) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|b| js::wrap_unsigned(js::to_number(b), 8) as u8)
            .collect(),
        Some(other) => {
            let text = js::to_js_string(other);
            let trimmed = js::js_trim(&text);
            let hex = match trimmed.get(..2) {
                Some(p) if p.eq_ignore_ascii_case("0x") => &trimmed[2..],
                _ => trimmed,
            };
            let units: Vec<u16> = hex.encode_utf16().collect();
            if units.is_empty() || !units.len().is_multiple_of(2) {
                return Vec::new();
            }
            units
                .chunks(2)
                .map(|pair| parse_int_hex(&String::from_utf16_lossy(pair)))
                .collect()
        }
        None => Vec::new(),
    }
}

/// `parseInt(pair, 16)` stored into a byte (NaN stores 0, negatives wrap).
fn parse_int_hex(pair: &str) -> u8 {
    let t = js::js_trim(pair);
    let (negative, body) = match t.chars().next() {
        Some('-') => (true, &t[1..]),
        Some('+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut value: i32 = 0;
    let mut any = false;
    for c in body.chars() {
        match c.to_digit(16) {
            Some(d) => {
                value = value * 16 + d as i32;
                any = true;
            }
            None => break,
        }
    }
    if !any {
        return 0;
    }
    (if negative { -value } else { value }) as u8
}

fn optional_string(object: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(&format!("{key} must be a string or null"))),
    }
}

fn as_object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| invalid(&format!("{what} must be a JSON object")))
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidJson, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigint_strings_wrap_modulo_2_pow_64() {
        assert_eq!(big_u64(Some(&json!("18446744073709551615"))), u64::MAX);
        assert_eq!(big_u64(Some(&json!("-1"))), u64::MAX);
        assert_eq!(big_u64(Some(&json!(" 42 "))), 42);
        assert_eq!(big_u64(Some(&json!("0x10"))), 16);
        assert_eq!(big_u64(Some(&json!("1.5"))), 0);
        assert_eq!(big_u64(Some(&json!(42.9))), 42);
        assert_eq!(big_u64(Some(&json!(true))), 0);
    }

    #[test]
    fn schema_hash_forms() {
        assert_eq!(schema_hash(Some(&json!("0x0a0B"))), vec![10, 11]);
        assert_eq!(schema_hash(Some(&json!("abc"))), Vec::<u8>::new());
        assert_eq!(schema_hash(Some(&json!("zz0a"))), vec![0, 10]);
        assert_eq!(schema_hash(Some(&json!([1, 257, -1]))), vec![1, 1, 255]);
        assert_eq!(schema_hash(Some(&json!(""))), Vec::<u8>::new());
    }

    #[test]
    fn string_payloads_are_empty_and_alignment_zero_becomes_one() {
        let request = request_from_json(
            &json!({"methodId": "m", "inputs": [{"payload": "hi", "alignment": 0}]}),
        )
        .unwrap();
        assert_eq!(request.input_frames[0].size, 0);
        assert_eq!(request.input_frames[0].alignment, 1);
        assert!(request.input_frames[0].type_ref.is_some());
    }

    #[test]
    fn missing_method_id_fails_and_empty_is_allowed() {
        let err = request_from_json(&json!({})).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvokeMethodIdRequired);
        assert_eq!(err.message(), "FlatBuffers: field 4 must be set");
        assert!(request_from_json(&json!({"methodId": ""})).is_ok());
    }

    #[test]
    fn response_scalars_coerce_like_the_reference() {
        let response =
            response_from_json(&json!({"statusCode": "404", "backlogRemaining": -5, "yielded": 1}))
                .unwrap();
        assert_eq!(
            (
                response.status_code,
                response.backlog_remaining,
                response.yielded
            ),
            (404, 0, false)
        );
    }
}
