package graph

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The JSON of the values every answer repeats (each property of each
// entity and relationship, and their dates) is written here by hand rather
// than through json.Marshal of an interface, which with its reflection and
// allocations was a third of the API's own time on a compound network
// (BenchmarkAPIOverheadCompoundNetwork). Each writes exactly what
// json.Marshal wrote before, strings escaped as json.Marshal escapes them;
// json_test.go compares the two, also under fuzzing.
//
// Entities and relationships themselves stay with encoding/json: a
// MarshalJSON of theirs was slower, because encoding/json re-scans
// (compacts) every byte a Marshaler returns, and they are most of an
// answer's bytes.

func (v Value) appendJSON(b []byte) []byte {
	switch v.Type {
	case TypeInt:
		return strconv.AppendInt(b, v.I, 10)
	case TypeBool:
		return strconv.AppendBool(b, v.B)
	case TypeFloat:
		f, err := json.Marshal(v.F)
		if err != nil {
			return append(b, "null"...) // NaN or ±Inf, which JSON cannot write (the importer never stores one)
		}
		return append(b, f...)
	case TypeStrings:
		return appendJSONStrings(b, v.L) // nil as [], as Any() shows it
	default:
		return appendJSONString(b, v.S)
	}
}

func (d Date) appendJSON(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return appendJSONString(b, d.String())
	}
	b = append(b, '"')
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, d.Month, 2)
	b = append(b, '-')
	b = appendPadded(b, d.Day, 2)
	return append(b, '"')
}

// appendPadded appends n (0 <= n < 10^width) in width digits.
func appendPadded(b []byte, n, width int) []byte {
	for d := width - 1; d >= 0; d-- {
		p := 1
		for range d {
			p *= 10
		}
		b = append(b, byte('0'+n/p%10))
	}
	return b
}

// appendJSONStrings appends a list of strings.
func appendJSONStrings(b []byte, l []string) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string, as json.Marshal writes it:
// as it is between quotes when nothing in it needs escaping (printable
// ASCII but " \ < > &, or valid UTF-8 beyond ASCII but U+2028 and
// U+2029), through json.Marshal otherwise.
func appendJSONString(b []byte, s string) []byte {
	plain, ascii := true, true
	for i := 0; i < len(s) && plain; i++ {
		switch c := s[i]; {
		case c >= 0x80:
			ascii = false
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			plain = false
		}
	}
	if plain && !ascii {
		plain = utf8.ValidString(s) && !strings.ContainsAny(s, "\u2028\u2029")
	}
	if !plain {
		q, _ := json.Marshal(s) // a string always marshals
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
