//! Compiling C source + a manifest into a compliant Space Data module with Debian's clang for
//! `wasm32-wasi` (spec invoke-runtime-and-host.md 7.5).
//!
//! The output exports `memory`, `plugin_get_manifest_flatbuffer(_size)` (returning exactly the
//! given manifest bytes), `plugin_alloc` / `plugin_free` / `plugin_invoke_stream`, one
//! `() -> i32` export per method, and `_start` exactly when `command` is a surface (otherwise
//! the module is a WASI reactor exporting `_initialize`). It imports only
//! `wasi_snapshot_preview1` (plus undefined symbols when `allow_undefined_imports` is set).
//!
//! The glue is C (no libc++): a verifying PluginInvokeRequest reader, the reference's dispatch
//! rules, the `space_data_module_invoke.h` helper API and a response writer.
//!
//! [`compile_with_manifest`] embeds `crate::manifest::encode_json(manifest)` (the reference's
//! `encodePluginManifest`); [`compile`] takes the bytes as given.
//! NOTE(integrator): validating the result with compliance is left to the caller.

pub mod confine;
pub mod generate;
pub mod methods;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::runtime::InvokeMode;
use crate::{Error, ErrorCode, Result};

pub use confine::check_source_reads_no_files;
pub use methods::{MethodSpec, invoke_surfaces, method_table};

/// How to install the toolchain on Debian/Ubuntu.
pub const INSTALL_HINT: &str = "apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32";

/// The clang binary and the WASI sysroot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchain {
    pub clang: PathBuf,
    pub sysroot: PathBuf,
}

impl Toolchain {
    /// Finds clang (`$SDM_CLANG`, else `clang` on `PATH`) and the WASI sysroot
    /// (`$SDM_WASI_SYSROOT`, else Debian's `/usr` with `include/wasm32-wasi`, else
    /// `/usr/share/wasi-sysroot`), and checks that clang can target `wasm32-wasi`.
    ///
    /// Errors: `compiler-toolchain-missing`, naming the install command.
    pub fn detect() -> Result<Self> {
        let missing = |what: &str| {
            Error::new(
                ErrorCode::CompilerToolchainMissing,
                format!("{what}; install the toolchain with: {INSTALL_HINT}"),
            )
        };
        let clang =
            std::env::var_os("SDM_CLANG").map_or_else(|| PathBuf::from("clang"), PathBuf::from);
        let sysroot = match std::env::var_os("SDM_WASI_SYSROOT") {
            Some(path) => PathBuf::from(path),
            None => ["/usr", "/usr/share/wasi-sysroot"]
                .iter()
                .map(PathBuf::from)
                .find(|root| {
                    root.join("include/wasm32-wasi/stdlib.h").is_file()
                        || root.join("include/stdlib.h").is_file() && root.ends_with("wasi-sysroot")
                })
                .ok_or_else(|| missing("no WASI sysroot found (wasi-libc)"))?,
        };
        let version = Command::new(&clang)
            .arg("--version")
            .output()
            .map_err(|_| missing("clang was not found"))?;
        if !version.status.success() {
            return Err(missing("clang --version failed"));
        }
        Ok(Toolchain { clang, sysroot })
    }

    fn base_command(&self) -> Command {
        let mut command = Command::new(&self.clang);
        command
            .arg("--target=wasm32-wasi")
            .arg(format!("--sysroot={}", self.sysroot.display()))
            .arg("-O2");
        command
    }
}

/// What to compile.
#[derive(Debug, Clone)]
pub struct CompileOptions<'a> {
    /// The manifest JSON (methods, ports, `invokeSurfaces`).
    pub manifest: &'a Value,
    /// The encoded embedded manifest (`PMAN`) the accessors return.
    pub manifest_bytes: &'a [u8],
    /// The C source defining one `int METHOD(void)` per method.
    pub source: &'a str,
    /// Source language: only `c` is supported (`c++` needs libc++ for wasm32-wasi).
    pub language: &'a str,
    /// Leave undefined symbols as imports (`-Wl,--allow-undefined`), e.g. for `sdn_host`.
    pub allow_undefined_imports: bool,
}

/// A compiled module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledModule {
    pub wasm: Vec<u8>,
    pub surfaces: Vec<InvokeMode>,
    pub methods: Vec<MethodSpec>,
    /// The symbols exported, in the order of spec 7.1 step 6.
    pub exports: Vec<String>,
    /// The compliance report of the linked module against its manifest (`check` with `--wasm`).
    pub report: crate::compliance::Report,
}

