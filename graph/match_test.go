package graph_test

import (
	"slices"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func person(name string, props map[string]graph.Value, aliases ...string) graph.Entity {
	if props == nil {
		props = map[string]graph.Value{}
	}
	return graph.Entity{Kinds: []graph.Kind{graph.KindPerson}, Name: name, Aliases: aliases, Properties: props}
}

func featureNames(s graph.MatchScore) []string {
	var out []string
	for _, f := range s.Features {
		out = append(out, f.Name)
	}
	return out
}

func TestScoreMatchFeatures(t *testing.T) {
	d := func(s string) graph.Value {
		v, err := graph.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return graph.DateValue(v)
	}
	str := graph.StringValue
	company := func(name string, props map[string]graph.Value) graph.Entity {
		return graph.Entity{Kinds: []graph.Kind{graph.KindCompany}, Name: name, Properties: props}
	}
	tests := []struct {
		name     string
		a, b     graph.Entity
		ctx      graph.MatchContext
		band     string
		features []string // each must be present
	}{
		{"name only is capped below strong", person("Chen Zhi", nil), person("CHEN, Zhi", nil), graph.MatchContext{}, graph.BandLikely, []string{graph.FeatureNameExact}},
		{"name and birth date are strong", person("Chen Zhi", map[string]graph.Value{"born": d("1987-12-16")}), person("Zhi CHEN", map[string]graph.Value{"born": d("1987-12-16")}), graph.MatchContext{}, graph.BandStrong, []string{graph.FeatureNameTokenOrder, graph.FeatureBirthDateMatch}},
		{"name, country and two shared neighbours are strong", person("Chen Zhi", map[string]graph.Value{"nationality": str("KH")}), person("Chen Zhi", map[string]graph.Value{"nationality": str("KH")}), graph.MatchContext{SharedNeighbours: 2, NeighbourNames: []string{"Prince Bank", "Prince Holding Group"}}, graph.BandStrong, []string{graph.FeatureSharedNeighbours, graph.FeatureCountryMatch}},
		{"different birth years", person("Chen Zhi", map[string]graph.Value{"born": d("1987-12-16")}), person("Chen Zhi", map[string]graph.Value{"born": d("1962-04-01")}), graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureBirthDateMismatch, graph.FeatureBirthYearMismatch}},
		{"country mismatch", person("Chen Zhi", map[string]graph.Value{"nationality": str("KH")}), person("Chen Zhi", map[string]graph.Value{"nationality": str("TW")}), graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureCountryMismatch}},
		{"gender mismatch", person("Chen Zhi", map[string]graph.Value{"gender": str("male")}), person("Chen Zhi", map[string]graph.Value{"gender": str("female")}), graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureGenderMismatch}},
		{"shared registration is strong", company("Huione Pay", map[string]graph.Value{"registration": str("00012345")}), company("HuiOne Payment Plc", map[string]graph.Value{"registration": str("0001-2345")}), graph.MatchContext{}, graph.BandStrong, []string{graph.FeatureIdentifierMatch}},
		{"different registrations", company("Golden Fortune Co Ltd", map[string]graph.Value{"registration": str("111222")}), company("Golden Fortune Co Ltd", map[string]graph.Value{"registration": str("333444")}), graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureIdentifierMismatch}},
		{"kinds that cannot be the same", person("Bavet", nil), graph.Entity{Kinds: []graph.Kind{graph.KindLocation}, Name: "Bavet"}, graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureKindMismatch}},
		{"alias", person("Chen Zhi", nil, "Vincent Chen"), person("Vincent Chen", nil), graph.MatchContext{}, graph.BandLikely, []string{graph.FeatureNameExact}},
		// The sample's Chen Zhi (born in China) and the UK list's "Zhi CHEN"
		// (a Cambodian national): a birth country is no nationality.
		{"birth country is not compared with nationality", person("Chen Zhi", map[string]graph.Value{"birth_country": str("CN")}), person("Zhi CHEN", map[string]graph.Value{"nationality": str("KH")}), graph.MatchContext{}, graph.BandLikely, []string{graph.FeatureNameTokenOrder}},
		{"birth countries differ", person("Chen Zhi", map[string]graph.Value{"birth_country": str("CN")}), person("Zhi CHEN", map[string]graph.Value{"birth_country": str("TW")}), graph.MatchContext{}, graph.BandPossible, []string{graph.FeatureCountryMismatch}},
		{"a nationality shared with a birth country agrees", person("Chen Zhi", map[string]graph.Value{"birth_country": str("CN")}), person("CHEN Zhi", map[string]graph.Value{"nationality": str("CN")}), graph.MatchContext{}, graph.BandLikely, []string{graph.FeatureCountryMatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := graph.ScoreMatch(tt.a, tt.b, tt.ctx)
			if s.Band != tt.band || s.Score < 0 || s.Score > 1 {
				t.Errorf("score %.3f band %s, want band %s (%v)", s.Score, s.Band, tt.band, s.Features)
			}
			got := featureNames(s)
			for _, f := range tt.features {
				if !slices.Contains(got, f) {
					t.Errorf("features %v lack %s", got, f)
				}
			}
		})
	}
}

