package graph_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

// graph writes the JSON of property values and dates by hand, for speed
// (graph/json.go); each must be what json.Marshal wrote for it before,
// byte for byte.
func TestValueMarshalJSONIsJSONMarshal(t *testing.T) {
	tests := []struct {
		name string
		v    graph.Value
	}{
		{"plain string", graph.StringValue("Prince Holding Group")},
		{"empty string", graph.StringValue("")},
		{"quote and backslash", graph.StringValue(`say "no" \ now`)},
		{"html characters", graph.StringValue("<b>A & B</b>")},
		{"control characters", graph.StringValue("line\nbreak\ttab\x00nul\x7f")},
		{"chinese", graph.StringValue("陈志")},
		{"khmer", graph.StringValue("ព្រីនហូលឌីង")},
		{"line separators", graph.StringValue("a\u2028b\u2029c")},
		{"invalid utf-8", graph.StringValue("bad \xff\xfe byte")},
		{"date", graph.DateValue(graph.Date{Year: 2025, Month: 10, Day: 14})},
		{"int", graph.IntValue(-9007199254740993)},
		{"zero int", graph.IntValue(0)},
		{"float", graph.FloatValue(0.1)},
		{"large float", graph.FloatValue(1e21)},
		{"tiny float", graph.FloatValue(1e-7)},
		{"true", graph.BoolValue(true)},
		{"false", graph.BoolValue(false)},
		{"strings", graph.StringsValue([]string{"a", `"q"`, "陈", "<"})},
		{"empty strings", graph.StringsValue(nil)},
		{"nil list", graph.Value{Type: graph.TypeStrings}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertSameJSON(t, tt.v)
		})
	}
	for _, d := range []graph.Date{{Year: 2025, Month: 10, Day: 14}, {Year: 1}, {Year: 12345, Month: 1, Day: 1}, {Year: -5, Month: 1, Day: 1}, {Month: 13, Day: 100}} {
		t.Run("date "+d.String(), func(t *testing.T) {
			got, err := d.MarshalJSON()
			if want, _ := json.Marshal(d.String()); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("MarshalJSON = %s, %v; want %s", got, err, want)
			}
		})
	}
	t.Run("in a map, as answers carry it", func(t *testing.T) {
		m := map[string]graph.Value{"b": graph.StringValue("x<y"), "a": graph.IntValue(3)}
		got, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"a":3,"b":"x\u003cy"}`; string(got) != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}

func assertSameJSON(t *testing.T, v graph.Value) {
	t.Helper()
	got, err := v.MarshalJSON()
	want, werr := json.Marshal(v.Any())
	if (err != nil) != (werr != nil) || !bytes.Equal(got, want) {
		t.Fatalf("MarshalJSON(%#v) = %s, %v; json.Marshal = %s, %v", v, got, err, want, werr)
	}
}

func FuzzValueMarshalJSON(f *testing.F) {
	for _, s := range []string{"", "plain", `"\`, "<&>", "\u2028", "\xff", "陈志", "\x00\x1f"} {
		f.Add(s, int64(7), 1.5, true)
	}
	f.Fuzz(func(t *testing.T, s string, i int64, fl float64, b bool) {
		assertSameJSON(t, graph.StringValue(s))
		assertSameJSON(t, graph.StringsValue([]string{s, s + "x"}))
		assertSameJSON(t, graph.IntValue(i))
		assertSameJSON(t, graph.BoolValue(b))
		if !math.IsNaN(fl) && !math.IsInf(fl, 0) {
			assertSameJSON(t, graph.FloatValue(fl))
		}
		d := graph.Date{Year: int(i % 20000), Month: int(i % 13), Day: int(i % 32)}
		got, err := d.MarshalJSON()
		if want, _ := json.Marshal(d.String()); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Date%+v.MarshalJSON = %s, %v; want %s", d, got, err, want)
		}
	})
}
