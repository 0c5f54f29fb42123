package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// Every documented parameter is checked against openapi.yaml and reaches
// the domain query: these tests send requests through the whole server
// and compare what the fakes received.

// sent serves target (GET, admin key) and returns what the reader or
// investigator received, or the problem's field.
func sent(t *testing.T, target string) (got any, field string) {
	t.Helper()
	return sentRequest(t, httptest.NewRequest("GET", target, nil))
}

// sentRequest is sent for a request already made (with the admin key added).
func sentRequest(t *testing.T, req *http.Request) (got any, field string) {
	t.Helper()
	r, inv := &fakeReader{}, &fakeInvestigator{}
	s := newTestServer(t, r, inv, time.Second)
	req.Header.Set("Authorization", "Bearer "+s.keys[graph.RoleAdmin])
	rec := serve(s.h, req)
	target := req.URL.String()
	switch rec.Code {
	case http.StatusOK:
		if r.gotQuery != nil {
			return r.gotQuery, ""
		}
		return inv.got, ""
	case http.StatusBadRequest:
		p := decodeProblem(t, rec)
		if r.gotQuery != nil || inv.called != 0 {
			t.Fatalf("a bad request reached the store: %+v %+v", r.gotQuery, inv.got)
		}
		if p.Field == "" {
			t.Fatalf("400 without a field: %+v", p)
		}
		return nil, p.Field
	}
	t.Fatalf("GET %s = %d: %s", target, rec.Code, rec.Body)
	return nil, ""
}

func wantQuery(t *testing.T, target, field string, want any) {
	t.Helper()
	got, gotField := sent(t, target)
	if gotField != field {
		t.Fatalf("field = %q, want %q (query %+v)", gotField, field, got)
	}
	if field == "" && want != nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("query = %#v\nwant    %#v", got, want)
	}
}

