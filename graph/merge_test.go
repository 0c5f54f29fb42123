package graph_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// TestPlanMerge: names, kinds, sources and properties move by the merge
// rules; relationships re-point, merge or drop.
func TestPlanMerge(t *testing.T) {
	d := func(y int) *graph.Date { return &graph.Date{Year: y, Month: 1, Day: 1} }
	keep := graph.Entity{ID: "person:chen-zhi", Kinds: []graph.Kind{graph.KindTycoon}, Name: "Chen Zhi", Sources: []string{"source:afp"},
		Properties: map[string]graph.Value{"birth_country": graph.StringValue("CN")}}
	ofac := graph.Entity{ID: "ofac:1", Kinds: []graph.Kind{graph.KindPerson}, Name: "CHEN Zhi", Aliases: []string{"Vincent Chen"}, Sources: []string{"source:ofac"},
		Properties: map[string]graph.Value{"birth_country": graph.StringValue("KH"), "passport": graph.StringValue("E1")}}
	rel := func(typ graph.RelType, from, to string, ev graph.Evidence, since *graph.Date, src string) graph.Relationship {
		return graph.Relationship{ID: graph.RelationshipID(from, typ, to, ""), Type: typ, From: from, To: to, Evidence: ev, Since: since, Sources: []string{src}}
	}
	rels := []graph.Relationship{
		rel(graph.RelOwns, "person:chen-zhi", "company:prince", graph.EvidenceMediaReport, d(2020), "source:afp"),
		rel(graph.RelOwns, "ofac:1", "company:prince", graph.EvidenceDesignation, d(2015), "source:ofac"),
		rel(graph.RelSubjectOf, "ofac:1", "event:sanction", graph.EvidenceDesignation, nil, "source:ofac"),
		rel(graph.RelAssociateOf, "ofac:1", "person:chen-zhi", graph.EvidenceAllegation, nil, "source:ofac"),
	}
	p, err := graph.PlanMerge(keep, []graph.Entity{ofac}, rels)
	if err != nil {
		t.Fatal(err)
	}
	k := p.Kept
	tests := []struct {
		name string
		ok   bool
	}{
		{"display name kept", k.Name == "Chen Zhi"},
		{"names become aliases", slices.Equal(k.Aliases, []string{"CHEN Zhi", "Vincent Chen"})},
		{"tycoon implies person", slices.Equal(k.Kinds, []graph.Kind{graph.KindTycoon})},
		{"sources are a union", slices.Equal(k.Sources, []string{"source:afp", "source:ofac"})},
		{"missing property copied", k.Properties["passport"].S == "E1"},
		{"conflict keeps the kept value", k.Properties["birth_country"].S == "CN" && len(p.Record.Conflicts) == 1 && p.Record.Conflicts[0].Other.S == "KH"},
		{"three relationships move", len(p.Delete) == 3},
		{"two written: OWNS merged, SUBJECT_OF re-pointed", len(p.Write) == 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("plan %+v", p)
			}
		})
	}
	for _, r := range p.Write {
		if r.Type == graph.RelOwns && (r.Evidence != graph.EvidenceDesignation || *r.Since != *d(2015) || len(r.Sources) != 2) {
			t.Errorf("OWNS not merged by the rules: %+v", r)
		}
		if strings.HasPrefix(r.From, "ofac:") || strings.HasPrefix(r.To, "ofac:") {
			t.Errorf("not re-pointed: %+v", r)
		}
	}
	if _, err := graph.PlanMerge(keep, []graph.Entity{{ID: "company:x", Kinds: []graph.Kind{graph.KindCompany}, Name: "X"}}, nil); graph.ErrorCode(err) != graph.CodeInvalid {
		t.Errorf("person and company merged: %v", err)
	}
}

