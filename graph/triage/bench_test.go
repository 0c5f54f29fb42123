package triage_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// syntheticNames makes n distinct names shaped like the domain's: two- and
// three-syllable persons, companies with legal forms, places.
func syntheticNames(n int) []triage.Named {
	r := rand.New(rand.NewPCG(1, 2))
	syl := strings.Fields("chen zhi ly kuong sok heng van nguyen thi kim phat hun sen tran bao lim wei ong hock seng ali rah man soe win aung san kyaw")
	word := func() string {
		w := syl[r.IntN(len(syl))] + syl[r.IntN(len(syl))]
		return strings.ToUpper(w[:1]) + w[1:]
	}
	out := make([]triage.Named, 0, n)
	for i := range n {
		id := strconv.Itoa(i)
		switch i % 4 {
		case 0, 1:
			out = append(out, triage.Named{ID: "person:" + id, Name: word() + " " + word(), Aliases: []string{word() + " " + word() + " " + word()}, Kinds: []graph.Kind{graph.KindPerson}})
		case 2:
			out = append(out, triage.Named{ID: "company:" + id, Name: word() + " " + word() + " Group Co., Ltd.", Kinds: []graph.Kind{graph.KindCompany}})
		default:
			out = append(out, triage.Named{ID: "location:" + id, Name: word() + " " + word() + " District", Kinds: []graph.Kind{graph.KindLocation}})
		}
	}
	return out
}

// article is the two real reports repeated to about words words.
func article(b *testing.B, words int) string {
	var parts []string
	for _, f := range []string{"afp-2026-01-indonesians-released-cambodia-crackdown.txt", "rfa-2024-05-indians-freed-from-sihanoukville.txt"} {
		t, err := os.ReadFile("testdata/" + f)
		if err != nil {
			b.Fatal(err)
		}
		parts = append(parts, string(t))
	}
	text := strings.Join(parts, "\n")
	for len(strings.Fields(text)) < words {
		text += "\n" + text
	}
	f := strings.Fields(text)
	return strings.Join(f[:words], " ")
}

// BenchmarkTriage: a 5,000-word article against N known names (plus the
// sample's). Tokenize is the baseline: normalising the text alone.
func BenchmarkTriage(b *testing.B) {
	text := article(b, 5000)
	sizes := []int{100_000}
	if os.Getenv("TRIAGE_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	b.Run("baseline-tokenize", func(b *testing.B) {
		for b.Loop() {
			_ = names.Tokenize(text)
		}
	})
	for _, n := range sizes {
		ents := append(syntheticNames(n), sampleNames(b, "")...)
		idx := triage.NewIndex("bench", ents)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			doc := triage.Document{Text: text, Publisher: "AFP", Date: &graph.Date{Year: 2026, Month: 1, Day: 19}}
			var res triage.Result
			for b.Loop() {
				res = triage.Run(idx, doc)
			}
			b.ReportMetric(float64(len(res.Mentions)), "mentions")
		})
	}
}

// BenchmarkIndexBuild: building the automaton over 100k names.
func BenchmarkIndexBuild(b *testing.B) {
	ents := syntheticNames(100_000)
	for b.Loop() {
		_ = triage.NewIndex("bench", ents)
	}
}
