package api_test

import (
	"net/url"
	"testing"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

func vals(s string) url.Values {
	v, err := url.ParseQuery(s)
	if err != nil {
		panic(err)
	}
	return v
}

// wantField checks that err is a CodeInvalid error naming field ("" for
// no error).
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != field {
		t.Fatalf("error = %v, want invalid %q", err, field)
	}
}

func TestParseSearchParams(t *testing.T) {
	other := graph.SearchQuery{Text: "other"}.CursorKey()
	good := graph.EncodeCursor(graph.Cursor{Offset: 20, Key: graph.SearchQuery{Text: "Chen Zhi"}.CursorKey()})
	tests := []struct {
		name, query, field string
		wantLimit          int
		wantKinds          int
	}{
		{name: "defaults", query: "q=chen", wantLimit: graph.DefaultSearchLimit},
		{name: "kinds repeated and comma-separated", query: "q=chen&kind=tycoon,official&kind=Company", wantLimit: 20, wantKinds: 3},
		{name: "limit", query: "q=chen&limit=100", wantLimit: 100},
		{name: "good cursor", query: "q=Chen+Zhi&cursor=" + good, wantLimit: 20},
		{name: "cursor survives case", query: "q=chen+zhi&cursor=" + good, wantLimit: 20},
		{name: "missing q", query: "kind=tycoon", field: "q"},
		{name: "blank q", query: "q=+++", field: "q"},
		{name: "long q", query: "q=" + string(make([]byte, 201)), field: "q"},
		{name: "bad kind", query: "q=chen&kind=dragon", field: "kind"},
		{name: "limit zero", query: "q=chen&limit=0", field: "limit"},
		{name: "limit too big", query: "q=chen&limit=101", field: "limit"},
		{name: "limit not a number", query: "q=chen&limit=ten", field: "limit"},
		{name: "limit empty", query: "q=chen&limit=", field: "limit"},
		{name: "limit twice", query: "q=chen&limit=1&limit=2", field: "limit"},
		{name: "garbage cursor", query: "q=chen&cursor=%%%", field: "cursor"},
		{name: "base64 garbage cursor", query: "q=chen&cursor=aGVsbG8", field: "cursor"},
		{name: "cursor of another query", query: "q=chen&cursor=" + graph.EncodeCursor(graph.Cursor{Offset: 1, Key: other}), field: "cursor"},
		{name: "unknown parameter", query: "q=chen&lmit=3", field: "lmit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				v = url.Values{"cursor": {"%%%"}, "q": {"chen"}}
			}
			q, err := api.ParseSearchParams(v)
			wantField(t, err, tt.field)
			if tt.field == "" && (q.Limit != tt.wantLimit || len(q.Kinds) != tt.wantKinds) {
				t.Fatalf("query = %+v, want limit %d and %d kinds", q, tt.wantLimit, tt.wantKinds)
			}
		})
	}
}

func TestParseNeighborsParams(t *testing.T) {
	key := graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, RelTypes: []graph.RelType{graph.RelOwns}}.CursorKey()
	good := graph.EncodeCursor(graph.Cursor{After: "company:x", Hop: 1, Key: key})
	tests := []struct {
		name, id, query, field string
		want                   graph.NeighborsQuery
		format                 api.Format
	}{
		{name: "defaults", id: "person:chen-zhi", query: "",
			want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 1, Limit: graph.DefaultNeighborLimit}, format: api.FormatJSON},
		{name: "everything", id: "person:chen-zhi", query: "depth=2&rel=owns&limit=5&as_of=2025-10-14&format=cytoscape&kind=company",
			want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, Limit: 5}, format: api.FormatCytoscape},
		{name: "graphml", id: "x", query: "format=GraphML", want: graph.NeighborsQuery{ID: "x", Depth: 1, Limit: 100}, format: api.FormatGraphML},
		{name: "cursor for these parameters", id: "person:chen-zhi", query: "depth=2&rel=OWNS&cursor=" + good,
			want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, Limit: 100}, format: api.FormatJSON},
		{name: "cursor for other parameters", id: "person:chen-zhi", query: "depth=3&rel=OWNS&cursor=" + good, field: "cursor"},
		{name: "bad id", id: "../etc", field: "id"},
		{name: "empty id", id: "", field: "id"},
		{name: "depth zero", id: "x", query: "depth=0", field: "depth"},
		{name: "depth four", id: "x", query: "depth=4", field: "depth"},
		{name: "depth float", id: "x", query: "depth=1.5", field: "depth"},
		{name: "bad rel", id: "x", query: "rel=OWNS,LOVES", field: "rel"},
		{name: "bad kind", id: "x", query: "kind=ghost", field: "kind"},
		{name: "limit", id: "x", query: "limit=1001", field: "limit"},
		{name: "negative limit", id: "x", query: "limit=-1", field: "limit"},
		{name: "bad as_of", id: "x", query: "as_of=2025-02-30", field: "as_of"},
		{name: "as_of words", id: "x", query: "as_of=yesterday", field: "as_of"},
		{name: "empty as_of", id: "x", query: "as_of=", field: "as_of"},
		{name: "bad format", id: "x", query: "format=csv", field: "format"},
		{name: "unknown parameter", id: "x", query: "max_hops=2", field: "max_hops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, f, err := api.ParseNeighborsParams(tt.id, vals(tt.query))
			wantField(t, err, tt.field)
			if tt.field != "" {
				return
			}
			if q.ID != tt.want.ID || q.Depth != tt.want.Depth || q.Limit != tt.want.Limit || f != tt.format {
				t.Fatalf("got %+v %s, want %+v %s", q, f, tt.want, tt.format)
			}
		})
	}
}

