package importer_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/importer"
)

func TestFormatOf(t *testing.T) {
	tests := []struct {
		name string
		want importer.Format
	}{
		{"entities.ftm.json", importer.FormatFTM},
		{"Collection.FTM.JSONL", importer.FormatFTM},
		{"x.ftm.ndjson", importer.FormatFTM},
		{"x.jsonl", importer.FormatNDJSON},
		{"x.json", ""},
		{"nodes-officers.csv", importer.FormatCSV},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := importer.FormatOf(tc.name); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseFTMLine(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string // record ids, in order
		err        string
	}{
		{"person", `{"id":"p1","schema":"Person","properties":{"name":["A B"]},"datasets":["ds"]}`, []string{"ftm:p1"}, ""},
		{"name from the caption", `{"id":"p1","schema":"Person","caption":"Cap","properties":{}}`, []string{"ftm:p1"}, ""},
		{"address entity", `{"id":"c1","schema":"Company","properties":{"name":["C"],"addressEntity":["a1"]}}`, []string{"ftm:c1", "ftm:c1-[LOCATED_IN]->ftm:a1"}, ""},
		{"ownership", `{"id":"o1","schema":"Ownership","properties":{"owner":["p1"],"asset":["c1"]}}`, []string{"ftm:p1-[OWNS]->ftm:c1#o1"}, ""},
		{"sanction", `{"id":"s1","schema":"Sanction","properties":{"entity":["p1"],"authority":["A"],"listingDate":["2025-10-14"]}}`,
			[]string{"ftm:s1", "ftm:p1-[SUBJECT_OF]->ftm:s1", "ftm:authority:a-[CONDUCTED]->ftm:s1"}, ""},
		{"unknown schema", `{"id":"v","schema":"Vessel","properties":{}}`, nil, `schema: "Vessel" is not mapped`},
		{"no id", `{"schema":"Person","properties":{}}`, nil, "id: is required"},
		{"no schema", `{"id":"x","properties":{}}`, nil, "schema: is required"},
		{"not a list", `{"id":"x","schema":"Person","properties":{"name":"A"}}`, nil, "want []string"},
		{"one end", `{"id":"o1","schema":"Ownership","properties":{"owner":["p1"]}}`, nil, "properties.asset"},
		{"several ends", `{"id":"o1","schema":"Ownership","properties":{"owner":["p1","p2"],"asset":["c1"]}}`, nil, "several"},
		{"sanction without date", `{"id":"s1","schema":"Sanction","properties":{"entity":["p1"]}}`, nil, "properties.listingDate"},
		{"event without type", `{"id":"e","schema":"Event","properties":{"name":["A meeting"],"date":["2024"]}}`, nil, "no event type"},
		{"bad dataset", `{"id":"x","schema":"Person","properties":{"name":["A"]},"datasets":["a b"]}`, nil, "datasets"},
		{"bad id", `{"id":"x y","schema":"Person","properties":{"name":["A"]}}`, nil, "id:"},
		{"blank", ` `, nil, "empty line"},
		{"array", `[]`, nil, "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := importer.ParseFTMLine([]byte(tc.line), "x.ftm.json", nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range recs {
				if r.Entity != nil {
					ids = append(ids, r.Entity.ID)
				} else {
					ids = append(ids, r.Relationship.ID)
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("records %v, want %v", ids, tc.want)
			}
		})
	}
}

// TestScanFTMResolvesForwardReferences: a directorship whose director is a
// company, given before the company, becomes CONTROLS (DIRECTS is for
// persons); the dataset's source comes once, before the first line (so
// the entities citing it share its write pass) but numbered after the last.
func TestScanFTMResolvesForwardReferences(t *testing.T) {
	in := `{"id":"d1","schema":"Directorship","properties":{"director":["c2"],"organization":["c1"]},"datasets":["reg"],"first_seen":"2024-05-01"}
{"id":"c1","schema":"Company","properties":{"name":["One"]},"datasets":["reg"],"first_seen":"2024-01-01"}
{"id":"c2","schema":"Company","properties":{"name":["Two"]},"datasets":["reg"],"last_seen":"2024-06-01"}
`
	var got []string
	err := importer.ScanNamed(strings.NewReader(in), importer.FormatFTM, "x.ftm.json", 0, func(rec importer.Record, err error) error {
		if err != nil {
			t.Fatalf("line %d: %v", rec.Line, err)
		}
		if rec.Entity != nil {
			got = append(got, rec.Entity.ID)
			if rec.Entity.ID == "source:ftm:reg" && (rec.Line != 4 || rec.Entity.Properties["published"].S != "2024-01-01" || rec.Entity.Properties["last_seen"].S != "2024-06-01") {
				t.Errorf("source %+v at line %d", rec.Entity, rec.Line)
			}
		} else {
			got = append(got, rec.Relationship.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"source:ftm:reg", "ftm:c2-[CONTROLS]->ftm:c1#d1", "ftm:c1", "ftm:c2"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestICIJLooksLikeCompany(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"EXAMPLE NOMINEES LIMITED", true}, {"Example Co., Ltd.", true}, {"ACME S.A.", true}, {"THE BEARER", true},
		{"Example Holdings", true}, {"John Example", false}, {"SAMUEL EXAMPLE", false}, {"ACME", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := importer.ICIJLooksLikeCompany(tc.name); got != tc.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

func FuzzFTMLine(f *testing.F) {
	for _, file := range []string{"testdata/ftm/prince-group.ftm.json", "testdata/ftm/every-schema.ftm.jsonl", "testdata/ftm-bad/bad.ftm.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n"))[:3] {
			f.Add(l)
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		recs, err := importer.ParseFTMLine(line, "f.ftm.json", nil)
		if err == nil && len(recs) == 0 {
			t.Fatalf("no error and no record for %q", line)
		}
		for _, r := range recs {
			if (r.Entity == nil) == (r.Relationship == nil) {
				t.Fatalf("a record must be an entity or a relationship: %q", line)
			}
		}
	})
}

func FuzzICIJ(f *testing.F) {
	names := []string{"nodes-entities.csv", "nodes-officers.csv", "nodes-intermediaries.csv", "nodes-addresses.csv", "nodes-others.csv", "relationships.csv", "export.csv"}
	for i, n := range names[:6] {
		b, err := os.ReadFile("testdata/icij/current/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(i))
	}
	f.Add([]byte("_id,_labels,name,_start,_end,_type\n1,:Officer,A B,,,\n,,,1,2,officer_of\n"), uint8(6))
	f.Add([]byte("node_id,name\n\"1,x\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		name := names[int(which)%len(names)]
		var lines []int
		err := importer.ScanNamed(bytes.NewReader(data), importer.FormatICIJ, name, 4096, func(rec importer.Record, err error) error {
			lines = append(lines, rec.Line)
			if err == nil && rec.Entity == nil && rec.Relationship == nil {
				t.Fatal("no error and no record")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("scan of in-memory input failed: %v", err)
		}
		// Two runs, each in line order: the leaks' sources (handed on
		// before the rows, numbered after the last), then the rows.
		drop := len(lines)
		for i := 1; i < len(lines); i++ {
			if lines[i] < lines[i-1] {
				drop = i
				break
			}
		}
		sources, rows := lines[:drop], lines[drop:]
		if !slices.IsSorted(sources) || !slices.IsSorted(rows) {
			t.Fatalf("line numbers out of order: %v", lines)
		}
		if len(sources) > 0 && len(rows) > 0 && sources[0] <= slices.Max(rows) {
			t.Fatalf("the sources are not numbered after the rows: %v", lines)
		}
	})
}
