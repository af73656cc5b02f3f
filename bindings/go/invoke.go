package sdm

// #include "space_data_module.h"
import "C"

import (
	"encoding/json"
	"fmt"
)

// TypeRef describes the type of a frame's payload. In a request, zero fields are left out
// (the library applies the reference's defaults).
type TypeRef struct {
	SchemaName           string `json:"schemaName,omitempty"`
	FileIdentifier       string `json:"fileIdentifier,omitempty"`
	AcceptsAnyFlatbuffer bool   `json:"acceptsAnyFlatbuffer,omitempty"`
	// WireFormat is "flatbuffer" (the default) or "aligned-binary".
	WireFormat        string `json:"wireFormat,omitempty"`
	RootTypeName      string `json:"rootTypeName,omitempty"`
	FixedStringLength uint16 `json:"fixedStringLength,omitempty"`
	ByteLength        uint32 `json:"byteLength,omitempty"`
	RequiredAlignment uint16 `json:"requiredAlignment,omitempty"`
	// SchemaHash is the schema's hash bytes (empty when none).
	SchemaHash []byte `json:"-"`
}

// typeRefFields is TypeRef without its methods (so the JSON forms below do not recurse).
type typeRefFields TypeRef

// wireTypeRef is the library's JSON form of a TypeRef: SchemaHash as an array of byte
// numbers (encoding/json would write base64, which the library reads as hex text).
type wireTypeRef struct {
	*typeRefFields
	SchemaHash byteList `json:"schemaHash,omitempty"`
}

// MarshalJSON writes the library's form (schemaHash as byte numbers).
func (t TypeRef) MarshalJSON() ([]byte, error) {
	fields := typeRefFields(t)
	return json.Marshal(wireTypeRef{typeRefFields: &fields, SchemaHash: byteList(t.SchemaHash)})
}

// UnmarshalJSON reads the library's form; absent (null) strings become "".
func (t *TypeRef) UnmarshalJSON(text []byte) error {
	wire := wireTypeRef{typeRefFields: (*typeRefFields)(t)}
	if err := json.Unmarshal(text, &wire); err != nil {
		return err
	}
	t.SchemaHash = []byte(wire.SchemaHash)
	return nil
}

// Frame is one input or output frame.
type Frame struct {
	PortID  string
	TypeRef *TypeRef
	Payload []byte
	// StreamID, Sequence and EndOfStream place the frame in a stream.
	StreamID    uint32
	Sequence    uint64
	EndOfStream bool
	// TraceID correlates frames across calls.
	TraceID uint64
	// Alignment of the payload in the arena; 0 in a request = the default (the type's
	// RequiredAlignment, else 8).
	Alignment uint16
	// Offset and Size place the payload in the response's arena; set by the library when a
	// response is decoded (ignored in a request: the library packs the arena).
	Offset uint32
	Size   uint32
	// Ownership, Generation and Mutability are the aligned-binary envelope's fields, carried
	// as the guest (or caller) set them.
	Ownership  uint8
	Generation uint32
	Mutability uint8
}

// InvokeRequest is a PluginInvokeRequest.
type InvokeRequest struct {
	MethodID string
	Inputs   []Frame
}

// InvokeResponse is a decoded PluginInvokeResponse.
type InvokeResponse struct {
	StatusCode       int32
	Yielded          bool
	BacklogRemaining uint32
	Outputs          []Frame
	// ErrorCode and ErrorMessage are the guest's own error (empty when it set none).
	ErrorCode    string
	ErrorMessage string
	// Raw is the whole decoded JSON (sdm_invoke_response_to_json).
	Raw json.RawMessage
}

