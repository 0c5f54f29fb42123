package triage_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// sampleNames reads the names of data/sample (NDJSON and CSV entities).
func sampleNames(t testing.TB, prefix string) []triage.Named {
	t.Helper()
	dir := filepath.Join("..", "..", "data", "sample")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []triage.Named
	add := func(id, kinds, name string, aliases []string) {
		var ks []graph.Kind
		for _, k := range strings.FieldsFunc(kinds, func(r rune) bool { return r == '|' || r == ',' }) {
			ks = append(ks, graph.Kind(k))
		}
		if len(ks) == 1 && ks[0] == graph.KindSource {
			return
		}
		out = append(out, triage.Named{ID: prefix + id, Name: name, Aliases: aliases, Kinds: ks})
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(f) {
		case ".ndjson":
			sc := bufio.NewScanner(fh)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r struct {
					Record, ID, Name string
					Kinds, Aliases   []string
				}
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				if r.Record == "entity" {
					add(r.ID, strings.Join(r.Kinds, "|"), r.Name, r.Aliases)
				}
			}
		case ".csv":
			rows, err := csv.NewReader(fh).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			if _, ok := col["name"]; !ok {
				break
			}
			for _, r := range rows[1:] {
				var aliases []string
				if a := r[col["aliases"]]; a != "" {
					aliases = strings.Split(a, "|")
				}
				add(r[col["id"]], r[col["kinds"]], r[col["name"]], aliases)
			}
		}
		fh.Close()
	}
	return out
}

