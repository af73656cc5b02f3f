// Package errorsdoc reads the table of stable error codes from docs/errors.md.
//
// It is shared by the code generator (internal/gencodes, which writes codes.go) and by the
// test that fails when codes.go and docs/errors.md disagree, so both read the document the
// same way.
package errorsdoc

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Code is one row of a code table: `| number | `name` | class | meaning |`.
type Code struct {
	Number  int
	Name    string
	Class   string
	Meaning string
}

// Parse reads every code row of docs/errors.md, in document order. Rows of other tables
// (the exit-code table has two columns) are ignored. A malformed code row is an error, so
// a typo in the document cannot silently drop a code.
func Parse(r io.Reader) ([]Code, error) {
	var codes []Code
	seen := map[int]string{}
	scanner := bufio.NewScanner(r)
	line := 0
	for scanner.Scan() {
		line++
		cells, ok := tableCells(scanner.Text())
		if !ok {
			continue
		}
		number, err := strconv.Atoi(cells[0])
		if err != nil {
			continue // a header row or a row of another table
		}
		if len(cells) != 4 {
			if len(cells) == 2 {
				continue // the exit-code table: | exit | meaning |
			}
			return nil, fmt.Errorf("errors.md line %d: a code row needs 4 cells, found %d", line, len(cells))
		}
		name := strings.Trim(cells[1], "`")
		if name == "" || strings.ContainsAny(name, "` ") {
			return nil, fmt.Errorf("errors.md line %d: malformed name %q", line, cells[1])
		}
		if previous, dup := seen[number]; dup {
			return nil, fmt.Errorf("errors.md line %d: number %d used by %s and %s", line, number, previous, name)
		}
		seen[number] = name
		codes = append(codes, Code{Number: number, Name: name, Class: cells[2], Meaning: cells[3]})
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("errors.md: no code rows found")
	}
	return codes, nil
}

// ParseFile parses the document at path.
func ParseFile(path string) ([]Code, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return Parse(file)
}

// DocPath is docs/errors.md relative to the directory of the Go module (bindings/go).
func DocPath(moduleDir string) string {
	return filepath.Join(moduleDir, "..", "..", "docs", "errors.md")
}

// tableCells splits a Markdown table row into trimmed cells; separator rows
// (`|---:|---|`) and non-table lines give ok == false.
func tableCells(text string) ([]string, bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "|") || !strings.HasSuffix(text, "|") || len(text) < 2 {
		return nil, false
	}
	parts := strings.Split(text[1:len(text)-1], "|")
	cells := make([]string, len(parts))
	for i, part := range parts {
		cells[i] = strings.TrimSpace(part)
	}
	if len(cells) > 0 && strings.Trim(cells[0], "-: ") == "" {
		return nil, false
	}
	return cells, true
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