/// Compiles and links; then checks that every required export is present, and validates the
/// module against its manifest (the report is returned, as the reference returns it).
///
/// Errors: `compiler-empty-source`, `compiler-unsupported-language`,
/// `compiler-invalid-method-id`, `compiler-invalid-manifest`, `compiler-failed` (with clang's
/// diagnostics), `compiler-output-invalid`, `io`.
pub fn compile(toolchain: &Toolchain, options: &CompileOptions<'_>) -> Result<CompiledModule> {
    if options.source.trim().is_empty() {
        return Err(Error::new(
            ErrorCode::CompilerEmptySource,
            "Source code is required.",
        ));
    }
    if !options.language.eq_ignore_ascii_case("c") {
        return Err(Error::new(
            ErrorCode::CompilerUnsupportedLanguage,
            format!(
                "language {:?} is not supported (only C; C++ needs libc++ for wasm32-wasi)",
                options.language
            ),
        ));
    }
    let methods = method_table(options.manifest)?;
    let surfaces = invoke_surfaces(options.manifest);
    let command = surfaces.contains(&InvokeMode::Command);
    let work = tempfile::tempdir().map_err(|err| {
        Error::new(
            ErrorCode::Io,
            format!("cannot create a temporary directory: {err}"),
        )
    })?;
    let dir = work.path();
    let write = |name: &str, text: &str| -> Result<()> {
        std::fs::write(dir.join(name), text)
            .map_err(|err| Error::new(ErrorCode::Io, format!("{name}: {err}")))
    };
    write("module.c", options.source)?;
    write("space_data_module_invoke.h", generate::INVOKE_HEADER)?;
    write("sdm_methods.h", generate::METHODS_HEADER)?;
    write("sdm_invoke_glue.c", generate::INVOKE_GLUE)?;
    write(
        "sdm_methods.c",
        &generate::method_table_unit(&methods, command),
    )?;
    write(
        "plugin_manifest_exports.c",
        &generate::manifest_unit(options.manifest_bytes)?,
    )?;

    let include = format!("-I{}", dir.display());
    for (source, extra) in [
        ("module.c", &[][..]),
        ("sdm_invoke_glue.c", &["-mbulk-memory"][..]),
        ("sdm_methods.c", &[][..]),
        ("plugin_manifest_exports.c", &[][..]),
    ] {
        let mut cmd = toolchain.base_command();
        cmd.args(extra)
            .arg("-c")
            .arg(dir.join(source))
            .arg(&include)
            .arg("-o")
            .arg(dir.join(object_name(source)));
        run(cmd, source)?;
    }

    let mut exports: Vec<String> = [
        "plugin_get_manifest_flatbuffer",
        "plugin_get_manifest_flatbuffer_size",
        "plugin_invoke_stream",
        "plugin_alloc",
        "plugin_free",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if command {
        exports.push("_start".to_owned());
    }
    exports.extend(methods.iter().map(|m| m.method_id.clone()));

    let output = dir.join("module.wasm");
    let mut link = toolchain.base_command();
    for source in [
        "module.c",
        "sdm_invoke_glue.c",
        "sdm_methods.c",
        "plugin_manifest_exports.c",
    ] {
        link.arg(dir.join(object_name(source)));
    }
    if !command {
        link.arg("-mexec-model=reactor");
    }
    if options.allow_undefined_imports {
        link.arg("-Wl,--allow-undefined");
    }
    for symbol in exports.iter().filter(|s| s.as_str() != "_start") {
        link.arg(format!("-Wl,--export={symbol}"));
    }
    link.arg("-o").arg(&output);
    run(link, "link")?;
    let wasm = std::fs::read(&output)
        .map_err(|err| Error::new(ErrorCode::Io, format!("{}: {err}", output.display())))?;

    let present = crate::wasm::exports::export_names(&wasm)?;
    for required in exports.iter().chain(std::iter::once(&"memory".to_owned())) {
        if !present.contains(required) {
            return Err(Error::new(
                ErrorCode::CompilerOutputInvalid,
                format!("the linked module does not export `{required}`"),
            ));
        }
    }
    if !command && present.iter().any(|name| name == "_start") {
        return Err(Error::new(
            ErrorCode::CompilerOutputInvalid,
            "a module without the command surface exports `_start`",
        ));
    }
    // As the reference does, the linked artifact is validated against its manifest; the report
    // goes back to the caller (the CLI prints it and fails on errors).
    let report = crate::compliance::validate_artifact(
        options.manifest,
        crate::compliance::ArtifactExports::Wasm(&wasm),
        &crate::compliance::ArtifactOptions::default(),
    )?;
    Ok(CompiledModule {
        wasm,
        surfaces,
        methods,
        exports,
        report,
    })
}

/// [`compile`] with the embedded manifest encoded from `manifest` by the manifest codec.
pub fn compile_with_manifest(
    toolchain: &Toolchain,
    manifest: &Value,
    source: &str,
    language: &str,
    allow_undefined_imports: bool,
) -> Result<CompiledModule> {
    let encoded = crate::manifest::encode_json(manifest)?;
    compile(
        toolchain,
        &CompileOptions {
            manifest,
            manifest_bytes: &encoded.bytes,
            source,
            language,
            allow_undefined_imports,
        },
    )
}

fn object_name(source: &str) -> String {
    Path::new(source)
        .with_extension("o")
        .to_string_lossy()
        .into_owned()
}

fn run(mut command: Command, step: &str) -> Result<()> {
    let output = command.output().map_err(|err| {
        Error::new(
            ErrorCode::CompilerToolchainMissing,
            format!("cannot run clang: {err}; install the toolchain with: {INSTALL_HINT}"),
        )
    })?;
    if output.status.success() {
        return Ok(());
    }
    let diagnostics = String::from_utf8_lossy(&output.stderr);
    Err(Error::new(
        ErrorCode::CompilerFailed,
        format!("{step} failed: {}", diagnostics.trim()),
    ))
}
