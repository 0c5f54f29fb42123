package generate_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/generate"
)

// sample is one 2k-entity graph written in every format, shared by the
// tests that only read it.
type sample struct {
	dir    string
	counts generate.Counts
	ents   []graph.Entity
	rels   []graph.Relationship
}

var (
	sampleOnce sync.Once
	sampleVal  *sample
	sampleErr  error
)

const sampleN = 2000

func getSample(t *testing.T) *sample {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "scamgraph-generate-")
		if err != nil {
			sampleErr = err
			return
		}
		s := &sample{dir: dir}
		s.counts, err = generate.WriteAll(generate.Config{Entities: sampleN, Seed: 7}, dir, generate.Formats)
		if err != nil {
			sampleErr = err
			return
		}
		for _, f := range []string{"entities.ndjson", "relationships.ndjson"} {
			lines, err := readLines(filepath.Join(dir, "ndjson", f))
			if err != nil {
				sampleErr = err
				return
			}
			for i, l := range lines {
				rec, err := importer.ParseNDJSONLine(l)
				if err != nil {
					sampleErr = &lineError{f, i + 1, err, string(l)}
					return
				}
				if rec.Entity != nil {
					s.ents = append(s.ents, *rec.Entity)
				} else {
					s.rels = append(s.rels, *rec.Relationship)
				}
			}
		}
		sampleVal = s
	})
	if sampleErr != nil {
		t.Fatalf("sample: %v", sampleErr)
	}
	return sampleVal
}

type lineError struct {
	file string
	line int
	err  error
	text string
}

func (e *lineError) Error() string {
	return e.file + ":" + strconv.Itoa(e.line) + ": " + e.err.Error() + "\n" + e.text
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleVal != nil {
		os.RemoveAll(sampleVal.dir)
	}
	os.Exit(code)
}

func readLines(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	return out, sc.Err()
}

func ndjson(t *testing.T, cfg generate.Config) (ents, rels []byte, c generate.Counts) {
	t.Helper()
	var e, r bytes.Buffer
	c, err := generate.WriteNDJSON(cfg, &e, &r)
	if err != nil {
		t.Fatal(err)
	}
	return e.Bytes(), r.Bytes(), c
}

func TestDeterminism(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a, b  generate.Config
		equal bool
	}{
		{"same seed and size are byte-identical", generate.Config{Entities: 3000, Seed: 1}, generate.Config{Entities: 3000, Seed: 1}, true},
		{"zero rels-per-entity means the default 3", generate.Config{Entities: 1500, Seed: 9}, generate.Config{Entities: 1500, Seed: 9, RelsPerEntity: 3}, true},
		{"another seed gives another graph", generate.Config{Entities: 3000, Seed: 1}, generate.Config{Entities: 3000, Seed: 2}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ea, ra, _ := ndjson(t, tc.a)
			eb, rb, _ := ndjson(t, tc.b)
			same := bytes.Equal(ea, eb) && bytes.Equal(ra, rb)
			if same != tc.equal {
				t.Fatalf("outputs equal = %v, want %v", same, tc.equal)
			}
		})
	}
	t.Run("all formats are byte-identical across runs", func(t *testing.T) {
		cfg := generate.Config{Entities: 1200, Seed: 5}
		a, b := t.TempDir(), t.TempDir()
		if _, err := generate.WriteAll(cfg, a, generate.Formats); err != nil {
			t.Fatal(err)
		}
		if _, err := generate.WriteAll(cfg, b, generate.Formats); err != nil {
			t.Fatal(err)
		}
		n := 0
		err := filepath.Walk(a, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(a, p)
			x, _ := os.ReadFile(p)
			y, err := os.ReadFile(filepath.Join(b, rel))
			if err != nil {
				return err
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs between runs", rel)
			}
			n++
			return nil
		})
		if err != nil || n < 25 {
			t.Fatalf("compared %d files: %v", n, err)
		}
	})
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  generate.Config
	}{
		{"2k entities, default 3 rels each", generate.Config{Entities: 2000, Seed: 3}},
		{"10k entities, default 3 rels each", generate.Config{Entities: 10000, Seed: 3}},
		{"3k entities, 1.5 rels each", generate.Config{Entities: 3000, Seed: 3, RelsPerEntity: 1.5}},
		{"3k entities, 6 rels each", generate.Config{Entities: 3000, Seed: 3, RelsPerEntity: 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, r, c := ndjson(t, tc.cfg)
			if c.Entities != tc.cfg.Entities || bytes.Count(e, []byte("\n")) != c.Entities {
				t.Errorf("entities: counted %d, lines %d, want %d", c.Entities, bytes.Count(e, []byte("\n")), tc.cfg.Entities)
			}
			if bytes.Count(r, []byte("\n")) != c.Relationships {
				t.Errorf("relationships: counted %d, lines %d", c.Relationships, bytes.Count(r, []byte("\n")))
			}
			rpe := tc.cfg.RelsPerEntity
			if rpe == 0 {
				rpe = 3
			}
			want := rpe * float64(tc.cfg.Entities)
			if got := float64(c.Relationships); got < 0.85*want || got > 1.15*want {
				t.Errorf("relationships: %d, want about %.0f", c.Relationships, want)
			}
		})
	}
	t.Run("too few entities is an error", func(t *testing.T) {
		if _, err := generate.WriteNDJSON(generate.Config{Entities: 100}, io.Discard, io.Discard); err == nil {
			t.Fatal("no error for 100 entities")
		}
	})
}