func date(s string) *graph.Date {
	d, err := graph.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func TestSearchParams(t *testing.T) {
	other := graph.SearchQuery{Text: "other", Role: graph.RoleAdmin}.CursorKey()
	good := graph.EncodeCursor(graph.Cursor{Offset: 20, Key: graph.SearchQuery{Text: "Chen Zhi", Role: graph.RoleAdmin}.CursorKey()})
	// The fake server's key is an admin's: the search query carries that
	// role, and a cursor is bound to whether its role sees victims.
	readerCursor := graph.EncodeCursor(graph.Cursor{Offset: 20, Key: graph.SearchQuery{Text: "Chen Zhi", Role: graph.RoleReader}.CursorKey()})
	tests := []struct {
		name, query, field string
		want               any
	}{
		{name: "defaults", query: "q=chen", want: graph.SearchQuery{Text: "chen", Limit: graph.DefaultSearchLimit, Role: graph.RoleAdmin}},
		{name: "everything", query: "q=+chen+zhi+&kind=tycoon,official&kind=company&limit=100&cursor=" + graph.EncodeCursor(graph.Cursor{Offset: 100, Key: graph.SearchQuery{Text: "chen zhi", Kinds: []graph.Kind{"company", "official", "tycoon"}, Role: graph.RoleAdmin}.CursorKey()}),
			want: graph.SearchQuery{Text: "chen zhi", Kinds: []graph.Kind{graph.KindTycoon, graph.KindOfficial, graph.KindCompany}, Limit: 100, Role: graph.RoleAdmin,
				Cursor: graph.EncodeCursor(graph.Cursor{Offset: 100, Key: graph.SearchQuery{Text: "chen zhi", Kinds: []graph.Kind{"company", "official", "tycoon"}, Role: graph.RoleAdmin}.CursorKey()})}},
		{name: "good cursor", query: "q=Chen+Zhi&cursor=" + good},
		{name: "cursor survives case", query: "q=chen+zhi&cursor=" + good},
		{name: "missing q", query: "kind=tycoon", field: "q"},
		{name: "blank q", query: "q=+++", field: "q"},
		{name: "long q", query: "q=" + url.QueryEscape(string(make([]byte, 201))), field: "q"},
		{name: "bad kind", query: "q=chen&kind=dragon", field: "kind"},
		{name: "kind not lower case", query: "q=chen&kind=Company", field: "kind"},
		{name: "limit zero", query: "q=chen&limit=0", field: "limit"},
		{name: "limit too big", query: "q=chen&limit=101", field: "limit"},
		{name: "limit not a number", query: "q=chen&limit=ten", field: "limit"},
		{name: "limit empty", query: "q=chen&limit=", field: "limit"},
		{name: "limit twice", query: "q=chen&limit=1&limit=2", field: "limit"},
		{name: "garbage cursor", query: "q=chen&cursor=%25%25%25", field: "cursor"},
		{name: "base64 garbage cursor", query: "q=chen&cursor=aGVsbG8", field: "cursor"},
		{name: "cursor of another query", query: "q=chen&cursor=" + graph.EncodeCursor(graph.Cursor{Offset: 1, Key: other}), field: "cursor"},
		{name: "cursor of a role that sees no victims", query: "q=Chen+Zhi&cursor=" + readerCursor, field: "cursor"},
		{name: "unknown parameter", query: "q=chen&lmit=3", field: "lmit"},
		{name: "empty cursor is the first page", query: "q=chen&cursor=", want: graph.SearchQuery{Text: "chen", Limit: graph.DefaultSearchLimit, Role: graph.RoleAdmin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantQuery(t, "/v1/search?"+tt.query, tt.field, tt.want) })
	}
}

func TestNeighborsParams(t *testing.T) {
	key := graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, RelTypes: []graph.RelType{graph.RelOwns}}.CursorKey()
	good := graph.EncodeCursor(graph.Cursor{After: "company:x", Hop: 1, Key: key})
	tests := []struct {
		name, id, query, field string
		want                   any
	}{
		{name: "defaults", id: "person:chen-zhi", want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 1, Limit: graph.DefaultNeighborLimit}},
		{name: "everything", id: "person:chen-zhi", query: "depth=2&rel=OWNS,CONTROLS&rel=OWNS&limit=5&as_of=2025-10-14&format=cytoscape&kind=company&kind=person",
			want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, RelTypes: []graph.RelType{graph.RelOwns, graph.RelControls},
				Kinds: []graph.Kind{graph.KindCompany, graph.KindPerson}, Limit: 5, AsOf: date("2025-10-14")}},
		{name: "escaped slash", id: "company%3Aa%2Fb", want: graph.NeighborsQuery{ID: "company:a/b", Depth: 1, Limit: 100}},
		{name: "graphml", id: "x", query: "format=graphml", want: graph.NeighborsQuery{ID: "x", Depth: 1, Limit: 100}},
		{name: "cursor for these parameters", id: "person:chen-zhi", query: "depth=2&rel=OWNS&cursor=" + good,
			want: graph.NeighborsQuery{ID: "person:chen-zhi", Depth: 2, RelTypes: []graph.RelType{graph.RelOwns}, Limit: 100, Cursor: good}},
		{name: "cursor for other parameters", id: "person:chen-zhi", query: "depth=3&rel=OWNS&cursor=" + good, field: "cursor"},
		{name: "bad id", id: "..%2Fetc", field: "id"},
		{name: "depth zero", id: "x", query: "depth=0", field: "depth"},
		{name: "depth four", id: "x", query: "depth=4", field: "depth"},
		{name: "depth float", id: "x", query: "depth=1.5", field: "depth"},
		{name: "bad rel", id: "x", query: "rel=OWNS,LOVES", field: "rel"},
		{name: "rel not upper case", id: "x", query: "rel=owns", field: "rel"},
		{name: "bad kind", id: "x", query: "kind=ghost", field: "kind"},
		{name: "limit", id: "x", query: "limit=1001", field: "limit"},
		{name: "negative limit", id: "x", query: "limit=-1", field: "limit"},
		{name: "bad as_of", id: "x", query: "as_of=2025-02-30", field: "as_of"},
		{name: "as_of words", id: "x", query: "as_of=yesterday", field: "as_of"},
		{name: "empty as_of", id: "x", query: "as_of=", field: "as_of"},
		{name: "bad format", id: "x", query: "format=csv", field: "format"},
		{name: "format not lower case", id: "x", query: "format=GraphML", field: "format"},
		{name: "unknown parameter", id: "x", query: "max_hops=2", field: "max_hops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantQuery(t, "/v1/entities/"+tt.id+"/neighbors?"+tt.query, tt.field, tt.want)
		})
	}
}

