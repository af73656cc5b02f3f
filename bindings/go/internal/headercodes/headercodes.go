// Package headercodes reads the stable error codes from the C header
// (include/space_data_module.h): its `#define SDM_ERR_<NAME> <number>` lines, which ffi-c
// generates from the core's ErrorCode::ALL (`make codes`). No Markdown is read.
//
// It is shared by the generator of codes.go (internal/gencodes) and by the test that fails
// when codes.go and the header disagree, so both read the header the same way.
package headercodes

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Code is one SDM_ERR_* constant of the header.
type Code struct {
	// Constant is the C name, e.g. "SDM_ERR_INVALID_ARGUMENT".
	Constant string
	// Name is the stable kebab-case name, e.g. "invalid-argument": the constant's suffix in
	// lower case with '-' for '_' (a core test keeps names [a-z0-9] words joined by '-').
	Name string
	// Number is the stable number, e.g. 4.
	Number int
}

// Prefix starts the name of every code constant.
const Prefix = "SDM_ERR_"

var define = regexp.MustCompile(`^#define (SDM_ERR_[A-Z0-9_]+) ([0-9]+)\s*$`)

// Parse reads every SDM_ERR_* constant, in header order. A line that starts a code constant
// but does not have the expected shape is an error, so a change of the generator cannot
// silently drop codes; so is a repeated number or name.
func Parse(r io.Reader) ([]Code, error) {
	var codes []Code
	byNumber := map[int]string{}
	scanner := bufio.NewScanner(r)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		if !strings.HasPrefix(text, "#define "+Prefix) {
			continue
		}
		match := define.FindStringSubmatch(text)
		if match == nil {
			return nil, fmt.Errorf("header line %d: malformed code constant %q", line, text)
		}
		number, err := strconv.Atoi(match[2])
		if err != nil || number <= 0 {
			return nil, fmt.Errorf("header line %d: bad number in %q", line, text)
		}
		if previous, dup := byNumber[number]; dup {
			return nil, fmt.Errorf("header line %d: number %d used by %s and %s", line, number, previous, match[1])
		}
		byNumber[number] = match[1]
		codes = append(codes, Code{Constant: match[1], Name: KebabName(match[1]), Number: number})
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("no %s constants in the header", Prefix)
	}
	return codes, nil
}

// ParseFile parses the header at path.
func ParseFile(path string) ([]Code, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return Parse(file)
}

// HeaderPath is include/space_data_module.h relative to the directory of the Go module
// (bindings/go).
func HeaderPath(moduleDir string) string {
	return filepath.Join(moduleDir, "..", "..", "include", "space_data_module.h")
}

// KebabName is the stable name of a code constant: "SDM_ERR_KEY_INVALID" -> "key-invalid".
func KebabName(constant string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(constant, Prefix)), "_", "-")
}

// GoIdentifier turns a kebab-case code name into an exported Go constant name:
// "wasm-invalid" -> "CodeWasmInvalid".
func GoIdentifier(name string) string {
	var b strings.Builder
	b.WriteString("Code")
	for _, word := range strings.Split(name, "-") {
		if word == "" {
			continue
		}
		if upper, ok := initialisms[word]; ok {
			b.WriteString(upper)
			continue
		}
		b.WriteString(strings.ToUpper(word[:1]))
		b.WriteString(word[1:])
	}
	return b.String()
}

// initialisms are written in capitals, as Go names do (CodeInvalidJSON, CodeCIDMismatch).
var initialisms = map[string]string{
	"io": "IO", "json": "JSON", "cid": "CID", "id": "ID", "tls": "TLS", "http": "HTTP",
	"url": "URL", "tcp": "TCP", "udp": "UDP", "dns": "DNS", "ipc": "IPC",
}