func TestParsePathsParams(t *testing.T) {
	tests := []struct {
		name, query, field string
		check              func(graph.PathsQuery) bool
	}{
		{name: "defaults", query: "from=a&to=b", check: func(q graph.PathsQuery) bool {
			return q.MaxHops == graph.DefaultPathHops && q.Mode == graph.PathShortest && q.Limit == graph.DefaultPathsLimit && q.AsOf == nil &&
				q.MaxDegree == graph.DefaultPathHubDegree
		}},
		{name: "through hubs", query: "from=a&to=b&max_degree=1000000", check: func(q graph.PathsQuery) bool { return q.MaxDegree == graph.MaxPathHubDegree }},
		{name: "max_degree 0", query: "from=a&to=b&max_degree=0", field: "max_degree"},
		{name: "max_degree too big", query: "from=a&to=b&max_degree=1000001", field: "max_degree"},
		{name: "max_degree not a number", query: "from=a&to=b&max_degree=many", field: "max_degree"},
		{name: "all mode with evidence", query: "from=a&to=b&mode=all&min_evidence=charge&max_hops=6&limit=100", check: func(q graph.PathsQuery) bool {
			return q.Mode == graph.PathAll && q.MinEvidence == graph.EvidenceCharge && q.MaxHops == 6 && q.Limit == 100
		}},
		{name: "evidence by rank", query: "from=a&to=b&min_evidence=6", check: func(q graph.PathsQuery) bool { return q.MinEvidence == graph.EvidenceConviction }},
		{name: "mentions named", query: "from=a&to=b&rel=mentioned_in&rel=owns", check: func(q graph.PathsQuery) bool { return len(q.RelTypes) == 2 }},
		{name: "partial as_of", query: "from=a&to=b&as_of=2025-10", check: func(q graph.PathsQuery) bool { return q.AsOf != nil && q.AsOf.String() == "2025-10-01" }},
		{name: "missing from", query: "to=b", field: "from"},
		{name: "missing to", query: "from=a", field: "to"},
		{name: "same ends", query: "from=a&to=a", field: "to"},
		{name: "bad id", query: "from=a b&to=c", field: "from"},
		{name: "hops", query: "from=a&to=b&max_hops=7", field: "max_hops"},
		{name: "mode", query: "from=a&to=b&mode=longest", field: "mode"},
		{name: "evidence", query: "from=a&to=b&min_evidence=rumour", field: "min_evidence"},
		{name: "evidence rank 7", query: "from=a&to=b&min_evidence=7", field: "min_evidence"},
		{name: "limit", query: "from=a&to=b&limit=101", field: "limit"},
		{name: "format", query: "from=a&to=b&format=dot", field: "format"},
		{name: "from twice", query: "from=a&from=c&to=b", field: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _, err := api.ParsePathsParams(vals(tt.query))
			wantField(t, err, tt.field)
			if tt.field == "" && !tt.check(q) {
				t.Fatalf("unexpected query %+v", q)
			}
		})
	}
}