// kindsOK is the endpoint contract of docs/import-format.md.
var kindsOK = map[graph.RelType][2][]graph.Kind{
	graph.RelOwns:         {{graph.KindPerson, graph.KindCompany}, {graph.KindCompany, graph.KindCompound}},
	graph.RelControls:     {{graph.KindPerson, graph.KindCompany}, {graph.KindCompany, graph.KindCompound}},
	graph.RelDirects:      {{graph.KindPerson}, {graph.KindCompany}},
	graph.RelOperates:     {{graph.KindPerson, graph.KindCompany}, {graph.KindCompound}},
	graph.RelHoldsOffice:  {{graph.KindPerson}, {graph.KindOrganization}},
	graph.RelAdvises:      {{graph.KindPerson}, {graph.KindOrganization, graph.KindPerson}},
	graph.RelProtects:     {{graph.KindPerson, graph.KindOrganization}, {graph.KindCompound, graph.KindPerson, graph.KindCompany}},
	graph.RelFamilyOf:     {{graph.KindPerson}, {graph.KindPerson}},
	graph.RelAssociateOf:  {{graph.KindPerson, graph.KindCompany}, {graph.KindPerson, graph.KindCompany}},
	graph.RelRecruitedTo:  {{graph.KindVictim}, {graph.KindCompound, graph.KindCompany}},
	graph.RelHeldAt:       {{graph.KindVictim}, {graph.KindCompound}},
	graph.RelReleasedFrom: {{graph.KindVictim}, {graph.KindCompound}},
	graph.RelSubjectOf:    {nil, {graph.KindEvent}},
	graph.RelConducted:    {{graph.KindOrganization, graph.KindPerson}, {graph.KindEvent}},
	graph.RelParticipated: {{graph.KindOrganization, graph.KindPerson}, {graph.KindEvent}},
	graph.RelLocatedIn:    {{graph.KindCompound, graph.KindCompany, graph.KindOrganization, graph.KindLocation, graph.KindEvent}, {graph.KindLocation}},
	graph.RelPartOf:       {{graph.KindOrganization}, {graph.KindOrganization}},
	graph.RelRepresents:   {{graph.KindOrganization}, {graph.KindLocation}},
	graph.RelAssistedBy:   {{graph.KindVictim}, {graph.KindOrganization}},
}

func hasAny(e graph.Entity, ks []graph.Kind) bool {
	if ks == nil {
		return true
	}
	for _, k := range ks {
		if e.HasKind(k) {
			return true
		}
	}
	return false
}