func TestPathsParams(t *testing.T) {
	tests := []struct {
		name, query, field string
		want               any
	}{
		{name: "defaults", query: "from=a&to=b", want: graph.PathsQuery{From: "a", To: "b", MaxHops: graph.DefaultPathHops, Mode: graph.PathShortest,
			Limit: graph.DefaultPathsLimit, MaxDegree: graph.DefaultPathHubDegree}},
		{name: "everything", query: "from=a&to=b&max_hops=6&mode=all&rel=OWNS&rel=MENTIONED_IN&min_evidence=charge&as_of=2025-01-01&limit=100&max_degree=50&format=cytoscape",
			want: graph.PathsQuery{From: "a", To: "b", MaxHops: 6, Mode: graph.PathAll, RelTypes: []graph.RelType{graph.RelOwns, graph.RelMentionedIn},
				MinEvidence: graph.EvidenceCharge, AsOf: date("2025-01-01"), Limit: 100, MaxDegree: 50}},
		{name: "through hubs", query: "from=a&to=b&max_degree=1000000", want: graph.PathsQuery{From: "a", To: "b", MaxHops: 4, Mode: graph.PathShortest, Limit: 25, MaxDegree: graph.MaxPathHubDegree}},
		{name: "max_degree 0", query: "from=a&to=b&max_degree=0", field: "max_degree"},
		{name: "max_degree too big", query: "from=a&to=b&max_degree=1000001", field: "max_degree"},
		{name: "max_degree not a number", query: "from=a&to=b&max_degree=many", field: "max_degree"},
		{name: "evidence by rank", query: "from=a&to=b&min_evidence=6", want: graph.PathsQuery{From: "a", To: "b", MaxHops: 4, Mode: graph.PathShortest, Limit: 25, MaxDegree: 1000, MinEvidence: graph.EvidenceConviction}},
		{name: "partial as_of", query: "from=a&to=b&as_of=2025-10", field: "as_of"},
		{name: "missing from", query: "to=b", field: "from"},
		{name: "missing to", query: "from=a", field: "to"},
		{name: "same ends", query: "from=a&to=a", field: "to"},
		{name: "bad id", query: "from=a+b&to=c", field: "from"},
		{name: "hops", query: "from=a&to=b&max_hops=7", field: "max_hops"},
		{name: "mode", query: "from=a&to=b&mode=longest", field: "mode"},
		{name: "evidence", query: "from=a&to=b&min_evidence=rumour", field: "min_evidence"},
		{name: "evidence rank 7", query: "from=a&to=b&min_evidence=7", field: "min_evidence"},
		{name: "limit", query: "from=a&to=b&limit=101", field: "limit"},
		{name: "format", query: "from=a&to=b&format=dot", field: "format"},
		{name: "from twice", query: "from=a&from=c&to=b", field: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantQuery(t, "/v1/paths?"+tt.query, tt.field, tt.want) })
	}
}

func TestNamedQueryParams(t *testing.T) {
	link := func(hops int, ev graph.Evidence, asOf string, limit int, focus string) graph.LinkQuery {
		q := graph.LinkQuery{MaxHops: hops, MinEvidence: ev, Limit: limit, FocusID: focus}
		if asOf != "" {
			q.AsOf = date(asOf)
		}
		return q
	}
	tests := []struct {
		name, target, field string
		want                any
	}{
		{name: "prosecuted defaults", target: "/v1/queries/prosecuted-compound-links", want: link(graph.DefaultLinkHops, "", "", graph.DefaultPathsLimit, "")},
		{name: "prosecuted everything", target: "/v1/queries/prosecuted-compound-links?max_hops=4&min_evidence=charge&as_of=2026-01-01&limit=10&person=person:ly-kuong&format=graphml",
			want: link(4, graph.EvidenceCharge, "2026-01-01", 10, "person:ly-kuong")},
		{name: "prosecuted bad person", target: "/v1/queries/prosecuted-compound-links?person=-x", field: "person"},
		{name: "prosecuted focus is not its parameter", target: "/v1/queries/prosecuted-compound-links?focus=x", field: "focus"},
		{name: "official everything", target: "/v1/queries/official-links?max_hops=2&as_of=2025-05-05&limit=7&focus=person:chen-zhi&format=cytoscape",
			want: link(2, "", "2025-05-05", 7, "person:chen-zhi")},
		{name: "official has no min_evidence", target: "/v1/queries/official-links?min_evidence=charge", field: "min_evidence"},
		{name: "official hops", target: "/v1/queries/official-links?max_hops=0", field: "max_hops"},
		{name: "network everything", target: "/v1/queries/compound-network/compound:x?as_of=2024-01-01&format=cytoscape",
			want: graph.EntityQuery{ID: "compound:x", AsOf: date("2024-01-01")}},
		{name: "network bad id", target: "/v1/queries/compound-network/%20", field: "id"},
		{name: "victims everything", target: "/v1/queries/victims-by-nationality?nationality=id&compound=compound:x&as_of=2025-01-31",
			want: graph.VictimQuery{Nationality: "ID", CompoundID: "compound:x", AsOf: date("2025-01-31")}},
		{name: "victims nationality", target: "/v1/queries/victims-by-nationality?nationality=Indonesia", field: "nationality"},
		{name: "victims has no format", target: "/v1/queries/victims-by-nationality?format=json", field: "format"},
		{name: "timeline everything", target: "/v1/queries/timeline/person:x?as_of=2026-01-13", want: graph.EntityQuery{ID: "person:x", AsOf: date("2026-01-13")}},
		{name: "timeline as_of", target: "/v1/queries/timeline/x?as_of=13/01/2026", field: "as_of"},
		{name: "ownership everything", target: "/v1/queries/ownership-chains/company:x?max_hops=6&as_of=2020-02-02&format=json",
			want: link(6, "", "2020-02-02", graph.MaxPathsReturned, "company:x|company:x")},
		{name: "ownership format", target: "/v1/queries/ownership-chains/company:x?format=svg", field: "format"},
		{name: "empty strings are absent", target: "/v1/queries/prosecuted-compound-links?person=&min_evidence=&format=",
			want: link(graph.DefaultLinkHops, "", "", graph.DefaultPathsLimit, "")},
		{name: "empty number is not", target: "/v1/queries/official-links?max_hops=", field: "max_hops"},
		{name: "empty nationality is absent", target: "/v1/queries/victims-by-nationality?nationality=&compound=", want: graph.VictimQuery{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantQuery(t, tt.target, tt.field, tt.want) })
	}
}