// FuzzParseIDMap: the mapping-file parser never panics, and what it
// accepts are valid, distinct pairs.
func FuzzParseIDMap(f *testing.F) {
	for _, s := range []string{"a:1 b:2\n", "# c\n\nuk:1,person:x\nofac:2 -> person:x\n", "a a\n", "a b c\n", "\xff x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := graph.ParseIDMap(strings.NewReader(s))
		if err != nil {
			return
		}
		for k, v := range m {
			if k == v || graph.ValidateID("k", k) != nil || graph.ValidateID("v", v) != nil {
				t.Fatalf("accepted %q -> %q", k, v)
			}
		}
	})
}

// TestJudgementRequests: the bounds of listing and withdrawing judgements,
// and who may withdraw one.
func TestJudgementRequests(t *testing.T) {
	t.Run("list defaults", func(t *testing.T) {
		q, err := graph.JudgementsQuery{}.Normalize()
		if err != nil || q.Limit != graph.DefaultJudgementsLimit || q.AfterAt != nil {
			t.Errorf("%+v %v", q, err)
		}
	})
	t.Run("cursor round trip", func(t *testing.T) {
		q := graph.JudgementsQuery{Entity: "person:a"}
		last := graph.Judgement{ID: graph.JudgementID("person:b", "person:a"), At: time.Date(2026, 1, 19, 10, 15, 0, 123456789, time.UTC)}
		q.Cursor = q.NextJudgementsCursor(last)
		n, err := q.Normalize()
		if err != nil || n.AfterAt == nil || !n.AfterAt.Equal(last.At) || n.AfterID != "judgement:person:a|person:b" {
			t.Errorf("%+v %v", n, err)
		}
	})
	bad := []struct {
		name, field string
		q           graph.JudgementsQuery
	}{
		{"limit too high", "limit", graph.JudgementsQuery{Limit: graph.MaxJudgementsLimit + 1}},
		{"negative limit", "limit", graph.JudgementsQuery{Limit: -1}},
		{"unknown verdict", "verdict", graph.JudgementsQuery{Verdict: "same"}},
		{"bad entity", "entity", graph.JudgementsQuery{Entity: "has space"}},
		{"garbage cursor", "cursor", graph.JudgementsQuery{Cursor: "!!"}},
		{"another filter's cursor", "cursor", graph.JudgementsQuery{Entity: "person:b",
			Cursor: graph.JudgementsQuery{Entity: "person:a"}.NextJudgementsCursor(graph.Judgement{ID: "judgement:x|y"})}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.q.Normalize(); graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tc.field {
				t.Errorf("got %v, want invalid %q", err, tc.field)
			}
		})
	}
	ids := []struct {
		name, id string
		ok       bool
	}{
		{"a judgement id", "judgement:person:a|person:b/c", true},
		{"a merge id", "merge-20260119T101500Z-1a2b3c4d", false},
		{"one id", "judgement:person:a", false},
		{"an empty side", "judgement:person:a|", false},
		{"a bad side", "judgement:person a|person:b", false},
	}
	for _, tc := range ids {
		t.Run("withdrawal id: "+tc.name, func(t *testing.T) {
			_, err := graph.JudgementWithdrawal{ID: tc.id}.Normalize()
			if (err == nil) != tc.ok || (err != nil && graph.ErrorField(err) != "id") {
				t.Errorf("%q: %v", tc.id, err)
			}
		})
	}
	j := graph.Judgement{ID: "judgement:a|b", By: "alice"}
	who := []struct {
		name string
		w    graph.JudgementWithdrawal
		ok   bool
	}{
		{"its author", graph.JudgementWithdrawal{By: "alice"}, true},
		{"another analyst", graph.JudgementWithdrawal{By: "bob"}, false},
		{"an admin", graph.JudgementWithdrawal{By: "root", Any: true}, true},
	}
	for _, tc := range who {
		t.Run("may withdraw: "+tc.name, func(t *testing.T) {
			err := tc.w.MayWithdraw(j)
			if (err == nil) != tc.ok || (err != nil && graph.ErrorCode(err) != graph.CodeForbidden) {
				t.Errorf("%v", err)
			}
		})
	}
}
