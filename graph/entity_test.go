package graph_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func date(t *testing.T, s string) *graph.Date {
	t.Helper()
	d, err := graph.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func TestMergeEntity(t *testing.T) {
	stored := graph.Entity{
		ID: "person:chen-zhi", Kinds: []graph.Kind{graph.KindTycoon}, Name: "Chen Zhi",
		Aliases: []string{"Vincent"}, Sources: []string{"source:a"},
		Properties: map[string]graph.Value{"nationality": graph.StringValue("KH"), "position": graph.StringValue("adviser")},
	}
	tests := []struct {
		name        string
		in          graph.Entity
		wantChanged bool
		check       func(t *testing.T, got graph.Entity)
	}{
		{"same record changes nothing", stored, false, func(t *testing.T, got graph.Entity) {
			if !graph.EntitiesEqual(got, stored) {
				t.Errorf("got %+v", got)
			}
		}},
		{"later report adds aliases, sources and a kind", graph.Entity{ID: stored.ID, Kinds: []graph.Kind{graph.KindOfficial},
			Aliases: []string{"陈志"}, Sources: []string{"source:b"}}, true, func(t *testing.T, got graph.Entity) {
			if !reflect.DeepEqual(got.Aliases, []string{"Vincent", "陈志"}) {
				t.Errorf("aliases = %v", got.Aliases)
			}
			if !reflect.DeepEqual(got.Sources, []string{"source:a", "source:b"}) {
				t.Errorf("sources = %v", got.Sources)
			}
			if !reflect.DeepEqual(got.Kinds, []graph.Kind{graph.KindOfficial, graph.KindTycoon}) {
				t.Errorf("kinds = %v", got.Kinds)
			}
			if got.Name != "Chen Zhi" || got.Properties["position"].S != "adviser" {
				t.Errorf("name or kept property lost: %+v", got)
			}
		}},
		{"new name keeps the old as alias", graph.Entity{ID: stored.ID, Name: "CHEN Zhi", Sources: []string{"source:a"}}, true, func(t *testing.T, got graph.Entity) {
			if got.Name != "CHEN Zhi" || !reflect.DeepEqual(got.Aliases, []string{"Chen Zhi", "Vincent"}) {
				t.Errorf("got name %q aliases %v", got.Name, got.Aliases)
			}
		}},
		{"incoming property replaces stored value", graph.Entity{ID: stored.ID, Sources: []string{"source:a"},
			Properties: map[string]graph.Value{"position": graph.StringValue("former adviser")}}, true, func(t *testing.T, got graph.Entity) {
			if got.Properties["position"].S != "former adviser" || got.Properties["nationality"].S != "KH" {
				t.Errorf("properties = %v", got.Properties)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := graph.MergeEntity(stored, tc.in)
			if changed != tc.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tc.wantChanged)
			}
			tc.check(t, got)
			again, changedAgain := graph.MergeEntity(got, tc.in)
			if changedAgain || !graph.EntitiesEqual(again, got) {
				t.Errorf("merging the same record twice is not idempotent: %+v", again)
			}
		})
	}
}

func TestMergeRelationship(t *testing.T) {
	stored := graph.Relationship{ID: "a-[OWNS]->b", Type: graph.RelOwns, From: "a", To: "b",
		Evidence: graph.EvidenceMediaReport, Since: date(t, "2018-01-01"), Sources: []string{"s1"}}
	tests := []struct {
		name        string
		in          graph.Relationship
		wantChanged bool
		wantEv      graph.Evidence
		wantSince   string
		wantUntil   string
	}{
		{"same", stored, false, graph.EvidenceMediaReport, "2018-01-01", ""},
		{"stronger evidence wins", graph.Relationship{Evidence: graph.EvidenceDesignation, Sources: []string{"s2"}}, true, graph.EvidenceDesignation, "2018-01-01", ""},
		{"weaker evidence does not downgrade", graph.Relationship{Evidence: graph.EvidenceAllegation, Sources: []string{"s1"}}, false, graph.EvidenceMediaReport, "2018-01-01", ""},
		{"earlier since, new until", graph.Relationship{Evidence: graph.EvidenceMediaReport, Since: date(t, "2015"), Until: date(t, "2024-05"), Sources: []string{"s1"}}, true, graph.EvidenceMediaReport, "2015-01-01", "2024-05-01"},
		{"later since ignored", graph.Relationship{Evidence: graph.EvidenceMediaReport, Since: date(t, "2020-01-01"), Sources: []string{"s1"}}, false, graph.EvidenceMediaReport, "2018-01-01", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := graph.MergeRelationship(stored, tc.in)
			if changed != tc.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tc.wantChanged)
			}
			if got.Evidence != tc.wantEv {
				t.Errorf("evidence = %s, want %s", got.Evidence, tc.wantEv)
			}
			if got.Since == nil || got.Since.String() != tc.wantSince {
				t.Errorf("since = %v, want %s", got.Since, tc.wantSince)
			}
			if (got.Until == nil && tc.wantUntil != "") || (got.Until != nil && got.Until.String() != tc.wantUntil) {
				t.Errorf("until = %v, want %q", got.Until, tc.wantUntil)
			}
		})
	}
}

