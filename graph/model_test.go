package graph_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func TestLabels(t *testing.T) {
	tests := []struct {
		name  string
		kinds []graph.Kind
		want  []string
	}{
		{"tycoon and official share Person", []graph.Kind{graph.KindTycoon, graph.KindOfficial}, []string{"Entity", "Official", "Person", "Tycoon"}},
		{"compound", []graph.Kind{graph.KindCompound}, []string{"Compound", "Entity"}},
		{"no kinds still Entity", nil, []string{"Entity"}},
		{"unknown kind ignored", []graph.Kind{"spaceship"}, []string{"Entity"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := graph.Labels(tc.kinds); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Labels(%v) = %v, want %v", tc.kinds, got, tc.want)
			}
		})
	}
}

func TestKindsFromLabels(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		want   []graph.Kind
	}{
		{"plain person", []string{"Entity", "Person"}, []graph.Kind{graph.KindPerson}},
		{"tycoon official", []string{"Entity", "Person", "Tycoon", "Official"}, []graph.Kind{graph.KindOfficial, graph.KindTycoon}},
		{"victim", []string{"Entity", "Victim"}, []graph.Kind{graph.KindVictim}},
		{"import run is no kind", []string{"ImportRun"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := graph.KindsFromLabels(tc.labels); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("KindsFromLabels(%v) = %v, want %v", tc.labels, got, tc.want)
			}
		})
	}
}

func TestRoundTripKindLabels(t *testing.T) {
	for _, k := range graph.AllKinds() {
		t.Run(string(k), func(t *testing.T) {
			got := graph.KindsFromLabels(graph.Labels([]graph.Kind{k}))
			if len(got) != 1 || got[0] != k {
				t.Errorf("kind %s round-trips to %v", k, got)
			}
			if _, ok := graph.KindLabel(k); !ok {
				t.Errorf("KindLabel(%s) missing", k)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
		fn   func() bool
	}{
		{"kind case-insensitive", true, func() bool { k, ok := graph.ParseKind(" Tycoon "); return ok && k == graph.KindTycoon }},
		{"kind unknown", false, func() bool { _, ok := graph.ParseKind("pirate"); return ok }},
		{"rel dashes", true, func() bool { r, ok := graph.ParseRelType("held-at"); return ok && r == graph.RelHeldAt }},
		{"rel unknown", false, func() bool { _, ok := graph.ParseRelType("DELETE_ALL"); return ok }},
		{"mentioned_in parses", true, func() bool { r, ok := graph.ParseRelType("MENTIONED_IN"); return ok && !r.Importable() }},
		{"evidence spaces", true, func() bool { e, ok := graph.ParseEvidence("media report"); return ok && e == graph.EvidenceMediaReport }},
		{"evidence unknown", false, func() bool { _, ok := graph.ParseEvidence("rumour"); return ok }},
		{"event type", true, func() bool { e, ok := graph.ParseEventType("Extradition"); return ok && e == graph.EventExtradition }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(); got != tc.ok {
				t.Errorf("got %v, want %v", got, tc.ok)
			}
		})
	}
}

func TestEvidenceRankOrder(t *testing.T) {
	ev := graph.Evidences()
	for i := 1; i < len(ev); i++ {
		if ev[i-1].Rank() > ev[i].Rank() || !ev[i].Stronger(ev[i-1]) || ev[i-1].Stronger(ev[i]) {
			t.Errorf("%s (rank %d) should be weaker than %s (rank %d)", ev[i-1], ev[i-1].Rank(), ev[i], ev[i].Rank())
		}
	}
	for r := 1; r <= 6; r++ {
		if e := graph.EvidenceForRank(r); e.Rank() != r {
			t.Errorf("EvidenceForRank(%d) = %q, of rank %d", r, e, e.Rank())
		}
	}
	if graph.EvidenceRecord.Rank() != graph.EvidenceOfficialStatement.Rank() || graph.EvidenceForRank(3) != graph.EvidenceOfficialStatement {
		t.Error("record shares rank 3 with official_statement, the grade rank 3 stands for")
	}
	if graph.Evidence("nope").Rank() != 0 {
		t.Error("unknown evidence should rank 0")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"2026-01-19", "2026-01-19", false},
		{"2025-10", "2025-10-01", false},
		{"2022", "2022-01-01", false},
		{"2026-02-30", "", true},
		{"19/01/2026", "", true},
		{"", "", true},
		{"1700-01-01", "", true},
		{"2026-1-9", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := graph.ParseDate(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseDate(%q) err = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if err == nil && d.String() != tc.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tc.in, d, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	base := graph.Errorf(graph.CodeNotFound, "id", "no entity %q", "x")
	wrapped := errors.Join(errors.New("context"), base)
	tests := []struct {
		name    string
		err     error
		code    graph.Code
		field   string
		userMsg string
	}{
		{"domain error", base, graph.CodeNotFound, "id", `id: no entity "x"`},
		{"wrapped", wrapped, graph.CodeNotFound, "id", `id: no entity "x"`},
		{"plain error is internal", errors.New("boom"), graph.CodeInternal, "", "internal error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := graph.ErrorCode(tc.err); got != tc.code {
				t.Errorf("code = %s, want %s", got, tc.code)
			}
			if got := graph.ErrorField(tc.err); got != tc.field {
				t.Errorf("field = %q, want %q", got, tc.field)
			}
			if got := graph.ErrorMessage(tc.err); got != tc.userMsg {
				t.Errorf("message = %q, want %q", got, tc.userMsg)
			}
		})
	}
	if graph.ErrorCode(nil) != "" {
		t.Error("nil error should have no code")
	}
}
