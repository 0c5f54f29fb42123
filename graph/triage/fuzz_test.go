package triage_test

import (
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// FuzzRun: the extractor never panics and every span it reports is the
// text at its offsets.
func FuzzRun(f *testing.F) {
	for _, s := range []string{"", "Chen Zhi was arrested on Monday.", "about 270 Vietnamese nationals", "May 23, 2024 and Sept. 21",
		"Cambodia’s crackdown", "陈志 Prince Holding Group Co., Ltd.", "\xff\xfeMarch 31, 2023-2024"} {
		f.Add(s)
	}
	idx := triage.NewIndex("fuzz", []triage.Named{
		{ID: "person:chen-zhi", Name: "Chen Zhi", Aliases: []string{"陈志"}, Kinds: []graph.Kind{graph.KindTycoon}},
		{ID: "location:cambodia", Name: "Cambodia", Kinds: []graph.Kind{graph.KindLocation}},
		{ID: "company:prince", Name: "Prince Holding Group Co., Ltd.", Kinds: []graph.Kind{graph.KindCompany}},
	})
	f.Fuzz(func(t *testing.T, text string) {
		res := triage.Run(idx, triage.Document{Text: text, Publisher: "X", Date: &graph.Date{Year: 2026, Month: 1, Day: 19}})
		check := func(what string, s triage.Span) {
			if s.Start < 0 || s.End > len(text) || s.Start > s.End {
				t.Fatalf("%s span [%d,%d) out of %d bytes", what, s.Start, s.End, len(text))
			}
		}
		for _, m := range res.Mentions {
			check("mention", m.Span)
			if text[m.Start:m.End] != m.Text {
				t.Fatalf("mention %q at [%d,%d) is %q", m.Text, m.Start, m.End, text[m.Start:m.End])
			}
		}
		for _, c := range res.Candidates {
			check("candidate", c.Span)
		}
		for _, d := range res.Dates {
			check("date", d.Span)
		}
		for _, c := range res.Cohorts {
			check("cohort", c.Span)
		}
		if res.Draft.Status != "draft" {
			t.Fatal("no draft")
		}
	})
}