// The fuzz targets send any query through the server: every answer is 200
// or a 400 problem naming a field (sent checks both), and whatever reaches
// the store is in range.

func fuzzServe(t *testing.T, target string) (any, bool) {
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		return nil, false // not a request a client could send
	}
	got, field := sentRequest(t, req)
	return got, field == ""
}

func FuzzParseNeighborsParams(f *testing.F) {
	f.Add("person:chen-zhi", "depth=2&rel=OWNS,CONTROLS&kind=company&limit=10&as_of=2025-10-14&format=graphml")
	f.Add("x", "cursor=eyJrIjoiMSJ9&depth=3")
	f.Add("", "depth=-1&limit=99999999999999999999")
	f.Fuzz(func(t *testing.T, id, query string) {
		if id == "" {
			return // another route
		}
		got, ok := fuzzServe(t, "/v1/entities/"+url.PathEscape(id)+"/neighbors?"+query)
		if q, isQ := got.(graph.NeighborsQuery); ok && isQ && (q.Depth < 1 || q.Depth > graph.MaxNeighborDepth || q.Limit < 1 || q.Limit > graph.MaxNeighborLimit) {
			t.Fatalf("accepted out-of-range query %+v", q)
		}
	})
}

func FuzzParsePathsParams(f *testing.F) {
	f.Add("from=a&to=b&max_hops=3&mode=all&rel=OWNS&min_evidence=charge&as_of=2025-01-01&limit=5&max_degree=50&format=cytoscape")
	f.Add("from=a&to=a")
	f.Add("from=%00&to=b&min_evidence=0")
	f.Fuzz(func(t *testing.T, query string) {
		got, ok := fuzzServe(t, "/v1/paths?"+query)
		if q, isQ := got.(graph.PathsQuery); ok && isQ && (q.MaxHops < 1 || q.MaxHops > graph.MaxPathHops || q.From == q.To) {
			t.Fatalf("accepted bad query %+v", q)
		}
	})
}

func FuzzParseSearchParams(f *testing.F) {
	f.Add("q=Chen+Zhi&kind=tycoon&limit=5")
	f.Add("q=%22chen%22+OR+(*:*)&cursor=e30")
	f.Add("q=Tr%E1%BA%A7n&kind=,,,")
	f.Fuzz(func(t *testing.T, query string) {
		got, ok := fuzzServe(t, "/v1/search?"+query)
		if q, isQ := got.(graph.SearchQuery); ok && isQ && (q.Text == "" || q.Limit < 1 || q.Limit > graph.MaxSearchLimit) {
			t.Fatalf("accepted bad query %+v", q)
		}
	})
}