func TestEntityFromFtM(t *testing.T) {
	tests := []struct {
		name, schema string
		props        map[string][]string
		wantName     string
		wantKind     graph.Kind
		wantProp     string
		field        string
	}{
		{"ofac person", "Person", map[string][]string{"name": {"CHEN Zhi"}, "alias": {"Vincent Chen"}, "birthDate": {"1987-12-16"}, "nationality": {"kh"}}, "CHEN Zhi", graph.KindPerson, "born", ""},
		{"company with registration", "Company", map[string][]string{"name": {"Prince Holding Group"}, "registrationNumber": {"00012345"}}, "Prince Holding Group", graph.KindCompany, "registration", ""},
		{"partial birth date", "Person", map[string][]string{"name": {"Zhi CHEN"}, "birthDate": {"1987"}}, "Zhi CHEN", graph.KindPerson, "born", ""},
		{"unknown schema", "Vessel", map[string][]string{"name": {"x"}}, "", "", "", "ftm.schema"},
		{"no name", "Person", map[string][]string{"birthDate": {"1987"}}, "", "", "", "ftm.properties.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := graph.EntityFromFtM("x", tt.schema, tt.props)
			if tt.field != "" {
				if graph.ErrorField(err) != tt.field {
					t.Fatalf("error %v, want field %s", err, tt.field)
				}
				return
			}
			if err != nil || e.Name != tt.wantName || !slices.Contains(e.Kinds, tt.wantKind) {
				t.Fatalf("got %+v, %v", e, err)
			}
			if _, ok := e.Properties[tt.wantProp]; !ok {
				t.Errorf("properties %v lack %s", e.Properties, tt.wantProp)
			}
		})
	}
}

func TestSearchRelevance(t *testing.T) {
	tests := []struct {
		name, q, better, worse string
	}{
		{"whole name beats a longer one", "chen zhi", "Chen Zhi", "Arrest of Chen Zhi"},
		{"prefix of a place", "Sihanouk", "Sihanoukville", "Unnamed scam compound in Sihanoukville"},
		{"typo", "chen zi", "Chen Zhi", "Chen Zhiwei"},
		{"order does not matter", "Zhi Chen", "Chen Zhi", "Cambodia arrests Chen Zhi (Jan 2026)"},
		{"script", "陈志", "Chen Zhi", "Chen Xi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, w := graph.SearchRelevance(tt.q, tt.better, nil), graph.SearchRelevance(tt.q, tt.worse, nil)
			if b <= w || b > 1 {
				t.Errorf("relevance %q: %q %.3f, %q %.3f", tt.q, tt.better, b, tt.worse, w)
			}
		})
	}
}

func TestMatchQueryNormalize(t *testing.T) {
	tests := []struct {
		name  string
		q     graph.MatchQuery
		field string
	}{
		{"defaults", graph.MatchQuery{Entity: person("Chen Zhi", nil)}, ""},
		{"no letters", graph.MatchQuery{Entity: person(",,", nil)}, "name"},
		{"threshold above 1", graph.MatchQuery{Entity: person("x", nil), Threshold: 1.5}, "threshold"},
		{"cutoff below 0", graph.MatchQuery{Entity: person("x", nil), Cutoff: -1}, "cutoff"},
		{"limit", graph.MatchQuery{Entity: person("x", nil), Limit: graph.MaxMatchLimit + 1}, "limit"},
		{"unknown kind", graph.MatchQuery{Entity: graph.Entity{Name: "x", Kinds: []graph.Kind{"dragon"}}}, "kinds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tt.q.Normalize()
			if tt.field != "" {
				if graph.ErrorField(err) != tt.field {
					t.Fatalf("error %v, want field %s", err, tt.field)
				}
				return
			}
			if err != nil || q.Threshold != graph.DefaultMatchThreshold || q.Limit != graph.DefaultMatchLimit || q.Cutoff != graph.DefaultMatchCutoff {
				t.Fatalf("got %+v, %v", q, err)
			}
		})
	}
	if _, err := (graph.DuplicatesQuery{Cursor: "garbage"}).Normalize(); graph.ErrorField(err) != "cursor" {
		t.Errorf("duplicates cursor: %v", err)
	}
}
