//! The runtime: load a verified module, invoke it in direct or command mode under limits and
//! a host policy (`api::invoke`); run `_start` as a WASI program (`api::program`).

use std::sync::Arc;
use std::time::Duration;

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::jlong;
use jni::{Env, EnvUnowned};
use serde::{Deserialize, Serialize};
use space_data_module::api::invoke::{self, Call};
use space_data_module::api::program::{Program, run_program};
use space_data_module::api::{HostPolicy, Limits, Runtime, RuntimeConfig};

use crate::boundary::{
    Result, bytes_array, invalid, json, new_bytes, new_string, opt_bytes, opt_string, options, run,
    string, string_array,
};
use crate::handles::{Handle, ModuleHandle, into_ptr, module, runtime, verified};

/// The engine-wide settings as Java's `RuntimeConfig` record writes them.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigJson {
    module_cache_capacity: usize,
    fuel_metering: bool,
    epoch_tick_ms: u64,
}

/// The per-call limits as Java's `Limits` record writes them (`null` fuel or timeout:
/// unlimited).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsJson {
    fuel: Option<u64>,
    timeout_ms: Option<u64>,
    max_memory_bytes: usize,
    max_table_elements: usize,
    max_request_bytes: usize,
    max_response_bytes: usize,
    max_stderr_bytes: usize,
}

impl From<&Limits> for LimitsJson {
    fn from(limits: &Limits) -> Self {
        LimitsJson {
            fuel: limits.fuel,
            timeout_ms: limits
                .timeout
                .map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
            max_memory_bytes: limits.max_memory_bytes,
            max_table_elements: limits.max_table_elements,
            max_request_bytes: limits.max_request_bytes,
            max_response_bytes: limits.max_response_bytes,
            max_stderr_bytes: limits.max_stderr_bytes,
        }
    }
}

impl From<LimitsJson> for Limits {
    fn from(json: LimitsJson) -> Self {
        Limits {
            fuel: json.fuel,
            timeout: json.timeout_ms.map(Duration::from_millis),
            max_memory_bytes: json.max_memory_bytes,
            max_table_elements: json.max_table_elements,
            max_request_bytes: json.max_request_bytes,
            max_response_bytes: json.max_response_bytes,
            max_stderr_bytes: json.max_stderr_bytes,
        }
    }
}

/// The core's default limits and runtime settings, so Java never restates them:
/// `{"limits": Limits, "config": RuntimeConfig}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn runtime_defaults<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> JString<'local> {
    run(env, |env| {
        let config = RuntimeConfig::default();
        json(
            env,
            &serde_json::json!({
                "limits": LimitsJson::from(&Limits::default()),
                "config": ConfigJson {
                    module_cache_capacity: config.module_cache_capacity,
                    fuel_metering: config.fuel_metering,
                    epoch_tick_ms: u64::try_from(config.epoch_tick.as_millis()).unwrap_or(u64::MAX),
                },
            }),
        )
    })
}

/// Checks a host policy's JSON (docs/host.md): `invalid-json` or `invalid-argument`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn host_policy_check<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    policy_json: JString<'local>,
) {
    run(env, |env| {
        let text = string(env, &policy_json, "policyJson")?;
        HostPolicy::from_json_str(&text)?;
        Ok(())
    })
}

#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn runtime_new<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    config_json: JString<'local>,
) -> jlong {
    run(env, |env| {
        let config = match opt_string(env, &config_json)? {
            None => RuntimeConfig::default(),
            Some(text) => {
                let config: ConfigJson = options(&text, "runtime config")?;
                if config.epoch_tick_ms == 0 {
                    return Err(invalid("runtime config: epochTickMs must be at least 1"));
                }
                RuntimeConfig {
                    module_cache_capacity: config.module_cache_capacity,
                    fuel_metering: config.fuel_metering,
                    epoch_tick: Duration::from_millis(config.epoch_tick_ms),
                    ..RuntimeConfig::default()
                }
            }
        };
        Ok(into_ptr(Handle::Runtime(Arc::new(Runtime::new(config)?))))
    })
}

/// Compiles a verified module (cached by hash); the module handle keeps the runtime alive.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn runtime_load<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    runtime_ptr: jlong,
    verified_ptr: jlong,
) -> jlong {
    run(env, |_| {
        let runtime = Arc::clone(runtime(runtime_ptr)?);
        let module = runtime.load(verified(verified_ptr)?)?;
        Ok(into_ptr(Handle::Module(ModuleHandle { runtime, module })))
    })
}