func TestParseNamedQueryParams(t *testing.T) {
	tests := []struct {
		name, field string
		parse       func() error
	}{
		{name: "prosecuted ok", parse: func() error {
			_, _, err := api.ParseProsecutedLinksParams(vals("max_hops=3&min_evidence=charge&as_of=2026-01-01&limit=10&person=person:ly-kuong&format=graphml"))
			return err
		}},
		{name: "prosecuted bad person", field: "person", parse: func() error {
			_, _, err := api.ParseProsecutedLinksParams(vals("person=-x"))
			return err
		}},
		{name: "prosecuted focus is not its parameter", field: "focus", parse: func() error {
			_, _, err := api.ParseProsecutedLinksParams(vals("focus=x"))
			return err
		}},
		{name: "official ok", parse: func() error {
			_, _, err := api.ParseOfficialLinksParams(vals("max_hops=2&focus=person:chen-zhi"))
			return err
		}},
		{name: "official has no min_evidence", field: "min_evidence", parse: func() error {
			_, _, err := api.ParseOfficialLinksParams(vals("min_evidence=charge"))
			return err
		}},
		{name: "official hops", field: "max_hops", parse: func() error {
			_, _, err := api.ParseOfficialLinksParams(vals("max_hops=0"))
			return err
		}},
		{name: "network ok", parse: func() error {
			_, _, _, err := api.ParseCompoundNetworkParams("compound:x", vals("as_of=2024-01-01&format=cytoscape"))
			return err
		}},
		{name: "network bad id", field: "id", parse: func() error {
			_, _, _, err := api.ParseCompoundNetworkParams(" ", vals(""))
			return err
		}},
		{name: "victims ok", parse: func() error {
			_, err := api.ParseVictimsParams(vals("nationality=id&compound=compound:x"))
			return err
		}},
		{name: "victims nationality", field: "nationality", parse: func() error {
			_, err := api.ParseVictimsParams(vals("nationality=Indonesia"))
			return err
		}},
		{name: "victims has no format", field: "format", parse: func() error {
			_, err := api.ParseVictimsParams(vals("format=json"))
			return err
		}},
		{name: "timeline as_of", field: "as_of", parse: func() error {
			_, _, err := api.ParseTimelineParams("x", vals("as_of=13/01/2026"))
			return err
		}},
		{name: "ownership ok", parse: func() error {
			_, _, _, err := api.ParseOwnershipParams("company:x", vals("max_hops=6&format=json"))
			return err
		}},
		{name: "ownership format", field: "format", parse: func() error {
			_, _, _, err := api.ParseOwnershipParams("company:x", vals("format=svg"))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantField(t, tt.parse(), tt.field) })
	}
}

// The fuzz targets check that no input panics and that every rejection is
// a CodeInvalid error naming a parameter (the API's 400).

func checkParseResult(t *testing.T, err error) {
	if err == nil {
		return
	}
	if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) == "" {
		t.Fatalf("error %v: want invalid with a field", err)
	}
}

func FuzzParseNeighborsParams(f *testing.F) {
	f.Add("person:chen-zhi", "depth=2&rel=OWNS,CONTROLS&kind=company&limit=10&as_of=2025-10-14&format=graphml")
	f.Add("x", "cursor=eyJrIjoiMSJ9&depth=3")
	f.Add("", "depth=-1&limit=99999999999999999999")
	f.Fuzz(func(t *testing.T, id, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		q, _, err := api.ParseNeighborsParams(id, v)
		checkParseResult(t, err)
		if err == nil && (q.Depth < 1 || q.Depth > graph.MaxNeighborDepth || q.Limit < 1 || q.Limit > graph.MaxNeighborLimit) {
			t.Fatalf("accepted out-of-range query %+v", q)
		}
	})
}

func FuzzParsePathsParams(f *testing.F) {
	f.Add("from=a&to=b&max_hops=3&mode=all&rel=OWNS&min_evidence=charge&as_of=2025-01-01&limit=5&max_degree=50&format=cytoscape")
	f.Add("from=a&to=a")
	f.Add("from=%00&to=b&min_evidence=0")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		q, _, err := api.ParsePathsParams(v)
		checkParseResult(t, err)
		if err == nil && (q.MaxHops < 1 || q.MaxHops > graph.MaxPathHops || q.From == q.To) {
			t.Fatalf("accepted bad query %+v", q)
		}
	})
}

func FuzzParseSearchParams(f *testing.F) {
	f.Add("q=Chen+Zhi&kind=tycoon&limit=5")
	f.Add("q=%22chen%22+OR+(*:*)&cursor=e30")
	f.Add("q=Tr%E1%BA%A7n&kind=,,,")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		q, err := api.ParseSearchParams(v)
		checkParseResult(t, err)
		if err == nil && (q.Text == "" || q.Limit < 1 || q.Limit > graph.MaxSearchLimit) {
			t.Fatalf("accepted bad query %+v", q)
		}
	})
}
