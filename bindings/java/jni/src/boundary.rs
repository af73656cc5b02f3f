//! The one way through the JNI boundary. Every native method runs its body with [`run`]: a
//! core error, a failed JNI call and a panic all come out as a thrown
//! `org.spacedata.module.SdmException` (the subclass of the error's class), never as a Rust
//! unwind into the JVM and never as a bare `RuntimeException`.
//!
//! Arguments come in as Java strings, byte arrays and JSON text that Jackson wrote from Java
//! records; results go out as byte arrays and the JSON of the core's serde types, which the
//! Java side maps back to records.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jni::errors::ErrorPolicy;
use jni::objects::{JByteArray, JObject, JObjectArray, JString, JThrowable, JValue};
use jni::{Env, EnvUnowned, jni_sig, jni_str};
use serde::Serialize;
use serde::de::DeserializeOwned;
use space_data_module::api::{Error, ErrorClass, ErrorCode};

/// Why a native method failed.
#[derive(Debug)]
pub enum Failure {
    /// The core refused (its stable code crosses unchanged).
    Sdm(Error),
    /// A JNI call failed (a pending Java exception, out of memory...).
    Jni(jni::errors::Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Sdm(err)
    }
}

impl From<jni::errors::Error> for Failure {
    fn from(err: jni::errors::Error) -> Self {
        Failure::Jni(err)
    }
}

pub type Result<T> = std::result::Result<T, Failure>;

/// Runs a native method's body; see the module docs.
pub fn run<'local, T: Default>(
    mut env: EnvUnowned<'local>,
    body: impl FnOnce(&mut Env<'local>) -> Result<T>,
) -> T {
    env.with_env(body).resolve::<ThrowSdm>()
}

/// `invalid-argument` with a message.
pub fn invalid(message: impl Into<String>) -> Failure {
    Failure::Sdm(Error::new(ErrorCode::InvalidArgument, message))
}

/// The error policy behind [`run`].
pub struct ThrowSdm;

impl<T: Default> ErrorPolicy<T, Failure> for ThrowSdm {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        err: Failure,
    ) -> jni::errors::Result<T> {
        let error = match err {
            Failure::Sdm(error) => error,
            Failure::Jni(err) => Error::new(ErrorCode::Internal, format!("JNI call failed: {err}")),
        };
        throw(env, &error);
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let message = panic_message(payload);
        throw(
            env,
            &Error::new(ErrorCode::Panic, format!("panic in native code: {message}")),
        );
        Ok(T::default())
    }
}

fn panic_message(payload: Box<dyn Any + Send + 'static>) -> String {
    let message = if let Some(text) = payload.downcast_ref::<&'static str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-string panic payload".to_owned()
    };
    // Dropping a payload may itself panic: that must not unwind into the JVM either.
    if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
        std::mem::forget(again);
    }
    message
}

/// Throws `error` as an `SdmException`, replacing any pending Java exception (a JNI call that
/// failed left it; the caller gets the one exception type this library throws).
fn throw(env: &mut Env<'_>, error: &Error) {
    if env.exception_check() {
        env.exception_clear();
    }
    if throw_sdm(env, error).is_err() && !env.exception_check() {
        // The exception object could not be built (class missing from the class path, out of
        // memory): the JVM must still see a failure, never a default value as a result.
        let _ = env.throw_new(
            jni_str!("java/lang/IllegalStateException"),
            jni::strings::JNIString::from(error.to_string()),
        );
    }
}

fn throw_sdm(env: &mut Env<'_>, error: &Error) -> jni::errors::Result<()> {
    let code = error.code();
    let name = JString::from_str(env, code.as_str())?;
    let class = JString::from_str(env, class_name(code.class()))?;
    let message = JString::from_str(env, error.message())?;
    let exception = env
        .call_static_method(
            jni_str!("org/spacedata/module/SdmException"),
            jni_str!("fromNative"),
            jni_sig!(
                "(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Lorg/spacedata/module/SdmException;"
            ),
            &[
                JValue::Int(code.number() as i32),
                JValue::Object(&name),
                JValue::Object(&class),
                JValue::Object(&message),
            ],
        )?
        .l()?;
    let throwable = env.cast_local::<JThrowable>(exception)?;
    // `throw` reports the now-pending exception as an `Err`: that is the success case here.
    let _ = env.throw(throwable);
    Ok(())
}