func TestValidateEntity(t *testing.T) {
	ok := func() graph.Entity {
		return graph.Entity{ID: "person:ly-kuong", Kinds: []graph.Kind{graph.KindTycoon}, Name: "Ly Kuong", Sources: []string{"source:afp"}}
	}
	tests := []struct {
		name      string
		mutate    func(*graph.Entity)
		wantField string
	}{
		{"valid", func(*graph.Entity) {}, ""},
		{"missing id", func(e *graph.Entity) { e.ID = "" }, "id"},
		{"id with space", func(e *graph.Entity) { e.ID = "person: x" }, "id"},
		{"overlong id", func(e *graph.Entity) { e.ID = strings.Repeat("a", 201) }, "id"},
		{"no kinds", func(e *graph.Entity) { e.Kinds = nil }, "kinds"},
		{"unknown kind", func(e *graph.Entity) { e.Kinds = []graph.Kind{"wizard"} }, "kinds"},
		{"no name", func(e *graph.Entity) { e.Name = "" }, "name"},
		{"invalid utf8 name", func(e *graph.Entity) { e.Name = "Ly \xff" }, "name"},
		{"no sources", func(e *graph.Entity) { e.Sources = nil }, "sources"},
		{"bad source id", func(e *graph.Entity) { e.Sources = []string{"bad id"} }, "sources[0]"},
		{"reserved property", func(e *graph.Entity) { e.Properties = map[string]graph.Value{"created_at": graph.StringValue("x")} }, "properties.created_at"},
		{"event needs type and date", func(e *graph.Entity) { e.Kinds = []graph.Kind{graph.KindEvent} }, "properties."},
		{"source needs no sources", func(e *graph.Entity) {
			e.Kinds = []graph.Kind{graph.KindSource}
			e.Sources = nil
			e.Properties = map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.StringValue("2026-01-19"), "source_type": graph.StringValue("news")}
		}, ""},
		{"source cannot be a person", func(e *graph.Entity) { e.Kinds = []graph.Kind{graph.KindSource, graph.KindPerson} }, "kinds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ok()
			tc.mutate(&e)
			err := graph.ValidateEntity(e)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error on %s", tc.wantField)
			}
			if f := graph.ErrorField(err); !strings.HasPrefix(f, tc.wantField) {
				t.Errorf("field = %q, want prefix %q (err %v)", f, tc.wantField, err)
			}
			if graph.ErrorCode(err) != graph.CodeInvalid {
				t.Errorf("code = %s", graph.ErrorCode(err))
			}
		})
	}
}

