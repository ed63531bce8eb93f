package gqlhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// errTrailing is JSON text with more after its value.
var errTrailing = errors.New("unexpected data after the JSON value")

// unmarshal decodes numbers exactly and gives them their JSON kind: an
// integer becomes int64 and any other number float64. A json.Number would
// pass GraphQL's validation as a String (it is a string underneath), and a
// float64 for every number would lose large integers and fail Int. Trailing
// data after the value is an error, as with json.Unmarshal.
func unmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errTrailing
	}
	if m, ok := v.(*map[string]any); ok {
		for k, x := range *m {
			(*m)[k] = typedNumbers(x)
		}
	}
	return nil
}

func typedNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64() // out of range: ±Inf, which Int and the schema's scalars refuse
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = typedNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = typedNumbers(e)
		}
	}
	return v
}
