package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

const (
	srcLine = `{"record":"entity","id":"source:afp","kinds":["source"],"name":"AFP report","sources":[],"properties":{"publisher":"AFP","published":"2026-01-19","source_type":"news"}}`
	entLine = `{"record":"entity","id":"person:ly-kuong","kinds":["tycoon"],"name":"Ly Kuong","aliases":["Ly Kuong "],"sources":["source:afp"]}`
	relLine = `{"record":"relationship","type":"OPERATES","from":"person:ly-kuong","to":"compound:x","evidence":"charge","since":"2026-01","sources":["source:afp"]}`
)

type scanned struct {
	line   int
	ok     bool
	reason string
}

func scan(t *testing.T, format importer.Format, input string, maxLine int) []scanned {
	t.Helper()
	var out []scanned
	err := importer.Scan(strings.NewReader(input), format, maxLine, func(rec importer.Record, err error) error {
		s := scanned{line: rec.Line, ok: err == nil}
		if err != nil {
			s.reason = err.Error()
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out
}

func TestScanNDJSON(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		maxLine    int
		wantLines  int
		badLine    int // 0: none bad
		wantReason string
	}{
		{"good file", srcLine + "\n" + entLine + "\n" + relLine + "\n", 0, 3, 0, ""},
		{"no final newline", srcLine + "\n" + entLine, 0, 2, 0, ""},
		{"BOM and CRLF tolerated at start", "\uFEFF" + srcLine + "\r\n" + entLine + "\r\n", 0, 2, 0, ""},
		{"BOM inside the file", srcLine + "\r\n\uFEFF" + entLine + "\r\n", 0, 2, 2, "byte-order mark"},
		{"truncated JSON", srcLine + "\n" + entLine[:40] + "\n", 0, 2, 2, "JSON"},
		{"truncated last line", srcLine + "\n" + entLine[:40], 0, 2, 2, "JSON"},
		{"array line", srcLine + "\n[1,2]\n", 0, 2, 2, "not a JSON object"},
		{"string line", `"hello"` + "\n", 0, 1, 1, "not a JSON object"},
		{"blank line", srcLine + "\n\n" + entLine + "\n", 0, 3, 2, "empty line"},
		{"binary garbage", "\x00\x01\xff\xfe\n", 0, 1, 1, "UTF-8"},
		{"trailing garbage", srcLine + " x\n", 0, 1, 1, "after the JSON object"},
		{"unknown field", `{"record":"entity","id":"a","kinds":["person"],"name":"A","sources":["s"],"colour":"red"}` + "\n", 0, 1, 1, "unknown field"},
		{"unknown record", `{"record":"thing"}` + "\n", 0, 1, 1, "record"},
		{"missing sources", `{"record":"entity","id":"a","kinds":["person"],"name":"A"}` + "\n", 0, 1, 1, "sources"},
		{"bad date", strings.Replace(relLine, "2026-01", "2026-13", 1) + "\n", 0, 1, 1, "since"},
		{"mentioned_in refused", strings.Replace(relLine, "OPERATES", "MENTIONED_IN", 1) + "\n", 0, 1, 1, "type"},
		{"over-long line", srcLine + "\n{\"record\":\"entity\",\"name\":\"" + strings.Repeat("x", 5000) + "\"}\n" + entLine + "\n", 1024, 3, 2, "longer than 1024 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scan(t, importer.FormatNDJSON, tc.input, tc.maxLine)
			if len(got) != tc.wantLines {
				t.Fatalf("got %d lines (%+v), want %d", len(got), got, tc.wantLines)
			}
			for i, s := range got {
				if s.line != i+1 {
					t.Errorf("record %d reported as line %d", i+1, s.line)
				}
				wantBad := s.line == tc.badLine
				if s.ok == wantBad {
					t.Errorf("line %d ok=%v, want ok=%v (%s)", s.line, s.ok, !wantBad, s.reason)
				}
				if wantBad && !strings.Contains(s.reason, tc.wantReason) {
					t.Errorf("line %d reason %q, want it to mention %q", s.line, s.reason, tc.wantReason)
				}
			}
		})
	}
}

func TestScanCSV(t *testing.T) {
	entHeader := "id,kinds,name,aliases,sources,nationality\n"
	relHeader := "type,from,to,evidence,sources,since,description\n"
	tests := []struct {
		name       string
		input      string
		wantLines  int
		badLine    int
		wantReason string
	}{
		{"entities", entHeader + "person:a,tycoon|official,Chen Zhi,Vincent,source:afp,KH\n", 1, 0, ""},
		{"relationships", relHeader + "OWNS,company:a,company:b,designation,source:ofac,2020-05,\"shell, layer\"\n", 1, 0, ""},
		{"CRLF and BOM", "\uFEFF" + strings.ReplaceAll(entHeader, "\n", "\r\n") + "person:a,person,A,,source:afp,\r\n", 1, 0, ""},
		{"bad nationality", entHeader + "person:a,person,A,,source:afp,Cambodia\n", 1, 2, "nationality"},
		{"wrong field count", entHeader + "person:a,person\n", 1, 2, "number of fields"},
		{"multi-line quoted field keeps line numbers", relHeader + "OWNS,company:a,company:b,designation,source:x,,\"two\nlines\"\nOWNS,company:c,company:d,charge,,,\n", 2, 4, "sources"},
		{"unterminated quote", entHeader + "person:a,person,\"A,,source:afp,KH\nperson:b,person,B,,source:afp,KH\n", 1, 2, "quote"},
		{"bad header", "who,what\nx,y\n", 1, 1, "header"},
		{"empty file", "", 1, 1, "header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scan(t, importer.FormatCSV, tc.input, 0)
			if len(got) != tc.wantLines {
				t.Fatalf("got %d records (%+v), want %d", len(got), got, tc.wantLines)
			}
			for _, s := range got {
				wantBad := s.line == tc.badLine
				if s.ok == wantBad {
					t.Errorf("line %d ok=%v, want ok=%v (%s)", s.line, s.ok, !wantBad, s.reason)
				}
				if wantBad && !strings.Contains(s.reason, tc.wantReason) {
					t.Errorf("line %d reason %q, want it to mention %q", s.line, s.reason, tc.wantReason)
				}
			}
		})
	}
}