func TestValid(t *testing.T) {
	s := getSample(t)
	byID := map[string]graph.Entity{}
	for _, e := range s.ents {
		byID[e.ID] = e
	}
	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"every line parses with the importer", func(t *testing.T) {
			if len(s.ents) != s.counts.Entities || len(s.rels) != s.counts.Relationships {
				t.Fatalf("parsed %d entities and %d relationships; generator counted %+v", len(s.ents), len(s.rels), s.counts)
			}
		}},
		{"entity ids are unique and follow gen:<kind>:<n>", func(t *testing.T) {
			if len(byID) != len(s.ents) {
				t.Fatalf("%d entities but %d distinct ids", len(s.ents), len(byID))
			}
			for id := range byID {
				if !strings.HasPrefix(id, "gen:") || strings.Count(id, ":") != 2 {
					t.Fatalf("id %q", id)
				}
			}
		}},
		{"sources come first", func(t *testing.T) {
			seenOther := false
			for _, e := range s.ents {
				isSrc := e.HasKind(graph.KindSource)
				if isSrc && seenOther {
					t.Fatalf("source %s after a non-source entity", e.ID)
				}
				seenOther = seenOther || !isSrc
			}
		}},
		{"every cited source exists and was emitted earlier", func(t *testing.T) {
			emitted := map[string]bool{}
			for _, e := range s.ents {
				if len(e.Sources) > 3 || (!e.HasKind(graph.KindSource) && len(e.Sources) == 0) {
					t.Fatalf("%s cites %d sources", e.ID, len(e.Sources))
				}
				for _, src := range e.Sources {
					if !emitted[src] || !byID[src].HasKind(graph.KindSource) {
						t.Fatalf("%s cites %s, not an earlier source", e.ID, src)
					}
				}
				emitted[e.ID] = true
			}
			for _, r := range s.rels {
				if len(r.Sources) < 1 || len(r.Sources) > 3 {
					t.Fatalf("%s cites %d sources", r.ID, len(r.Sources))
				}
				for _, src := range r.Sources {
					if !byID[src].HasKind(graph.KindSource) {
						t.Fatalf("%s cites %s, not a source", r.ID, src)
					}
				}
			}
		}},
		{"every relationship endpoint resolves, with the documented kinds", func(t *testing.T) {
			for _, r := range s.rels {
				from, ok1 := byID[r.From]
				to, ok2 := byID[r.To]
				if !ok1 || !ok2 {
					t.Fatalf("%s: unresolved endpoint", r.ID)
				}
				k := kindsOK[r.Type]
				if !hasAny(from, k[0]) || !hasAny(to, k[1]) {
					t.Fatalf("%s: %v -> %v breaks the %s contract", r.ID, from.Kinds, to.Kinds, r.Type)
				}
			}
		}},
		{"relationship ids are unique", func(t *testing.T) {
			ids := map[string]bool{}
			for _, r := range s.rels {
				if ids[r.ID] {
					t.Fatalf("duplicate relationship %s", r.ID)
				}
				ids[r.ID] = true
			}
		}},
		{"evidence grades are spread", func(t *testing.T) {
			n := map[graph.Evidence]int{}
			for _, r := range s.rels {
				n[r.Evidence]++
			}
			for _, ev := range graph.Evidences() {
				if n[ev] == 0 {
					t.Errorf("no %s relationships: %v", ev, n)
				}
			}
			if n[graph.EvidenceMediaReport] < n[graph.EvidenceConviction] {
				t.Errorf("more convictions than media reports: %v", n)
			}
		}},
		{"some relationships have since and until", func(t *testing.T) {
			since, until := 0, 0
			for _, r := range s.rels {
				if r.Since != nil {
					since++
				}
				if r.Until != nil {
					until++
				}
			}
			if since < len(s.rels)/20 || until == 0 {
				t.Errorf("since on %d, until on %d of %d", since, until, len(s.rels))
			}
		}},
		{"events are dated 2015-2026 and victims include cohorts", func(t *testing.T) {
			cohorts := 0
			for _, e := range s.ents {
				if d, ok := e.Properties["date"]; ok && (d.S < "2015" || d.S > "2026-12-31") {
					t.Fatalf("%s dated %s", e.ID, d.S)
				}
				if c, ok := e.Properties["cohort"]; ok && c.B {
					if e.Properties["count"].I < 1 || e.Properties["nationality"].S == "" {
						t.Fatalf("cohort %s without count or nationality", e.ID)
					}
					cohorts++
				}
			}
			if cohorts == 0 {
				t.Fatal("no victim cohorts")
			}
		}},
	} {
		t.Run(tc.name, tc.check)
	}
}