/// The stable name of an error class (the Java subclass `SdmException.<Class>`).
pub fn class_name(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Io => "io",
        ErrorClass::Input => "input",
        ErrorClass::Wasm => "wasm",
        ErrorClass::Bundle => "bundle",
        ErrorClass::Security => "security",
        ErrorClass::Runtime => "runtime",
        ErrorClass::Internal => "internal",
    }
}

// ---- arguments -------------------------------------------------------------------------------

/// A required string argument.
pub fn string(env: &Env<'_>, value: &JString<'_>, what: &str) -> Result<String> {
    if value.is_null() {
        return Err(invalid(format!("{what} is null")));
    }
    Ok(value.try_to_string(env)?)
}

/// An optional string argument (`null` is `None`).
pub fn opt_string(env: &Env<'_>, value: &JString<'_>) -> Result<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(value.try_to_string(env)?))
}

/// A required byte-array argument.
pub fn bytes(env: &Env<'_>, value: &JByteArray<'_>, what: &str) -> Result<Vec<u8>> {
    if value.is_null() {
        return Err(invalid(format!("{what} is null")));
    }
    Ok(env.convert_byte_array(value)?)
}

/// An optional byte-array argument (`null` is `None`).
pub fn opt_bytes(env: &Env<'_>, value: &JByteArray<'_>) -> Result<Option<Vec<u8>>> {
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(env.convert_byte_array(value)?))
}

/// A `String[]` argument (`null` is empty); no element may be `null`.
pub fn string_array(
    env: &mut Env<'_>,
    values: &JObjectArray<'_, JString<'_>>,
    what: &str,
) -> Result<Vec<String>> {
    if values.is_null() {
        return Ok(Vec::new());
    }
    let len = values.len(env)?;
    let mut out = Vec::with_capacity(len);
    for index in 0..len {
        let element = values.get_element(env, index)?;
        out.push(string(env, &element, what)?);
        env.delete_local_ref(element);
    }
    Ok(out)
}

/// A `byte[][]` argument (`null` is empty); no element may be `null`.
pub fn bytes_array(
    env: &mut Env<'_>,
    values: &JObjectArray<'_, JByteArray<'_>>,
    what: &str,
) -> Result<Vec<Vec<u8>>> {
    if values.is_null() {
        return Ok(Vec::new());
    }
    let len = values.len(env)?;
    let mut out = Vec::with_capacity(len);
    for index in 0..len {
        let element = values.get_element(env, index)?;
        out.push(bytes(env, &element, what)?);
        env.delete_local_ref(element);
    }
    Ok(out)
}

/// Options JSON that Jackson wrote from a Java record: syntax errors are `invalid-json`, a
/// document of the wrong shape `invalid-argument` (unknown members are refused by the types).
pub fn options<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        Failure::Sdm(Error::new(ErrorCode::InvalidJson, format!("{what}: {err}")))
    })?;
    serde_json::from_value(value).map_err(|err| invalid(format!("{what}: {err}")))
}

/// Any JSON value (row payloads, module metadata).
pub fn json_value(text: &str, what: &str) -> Result<serde_json::Value> {
    serde_json::from_str(text)
        .map_err(|err| Failure::Sdm(Error::new(ErrorCode::InvalidJson, format!("{what}: {err}"))))
}

// ---- results ---------------------------------------------------------------------------------

pub fn new_bytes<'local>(env: &mut Env<'local>, bytes: &[u8]) -> Result<JByteArray<'local>> {
    Ok(env.byte_array_from_slice(bytes)?)
}

pub fn new_string<'local>(env: &mut Env<'local>, text: &str) -> Result<JString<'local>> {
    Ok(JString::from_str(env, text)?)
}

/// The JSON text of a serde value.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|err| Failure::Sdm(Error::new(ErrorCode::Internal, err.to_string())))
}

/// A serde value as a Java string of JSON.
pub fn json<'local, T: Serialize + ?Sized>(
    env: &mut Env<'local>,
    value: &T,
) -> Result<JString<'local>> {
    let text = to_json(value)?;
    new_string(env, &text)
}

/// `Object[]{byte[], String}`: bytes with the JSON that describes them.
pub fn bytes_and_json<'local, T: Serialize + ?Sized>(
    env: &mut Env<'local>,
    bytes: &[u8],
    value: &T,
) -> Result<JObjectArray<'local>> {
    let text = to_json(value)?;
    let array = JObjectArray::<JObject>::new(env, 2, JObject::null())?;
    let bytes = new_bytes(env, bytes)?;
    array.set_element(env, 0, &bytes)?;
    let text = new_string(env, &text)?;
    array.set_element(env, 1, &text)?;
    Ok(array)
}