// TestValidateEntityNamesTheSameFieldEveryTime: when several fields are
// wrong, the error names the first of them in key order, not whichever a
// map's iteration gives first (the FuzzScanParallel finding: one line, two
// reasons, run to run).
func TestValidateEntityNamesTheSameFieldEveryTime(t *testing.T) {
	tests := []struct {
		name      string
		entity    graph.Entity
		wantField string
	}{
		{"source missing its three required properties", graph.Entity{ID: "source:s", Kinds: []graph.Kind{graph.KindSource}, Name: "S"}, "properties.published"},
		{"event missing type and date", graph.Entity{ID: "event:e", Kinds: []graph.Kind{graph.KindEvent}, Name: "E", Sources: []string{"source:s"}}, "properties.date"},
		{"two reserved keys", graph.Entity{ID: "person:p", Kinds: []graph.Kind{graph.KindPerson}, Name: "P", Sources: []string{"source:s"},
			Properties: map[string]graph.Value{"updated_at": graph.StringValue("x"), "created_at": graph.StringValue("x"), "zz_rank": graph.StringValue("x"), "note": graph.StringValue("ok")}}, "properties.created_at"},
		{"two bad texts", graph.Entity{ID: "person:p", Kinds: []graph.Kind{graph.KindPerson}, Name: "P", Sources: []string{"source:s"},
			Properties: map[string]graph.Value{"b_note": graph.StringValue("\xff"), "a_note": graph.StringValue("\xfe"), "c_note": graph.StringValue("\xfd")}}, "properties.a_note"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 200 {
				err := graph.ValidateEntity(tc.entity)
				if f := graph.ErrorField(err); f != tc.wantField {
					t.Fatalf("try %d: field = %q, want %q (err %v)", i, f, tc.wantField, err)
				}
			}
		})
	}
}

func TestValidateRelationship(t *testing.T) {
	ok := func() graph.Relationship {
		return graph.Relationship{ID: "x", Type: graph.RelOperates, From: "person:a", To: "compound:b",
			Evidence: graph.EvidenceCharge, Sources: []string{"source:s"}}
	}
	tests := []struct {
		name      string
		mutate    func(*graph.Relationship)
		wantField string
	}{
		{"valid", func(*graph.Relationship) {}, ""},
		{"unknown type", func(r *graph.Relationship) { r.Type = "HACKS" }, "type"},
		{"derived type refused", func(r *graph.Relationship) { r.Type = graph.RelMentionedIn }, "type"},
		{"self loop", func(r *graph.Relationship) { r.To = r.From }, "to"},
		{"no evidence", func(r *graph.Relationship) { r.Evidence = "" }, "evidence"},
		{"no sources", func(r *graph.Relationship) { r.Sources = nil }, "sources"},
		{"until before since", func(r *graph.Relationship) { r.Since = date(t, "2020"); r.Until = date(t, "2019") }, "until"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ok()
			tc.mutate(&r)
			err := graph.ValidateRelationship(r)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || graph.ErrorField(err) != tc.wantField {
				t.Fatalf("err = %v (field %q), want field %q", err, graph.ErrorField(err), tc.wantField)
			}
		})
	}
}

func TestCoerceProperty(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		raw     any
		want    graph.Value
		wantErr bool
	}{
		{"count from csv string", "count", "360", graph.IntValue(360), false},
		{"count from json float", "count", float64(440), graph.IntValue(440), false},
		{"count below min", "count", "0", graph.Value{}, true},
		{"count fraction", "count", 1.5, graph.Value{}, true},
		{"nationality code", "nationality", "ID", graph.StringValue("ID"), false},
		{"nationality name refused", "nationality", "Indonesia", graph.Value{}, true},
		{"date partial", "date", "2026-01", graph.StringValue("2026-01-01"), false},
		{"date bad", "date", "yesterday", graph.Value{}, true},
		{"enum", "event_type", "raid", graph.StringValue("raid"), false},
		{"enum unknown", "event_type", "party", graph.Value{}, true},
		{"url", "url", "https://example.org/a", graph.StringValue("https://example.org/a"), false},
		{"javascript url refused", "url", "javascript:alert(1)", graph.Value{}, true},
		{"bool from csv", "cohort", "true", graph.BoolValue(true), false},
		{"free string", "attributed_to", "The Hindu", graph.StringValue("The Hindu"), false},
		{"free list", "tags", []any{"a", "b"}, graph.StringsValue([]string{"a", "b"}), false},
		{"free object refused", "blob", map[string]any{}, graph.Value{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := graph.CoerceProperty(tc.key, tc.raw)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				if graph.ErrorField(err) != "properties."+tc.key {
					t.Errorf("field = %q", graph.ErrorField(err))
				}
				return
			}
			if tc.want.Type == graph.TypeString && tc.key == "date" {
				tc.want = graph.Value{Type: graph.TypeDate, S: tc.want.S}
			}
			if !got.Equal(tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
