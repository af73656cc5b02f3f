package sdm

// #include "space_data_module.h"
import "C"

import (
	"encoding/json"
	"unicode/utf8"
)

// Program is what a program run is given besides stdin: the module's _start runs as a WASI
// program (Module.Run). The zero value runs it with no arguments, an empty environment and no
// directories.
type Program struct {
	// Args are argv[1:] (argv[0] is always "module").
	Args []string
	// Env is the whole environment (nothing is inherited from this process); the program sees
	// it in key order.
	Env map[string]string
	// Preopens are host directories the program may open.
	Preopens []Preopen
}

// Preopen makes the host directory HostPath visible to the program at GuestPath. A relative
// HostPath resolves against the working directory of this process.
type Preopen struct {
	HostPath  string
	GuestPath string
	// Writable grants writing; a preopen is read-only unless said otherwise.
	Writable bool
}

// ProgramOutput is what a program run produced. A non-zero exit code is a result, not an
// error.
type ProgramOutput struct {
	// ExitCode is the WASI exit code (0 when _start returned normally).
	ExitCode int32
	Stdout   []byte
	Stderr   []byte
}

// The library's program JSON (api::program::Program).
type wireProgram struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Preopens []wirePreopen     `json:"preopens"`
}

type wirePreopen struct {
	HostPath  string `json:"hostPath"`
	GuestPath string `json:"guestPath"`
	ReadOnly  bool   `json:"readOnly"`
}

// programJSON renders prog for sdm_module_run. Text that is not UTF-8 is refused here:
// encoding/json would silently replace the bytes, so the program would see other text.
func programJSON(prog Program) ([]byte, error) {
	wire := wireProgram{Args: prog.Args, Env: prog.Env, Preopens: make([]wirePreopen, len(prog.Preopens))}
	if wire.Args == nil {
		wire.Args = []string{}
	}
	if wire.Env == nil {
		wire.Env = map[string]string{}
	}
	check := func(what, text string) error {
		if !utf8.ValidString(text) {
			return invalidArgument("program %s %q is not UTF-8", what, text)
		}
		return nil
	}
	for _, arg := range prog.Args {
		if err := check("argument", arg); err != nil {
			return nil, err
		}
	}
	for name, value := range prog.Env {
		if err := check("environment name", name); err != nil {
			return nil, err
		}
		if err := check("environment value", value); err != nil {
			return nil, err
		}
	}
	for i, preopen := range prog.Preopens {
		if err := check("preopen host path", preopen.HostPath); err != nil {
			return nil, err
		}
		if err := check("preopen guest path", preopen.GuestPath); err != nil {
			return nil, err
		}
		wire.Preopens[i] = wirePreopen{HostPath: preopen.HostPath, GuestPath: preopen.GuestPath, ReadOnly: !preopen.Writable}
	}
	text, err := json.Marshal(wire)
	if err != nil {
		return nil, invalidArgument("program: %v", err)
	}
	return text, nil
}

// Run runs the module's _start once, in a fresh instance, as a WASI program (sdm_module_run):
// prog's arguments, environment and preopened directories, stdin as its standard input.
// host nil = every sdn_host capability denied; else the host's policy narrowed to what the
// module's verified manifest declares. limits nil = DefaultLimits().
//
// Errors: CodeInvalidArgument (e.g. an environment name with '=', a NUL in any text),
// CodeRuntimeMissingExport (no _start), CodeRuntimeRequestTooLarge (stdin above
// MaxRequestBytes), CodeRuntimeResponseTooLarge (stdout above MaxResponseBytes), the limit
// and trap codes, and a preopen whose host directory cannot be opened.
func (m *Module) Run(prog Program, stdin []byte, host *Host, limits *Limits) (*ProgramOutput, error) {
	text, err := programJSON(prog)
	if err != nil {
		return nil, err
	}
	var cLimits *C.sdm_limits
	if limits != nil {
		converted := limits.toC()
		cLimits = &converted
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return nil, invalidArgument("the module is closed")
	}
	var cHost *C.sdm_host
	if host != nil {
		host.mu.RLock()
		defer host.mu.RUnlock()
		if host.ptr == nil {
			return nil, invalidArgument("the host is closed")
		}
		cHost = host.ptr
	}
	var exitCode C.int32_t
	var stdout, stderr C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_module_run(m.ptr, inPtr(text), inLen(text), inPtr(stdin), inLen(stdin), cHost, cLimits,
			&exitCode, &stdout, &stderr)
	}); err != nil {
		return nil, err
	}
	return &ProgramOutput{ExitCode: int32(exitCode), Stdout: takeBytes(&stdout), Stderr: takeBytes(&stderr)}, nil
}