func TestScanCSVUnterminatedQuoteBoundsMemory(t *testing.T) {
	input := "id,kinds,name,sources\n\"" + strings.Repeat("x", 3<<20)
	var reasons []string
	err := importer.Scan(strings.NewReader(input), importer.FormatCSV, 1<<20, func(_ importer.Record, err error) error {
		if err != nil {
			reasons = append(reasons, err.Error())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 1 || !strings.Contains(reasons[0], "longer than") && !strings.Contains(reasons[0], "quote") {
		t.Errorf("reasons = %v", reasons)
	}
}

func TestParseNDJSONLineNormalises(t *testing.T) {
	rec, err := importer.ParseNDJSONLine([]byte(entLine))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Entity == nil || rec.Entity.Aliases[0] != "Ly Kuong" {
		t.Fatalf("entity = %+v", rec.Entity)
	}
	rec, err = importer.ParseNDJSONLine([]byte(relLine))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Relationship.ID != "person:ly-kuong-[OPERATES]->compound:x" || rec.Relationship.Since.String() != "2026-01-01" {
		t.Errorf("relationship = %+v", rec.Relationship)
	}
}

func FuzzParseNDJSONLine(f *testing.F) {
	for _, s := range []string{srcLine, entLine, relLine, `{}`, `[]`, `{"record":"entity","properties":{"count":1e400}}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		rec, err := importer.ParseNDJSONLine(line)
		if err == nil && rec.Entity == nil && rec.Relationship == nil {
			t.Fatalf("no error and no record for %q", line)
		}
		if err == nil && rec.Entity != nil && rec.Entity.ID == "" {
			t.Fatalf("entity without id accepted: %q", line)
		}
	})
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(srcLine+"\n"+entLine+"\n"), false)
	f.Add([]byte("id,kinds,name,sources\nperson:a,person,A,source:s\n"), true)
	f.Add([]byte("type,from,to,evidence,sources\nOWNS,a,b,charge,\"s\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		format := importer.FormatNDJSON
		if csv {
			format = importer.FormatCSV
		}
		last := 0
		err := importer.Scan(bytes.NewReader(data), format, 4096, func(rec importer.Record, err error) error {
			if rec.Line < last {
				t.Fatalf("line numbers went backwards: %d after %d", rec.Line, last)
			}
			last = rec.Line
			if err == nil && rec.Entity == nil && rec.Relationship == nil {
				t.Fatal("no error and no record")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("scan of in-memory input failed: %v", err)
		}
	})
}

// TestSampleRecordsAreValid: every record of data/sample passes validation,
// the victim rules included (no pseudonym, id or description repeats a
// victim's own age, origin or real name).
func TestSampleRecordsAreValid(t *testing.T) {
	dir := neo4jtest.SampleDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	records := 0
	for _, e := range entries {
		f := importer.FormatOf(e.Name())
		if f == "" {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			fh, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			err = importer.Scan(fh, f, importer.DefaultMaxLineBytes, func(rec importer.Record, err error) error {
				records++
				if err != nil {
					t.Errorf("line %d: %v", rec.Line, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	if records < 100 {
		t.Errorf("only %d sample records", records)
	}
}

// TestParseNamesTheSameFieldEveryTime: a line with several bad
// properties is refused for the first of them in key order, every time.
func TestParseNamesTheSameFieldEveryTime(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"two bad values", `{"record":"entity","id":"person:p","kinds":["person"],"name":"P","sources":["source:s"],"properties":{"z_list":[{}],"b_note":{"x":1},"a_note":[[1]],"ok":"fine"}}`, "properties.a_note"},
		{"source missing what it needs", `{"record":"entity","id":"source:s","kinds":["source"],"name":"S"}`, "properties.published"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var first string
			for i := range 200 {
				_, err := importer.ParseNDJSONLine([]byte(tc.line))
				if err == nil {
					t.Fatal("want an error")
				}
				if i == 0 {
					first = err.Error()
					if !strings.HasPrefix(first, tc.want) {
						t.Fatalf("error %q, want it to name %s", first, tc.want)
					}
				}
				if err.Error() != first {
					t.Fatalf("try %d: error %q, first %q", i, err, first)
				}
			}
		})
	}
}