/// `{"modes": ["direct", "command"...], "declaredCapabilities": [...]}`.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn module_info<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module_ptr: jlong,
) -> JString<'local> {
    run(env, |env| {
        let handle = module(module_ptr)?;
        let modes: Vec<&str> = handle
            .runtime
            .modes(&handle.module)
            .iter()
            .map(|mode| mode.as_str())
            .collect();
        json(
            env,
            &serde_json::json!({
                "modes": modes,
                "declaredCapabilities": handle.module.declared_capabilities(),
            }),
        )
    })
}

/// The call's `(port, payload)` frames from two parallel arrays.
pub fn inputs(
    env: &mut Env<'_>,
    ports: &JObjectArray<'_, JString<'_>>,
    payloads: &JObjectArray<'_, JByteArray<'_>>,
) -> Result<(Vec<String>, Vec<Vec<u8>>)> {
    let ports = string_array(env, ports, "input port")?;
    let payloads = bytes_array(env, payloads, "input payload")?;
    if ports.len() != payloads.len() {
        return Err(invalid(format!(
            "{} input ports but {} payloads",
            ports.len(),
            payloads.len()
        )));
    }
    Ok((ports, payloads))
}

/// Invokes one method; the `InvokeResult` JSON (a guest's own failure is in it, not thrown).
#[allow(clippy::too_many_arguments)]
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn module_invoke<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module_ptr: jlong,
    method: JString<'local>,
    ports: JObjectArray<'local, JString<'local>>,
    payloads: JObjectArray<'local, JByteArray<'local>>,
    mode: JString<'local>,
    limits_json: JString<'local>,
    host_policy_json: JString<'local>,
) -> JString<'local> {
    run(env, |env| {
        let handle = module(module_ptr)?;
        let method = string(env, &method, "method")?;
        let (ports, payloads) = inputs(env, &ports, &payloads)?;
        let mode = opt_string(env, &mode)?
            .map(|name| invoke::parse_mode(&name))
            .transpose()?;
        let limits = match opt_string(env, &limits_json)? {
            Some(text) => Limits::from(options::<LimitsJson>(&text, "limits")?),
            None => Limits::default(),
        };
        let host_policy = opt_string(env, &host_policy_json)?
            .map(|text| HostPolicy::from_json_str(&text))
            .transpose()?;
        let call = Call {
            method: &method,
            inputs: ports
                .into_iter()
                .zip(payloads.iter().map(Vec::as_slice))
                .collect(),
            mode,
            limits,
            grants: Default::default(),
            host_policy,
        };
        let invoked = invoke::invoke(&handle.runtime, &handle.module, &call)?;
        json(env, &invoked.result())
    })
}

/// Runs the module's `_start` as a WASI program (`api::program::run_program`):
/// `Object[]{byte[] stdout, byte[] stderr, String exitCode}`. A non-zero exit is a result.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn module_run<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    module_ptr: jlong,
    program_json: JString<'local>,
    stdin: JByteArray<'local>,
    limits_json: JString<'local>,
    host_policy_json: JString<'local>,
) -> JObjectArray<'local> {
    run(env, |env| {
        let handle = module(module_ptr)?;
        let program = match opt_string(env, &program_json)? {
            Some(text) => Program::from_json(text.as_bytes())?,
            None => Program::default(),
        };
        let stdin = opt_bytes(env, &stdin)?.unwrap_or_default();
        let limits = match opt_string(env, &limits_json)? {
            Some(text) => Limits::from(options::<LimitsJson>(&text, "limits")?),
            None => Limits::default(),
        };
        let host_policy = opt_string(env, &host_policy_json)?
            .map(|text| HostPolicy::from_json_str(&text))
            .transpose()?;
        let output = run_program(
            &handle.runtime,
            &handle.module,
            &program,
            stdin,
            &limits,
            host_policy.as_ref(),
        )?;
        let array = JObjectArray::<JObject>::new(env, 3, JObject::null())?;
        let stdout = new_bytes(env, &output.stdout)?;
        array.set_element(env, 0, &stdout)?;
        let stderr = new_bytes(env, &output.stderr)?;
        array.set_element(env, 1, &stderr)?;
        let exit_code = new_string(env, &output.exit_code.to_string())?;
        array.set_element(env, 2, &exit_code)?;
        Ok(array)
    })
}