func TestShape(t *testing.T) {
	s := getSample(t)
	kind := map[string]graph.Entity{}
	for _, e := range s.ents {
		kind[e.ID] = e
	}
	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"the top LOCATED_IN target has at least 5% of the edges", func(t *testing.T) {
			in := map[string]int{}
			total := 0
			for _, r := range s.rels {
				if r.Type == graph.RelLocatedIn {
					in[r.To]++
					total++
				}
			}
			top, topID := 0, ""
			for id, n := range in {
				if n > top || (n == top && id < topID) {
					top, topID = n, id
				}
			}
			t.Logf("top LOCATED_IN target %s (%s): %d of %d", topID, kind[topID].Name, top, total)
			if float64(top) < 0.05*float64(total) {
				t.Errorf("top super-node has %d of %d LOCATED_IN edges", top, total)
			}
		}},
		{"a few sources are cited by a large share of entities", func(t *testing.T) {
			in := map[string]int{}
			for _, e := range s.ents {
				for _, src := range e.Sources {
					in[src]++
				}
			}
			var ns []int
			for _, n := range in {
				ns = append(ns, n)
			}
			sort.Sort(sort.Reverse(sort.IntSlice(ns)))
			if ns[0] < s.counts.Mentions/20 {
				t.Errorf("top source has %d of %d mentions", ns[0], s.counts.Mentions)
			}
		}},
		{"degrees are heavy-tailed", func(t *testing.T) {
			deg := map[string]int{}
			for _, r := range s.rels {
				deg[r.From]++
				deg[r.To]++
			}
			var ds []int
			for _, d := range deg {
				ds = append(ds, d)
			}
			sort.Ints(ds)
			median, max := ds[len(ds)/2], ds[len(ds)-1]
			t.Logf("median degree %d, max %d", median, max)
			if max < 20*median {
				t.Errorf("max degree %d is not far above the median %d", max, median)
			}
		}},
		{"ownership chains of depth 4 or more reach a tycoon", func(t *testing.T) {
			owner := map[string]string{} // company -> its owner
			for _, r := range s.rels {
				if r.Type == graph.RelOwns && kind[r.To].HasKind(graph.KindCompany) {
					if _, dup := owner[r.To]; dup {
						t.Fatalf("company %s has two owners", r.To)
					}
					owner[r.To] = r.From
				}
			}
			deep, deepest := 0, 0
			for c := range owner {
				d, x := 0, c
				for {
					o, ok := owner[x]
					if !ok {
						break
					}
					d++
					x = o
				}
				if !kind[x].HasKind(graph.KindTycoon) {
					t.Fatalf("chain from %s ends at %s, not a tycoon", c, x)
				}
				if d >= 4 {
					deep++
				}
				deepest = max(deepest, d)
			}
			t.Logf("%d companies at depth >= 4, deepest %d", deep, deepest)
			if deep == 0 || deepest > 6 {
				t.Errorf("%d companies at depth >= 4, deepest %d (want 4-6 layers)", deep, deepest)
			}
		}},
		{"compounds are operated, officials hold office and victims are held", func(t *testing.T) {
			n := map[graph.RelType]int{}
			for _, r := range s.rels {
				n[r.Type]++
			}
			for _, typ := range graph.RelTypes() {
				// Only imported records (FtM, ICIJ) state these; reports do not.
				if typ == graph.RelLinkedTo || typ == graph.RelPossiblySameAs {
					continue
				}
				if n[typ] == 0 {
					t.Errorf("no %s relationships", typ)
				}
			}
		}},
	} {
		t.Run(tc.name, tc.check)
	}
}