func readReport(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func date(y, m, d int) *graph.Date { return &graph.Date{Year: y, Month: m, Day: d} }

// TestTriageReports: the product's two reports against the sample graph.
func TestTriageReports(t *testing.T) {
	idx := triage.NewIndex("v1", sampleNames(t, ""))
	type cohort struct {
		count int64
		nat   string
	}
	tests := []struct {
		name      string
		file      string
		doc       triage.Document
		known     []string // ids that must be found
		byAlias   []string // of those, found only by an alias
		cohorts   []cohort
		dates     []string
		events    []graph.EventType
		candidate []string // new names that must be proposed
	}{
		{name: "AFP January 2026", file: "afp-2026-01-indonesians-released-cambodia-crackdown.txt",
			doc:     triage.Document{Publisher: "AFP", Date: date(2026, 1, 19)},
			known:   []string{"person:chen-zhi", "person:ly-kuong", "person:santo-darmosumarto", "person:guo-jiakun", "person:mark-taylor", "location:phnom-penh", "location:bavet", "location:sumatra", "org:chinese-embassy-phnom-penh"},
			byAlias: []string{"org:chinese-embassy-phnom-penh"},
			cohorts: []cohort{{400, "ID"}, {440, "ID"}},
			dates:   []string{"2026-01-01", "2026-01-18", "2026-01-19", "2025-10-01"},
			events:  []graph.EventType{graph.EventArrest, graph.EventDeportation, graph.EventIndictment, graph.EventCharge, graph.EventCrackdown},
		},
		{name: "RFA May 2024", file: "rfa-2024-05-indians-freed-from-sihanoukville.txt",
			doc:       triage.Document{Publisher: "Radio Free Asia", Date: date(2024, 5, 23), Title: "Cambodian gov’t spokesman says 360 Indians freed from cyberscam rings"},
			known:     []string{"person:devyani-khobragade", "person:sar-sokha", "person:touch-sokhak", "person:rajesh-kumar", "location:sihanoukville", "org:taiwan-criminal-investigation-bureau", "org:indian-cyber-crime-coordination-centre"},
			byAlias:   []string{"org:taiwan-criminal-investigation-bureau"},
			cohorts:   []cohort{{360, "IN"}, {60, "IN"}},
			dates:     []string{"2024-05-23", "2022-09-21", "2022-08-18", "2022-10-06", "2022-08-01"},
			events:    []graph.EventType{graph.EventRescue, graph.EventRelease, graph.EventProtest, graph.EventDeportation},
			candidate: []string{"Hindustan Times", "Cindy Liu", "Kuala Lumpur Airport Terminal"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			doc.Text = readReport(t, tc.file)
			res := triage.Run(idx, doc)
			known := map[string]triage.Known{}
			for _, k := range res.Known {
				known[k.ID] = k
			}
			for _, id := range tc.known {
				if _, ok := known[id]; !ok {
					t.Errorf("%s not found; found %v", id, res.Known)
				}
			}
			for _, id := range tc.byAlias {
				if !known[id].ByAlias {
					t.Errorf("%s not found by alias: %+v", id, known[id])
				}
			}
			for _, m := range res.Mentions {
				if doc.Text[m.Start:m.End] != m.Text {
					t.Errorf("mention %q: offsets [%d,%d) hold %q", m.Text, m.Start, m.End, doc.Text[m.Start:m.End])
				}
			}
			for _, want := range tc.cohorts {
				found := false
				for _, c := range res.Cohorts {
					found = found || (c.Count == want.count && c.Nationality == want.nat)
				}
				if !found {
					t.Errorf("cohort %+v not found in %+v", want, res.Cohorts)
				}
			}
			dates := map[string]bool{}
			for _, d := range res.Dates {
				dates[d.Date.String()] = true
			}
			for _, d := range tc.dates {
				if !dates[d] {
					t.Errorf("date %s not found in %+v", d, res.Dates)
				}
			}
			types := map[graph.EventType]bool{}
			for _, e := range res.Events {
				types[e.EventType] = true
			}
			for _, e := range tc.events {
				if !types[e] {
					t.Errorf("event %s not found", e)
				}
			}
			cands := map[string]bool{}
			for _, c := range res.Candidates {
				cands[c.Text] = true
			}
			for _, c := range tc.candidate {
				if !cands[c] {
					t.Errorf("candidate %q not proposed: %+v", c, res.Candidates)
				}
			}
			for _, c := range res.Candidates {
				if _, ok := known[c.ID]; ok {
					t.Errorf("candidate %q is a known entity", c.Text)
				}
			}
			if res.Draft.Status != "draft" || res.Draft.Entities == 0 || res.Draft.Relationships == 0 {
				t.Errorf("draft %+v", res.Draft)
			}
			if testing.Verbose() {
				b, _ := json.MarshalIndent(res, "", " ")
				t.Logf("%s", b)
			}
		})
	}
}

// TestMentions: whole words only, leftmost-longest, ambiguous names flagged.
func TestMentions(t *testing.T) {
	idx := triage.NewIndex("v", []triage.Named{
		{ID: "person:chen-zhi", Name: "Chen Zhi", Aliases: []string{"陈志", "Vincent Chen"}, Kinds: []graph.Kind{graph.KindTycoon}},
		{ID: "person:chen-zhiwei", Name: "Chen Zhiwei", Kinds: []graph.Kind{graph.KindPerson}},
		{ID: "company:prince", Name: "Prince Holding Group Co., Ltd.", Kinds: []graph.Kind{graph.KindCompany}},
		{ID: "org:un", Name: "UN", Kinds: []graph.Kind{graph.KindOrganization}},
		{ID: "person:ly-a", Name: "Ly Kuong", Kinds: []graph.Kind{graph.KindPerson}},
		{ID: "person:ly-b", Name: "Ly Kuong", Kinds: []graph.Kind{graph.KindPerson}},
		{ID: "person:sok-heng-ly", Name: "Sok Heng Ly", Kinds: []graph.Kind{graph.KindPerson}},
		{ID: "company:heng-lim", Name: "Heng Lim Bank", Kinds: []graph.Kind{graph.KindCompany}},
	})
	tests := []struct {
		name, text string
		want       []string // id@text, in order
		ambiguous  []bool
	}{
		{"name and alias", "CHEN Zhi, also known as Vincent Chen, met 陈志.", []string{"person:chen-zhi@CHEN Zhi", "person:chen-zhi@Vincent Chen", "person:chen-zhi@陈志"}, []bool{false, false, false}},
		{"longest wins", "Chen Zhiwei is not Chen Zhi.", []string{"person:chen-zhiwei@Chen Zhiwei", "person:chen-zhi@Chen Zhi"}, []bool{false, false}},
		{"whole words only", "Chen Zhix and Achen Zhi", nil, nil},
		{"company without its legal form", "Prince Holding Group said", []string{"company:prince@Prince Holding Group"}, []bool{false}},
		{"a failed long match falls back (fail links)", "Sok Heng Lim Bank", []string{"company:heng-lim@Heng Lim Bank"}, []bool{false}},
		{"overlaps: the leftmost wins", "Chen Zhi Heng Lim Bank", []string{"person:chen-zhi@Chen Zhi", "company:heng-lim@Heng Lim Bank"}, []bool{false, false}},
		{"short and shared names are ambiguous", "the UN and Ly Kuong", []string{"org:un@UN", "person:ly-a@Ly Kuong"}, []bool{true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := triage.Run(idx, triage.Document{Text: tc.text, Date: date(2026, 1, 19)})
			var got []string
			var amb []bool
			for _, m := range res.Mentions {
				got = append(got, m.ID+"@"+m.Text)
				amb = append(amb, m.Ambiguous)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for i := range amb {
				if i < len(tc.ambiguous) && amb[i] != tc.ambiguous[i] {
					t.Errorf("%s: ambiguous %v, want %v", got[i], amb[i], tc.ambiguous[i])
				}
			}
		})
	}
}

// TestDatesAndCohorts: absolute and relative dates, cohorts with counts.
func TestDatesAndCohorts(t *testing.T) {
	idx := triage.NewIndex("v", nil)
	res := triage.Run(idx, triage.Document{Date: date(2026, 1, 19), // a Monday
		Text: "Police raided the compound on Friday and detained about 270 Vietnamese nationals. Another 60 victims were freed last week. In March, 2,500 people left."})
	want := map[string]string{"on Friday": "2026-01-16", "last week": "2026-01-12", "March": "2025-03-01"}
	for _, d := range res.Dates {
		if w, ok := want[d.Text]; ok && d.Date.String() != w {
			t.Errorf("%q = %s, want %s", d.Text, d.Date, w)
		}
		delete(want, d.Text)
	}
	if len(want) > 0 {
		t.Errorf("dates not found: %v (got %+v)", want, res.Dates)
	}
	if len(res.Cohorts) != 2 || res.Cohorts[0].Count != 270 || res.Cohorts[0].Nationality != "VN" || !res.Cohorts[0].Approximate ||
		res.Cohorts[1].Count != 60 || res.Cohorts[1].Nationality != "" {
		t.Errorf("cohorts %+v", res.Cohorts)
	}
	if len(res.Events) < 3 {
		t.Errorf("events %+v", res.Events)
	}
}