// EncodeInvokeRequestJSON encodes a PluginInvokeRequest from the reference's JSON object form,
// e.g. {"methodId":"echo","inputs":[{"portId":"echo","payload":[1,2,3]}]}
// (sdm_invoke_request_from_json).
func EncodeInvokeRequestJSON(requestJSON []byte) ([]byte, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_invoke_request_from_json(inPtr(requestJSON), inLen(requestJSON), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// DecodeInvokeResponseJSON decodes (and verifies) an encoded PluginInvokeResponse to its JSON
// form (sdm_invoke_response_to_json).
func DecodeInvokeResponseJSON(response []byte) (json.RawMessage, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_invoke_response_to_json(inPtr(response), inLen(response), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// EncodeInvokeRequest encodes req to a PluginInvokeRequest.
func EncodeInvokeRequest(req InvokeRequest) ([]byte, error) {
	wire := wireRequest{MethodID: req.MethodID, Inputs: make([]wireFrame, len(req.Inputs))}
	for i, frame := range req.Inputs {
		wire.Inputs[i] = wireFrame{
			PortID:      frame.PortID,
			TypeRef:     frame.TypeRef,
			Payload:     byteList(frame.Payload),
			StreamID:    frame.StreamID,
			Sequence:    fmt.Sprint(frame.Sequence),
			EndOfStream: frame.EndOfStream,
			TraceID:     fmt.Sprint(frame.TraceID),
			Alignment:   frame.Alignment,
			Ownership:   frame.Ownership,
			Generation:  frame.Generation,
			Mutability:  frame.Mutability,
		}
	}
	text, err := json.Marshal(wire)
	if err != nil {
		return nil, invalidArgument("invoke request: %v", err)
	}
	return EncodeInvokeRequestJSON(text)
}

// DecodeInvokeResponse decodes an encoded PluginInvokeResponse.
func DecodeInvokeResponse(response []byte) (*InvokeResponse, error) {
	raw, err := DecodeInvokeResponseJSON(response)
	if err != nil {
		return nil, err
	}
	var wire wireResponse
	if err := decodeResult(raw, &wire); err != nil {
		return nil, err
	}
	decoded := &InvokeResponse{
		StatusCode:       wire.StatusCode,
		Yielded:          wire.Yielded,
		BacklogRemaining: wire.BacklogRemaining,
		Outputs:          make([]Frame, len(wire.Outputs)),
		ErrorCode:        wire.ErrorCode,
		ErrorMessage:     wire.ErrorMessage,
		Raw:              raw,
	}
	for i, frame := range wire.Outputs {
		out := Frame{
			PortID:      frame.PortID,
			TypeRef:     frame.TypeRef,
			Payload:     []byte(frame.Payload),
			StreamID:    frame.StreamID,
			EndOfStream: frame.EndOfStream,
			Alignment:   frame.Alignment,
			Offset:      frame.Offset,
			Size:        frame.Size,
			Ownership:   frame.Ownership,
			Generation:  frame.Generation,
			Mutability:  frame.Mutability,
		}
		if _, err := fmt.Sscan(frame.Sequence, &out.Sequence); err != nil {
			return nil, newError(CodeInternal, "unexpected sequence from the library: "+frame.Sequence)
		}
		if _, err := fmt.Sscan(frame.TraceID, &out.TraceID); err != nil {
			return nil, newError(CodeInternal, "unexpected traceId from the library: "+frame.TraceID)
		}
		decoded.Outputs[i] = out
	}
	return decoded, nil
}

// The library's JSON forms: payloads are arrays of byte numbers, u64 values decimal strings.
type wireRequest struct {
	MethodID string      `json:"methodId"`
	Inputs   []wireFrame `json:"inputs"`
}

type wireFrame struct {
	PortID      string   `json:"portId"`
	TypeRef     *TypeRef `json:"typeRef,omitempty"`
	Payload     byteList `json:"payload"`
	StreamID    uint32   `json:"streamId"`
	Sequence    string   `json:"sequence"`
	EndOfStream bool     `json:"endOfStream"`
	TraceID     string   `json:"traceId"`
	// Zero values are left out of a request: an alignment of 0 would mean 1 to the library.
	Alignment  uint16 `json:"alignment,omitempty"`
	Offset     uint32 `json:"offset,omitempty"`
	Size       uint32 `json:"size,omitempty"`
	Ownership  uint8  `json:"ownership,omitempty"`
	Generation uint32 `json:"generation,omitempty"`
	Mutability uint8  `json:"mutability,omitempty"`
}

type wireResponse struct {
	StatusCode       int32       `json:"statusCode"`
	Yielded          bool        `json:"yielded"`
	BacklogRemaining uint32      `json:"backlogRemaining"`
	Outputs          []wireFrame `json:"outputs"`
	ErrorCode        string      `json:"errorCode"`
	ErrorMessage     string      `json:"errorMessage"`
}

// byteList is []byte as a JSON array of numbers (encoding/json would write base64).
type byteList []byte

func (b byteList) MarshalJSON() ([]byte, error) {
	numbers := make([]uint16, len(b)) // uint16: encoding/json writes []uint8 as base64
	for i, v := range b {
		numbers[i] = uint16(v)
	}
	return json.Marshal(numbers)
}

func (b *byteList) UnmarshalJSON(text []byte) error {
	var numbers []uint16 // numbers, not base64 (only []uint8 targets read base64)
	if err := json.Unmarshal(text, &numbers); err != nil {
		return err
	}
	out := make([]byte, len(numbers))
	for i, v := range numbers {
		if v > 255 {
			return fmt.Errorf("payload byte %d out of range: %d", i, v)
		}
		out[i] = byte(v)
	}
	*b = out
	return nil
}