func csvRows(t *testing.T, path string) (header []string, rows int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err = r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return header, rows
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(rec) != len(header) {
			t.Fatalf("%s: row with %d cells, header %d", path, len(rec), len(header))
		}
		rows++
	}
}

func TestCSVFormats(t *testing.T) {
	s := getSample(t)
	perType := map[graph.RelType]int{}
	for _, r := range s.rels {
		perType[r.Type]++
	}
	for _, tc := range []struct {
		name string
		file string
		want int
	}{
		{"loadcsv entities", "loadcsv/entities.csv", s.counts.Entities},
		{"admin nodes", "admin/nodes.csv", s.counts.Entities},
		{"admin relationships", "admin/relationships.csv", s.counts.Relationships},
		{"admin mentions", "admin/mentions.csv", s.counts.Mentions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, n := csvRows(t, filepath.Join(s.dir, tc.file)); n != tc.want {
				t.Errorf("%s has %d rows, want %d", tc.file, n, tc.want)
			}
		})
	}
	t.Run("loadcsv has one file per relationship type with the ndjson rows", func(t *testing.T) {
		total := 0
		for _, typ := range graph.RelTypes() {
			h, n := csvRows(t, filepath.Join(s.dir, "loadcsv", "rels-"+string(typ)+".csv"))
			if strings.Join(h[:8], ",") != "id,from,to,evidence,evidence_rank,since,until,sources" {
				t.Fatalf("header %v", h)
			}
			if n != perType[typ] {
				t.Errorf("rels-%s.csv has %d rows, ndjson %d", typ, n, perType[typ])
			}
			total += n
		}
		if total != s.counts.Relationships {
			t.Errorf("%d relationship rows, want %d", total, s.counts.Relationships)
		}
	})
	t.Run("load.cypher loads every file", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(s.dir, "loadcsv", "load.cypher"))
		if err != nil {
			t.Fatal(err)
		}
		c := string(b)
		for _, want := range []string{"file:///entities.csv", "SET n:$(split(row.labels, ';'))", "MENTIONED_IN", "date(row.published)", "IN TRANSACTIONS OF 1000 ROWS"} {
			if !strings.Contains(c, want) {
				t.Errorf("load.cypher lacks %q", want)
			}
		}
		for _, typ := range graph.RelTypes() {
			if !strings.Contains(c, "file:///rels-"+string(typ)+".csv") || !strings.Contains(c, "[r:"+string(typ)+" {id: row.id}]") {
				t.Errorf("load.cypher does not load %s", typ)
			}
		}
	})
	t.Run("loadcsv entity rows match the ndjson entities", func(t *testing.T) {
		f, err := os.Open(filepath.Join(s.dir, "loadcsv", "entities.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := csv.NewReader(f)
		h, _ := r.Read()
		col := map[string]int{}
		for i, c := range h {
			col[c] = i
		}
		for i, e := range s.ents {
			rec, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			if rec[col["id"]] != e.ID || rec[col["name"]] != e.Name ||
				rec[col["labels"]] != strings.Join(graph.Labels(e.Kinds), ";") {
				t.Fatalf("row %d: %v, ndjson %+v", i+1, rec[:3], e)
			}
			for k, v := range e.Properties {
				j, ok := col[k]
				if !ok {
					t.Fatalf("no column for property %s", k)
				}
				want := v.S
				switch v.Type {
				case graph.TypeInt:
					want = strconv.FormatInt(v.I, 10)
				case graph.TypeBool:
					want = "false"
					if v.B {
						want = "true"
					}
				case graph.TypeStrings:
					want = strings.Join(v.L, "|")
				}
				if rec[j] != want {
					t.Fatalf("%s.%s: csv %q, ndjson %q", e.ID, k, rec[j], want)
				}
			}
		}
	})
}
