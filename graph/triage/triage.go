package triage

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
)

// Bounds of a triage request.
const (
	MaxTextBytes   = 1 << 20 // the article's text
	MaxMentions    = 5000    // mentions reported at most
	MaxCandidates  = 500     // new candidates reported at most
	MaxTitleBytes  = 500
	MaxPublisher   = 200
	AmbiguousBelow = 4 // a one-word name of fewer letters is flagged ambiguous
)

// Document is the article to triage and what is known of its source.
type Document struct {
	Text      string      `json:"text"`
	Publisher string      `json:"publisher,omitempty"`
	Date      *graph.Date `json:"date,omitempty"` // publication date; relative dates resolve against it
	Title     string      `json:"title,omitempty"`
	URL       string      `json:"url,omitempty"`
}

// Normalize checks the document's bounds.
func (d Document) Normalize() (Document, error) {
	switch {
	case strings.TrimSpace(d.Text) == "":
		return d, graph.Errorf(graph.CodeInvalid, "text", "is empty; send the article's text")
	case len(d.Text) > MaxTextBytes:
		return d, graph.Errorf(graph.CodeTooLarge, "text", "is longer than %d bytes", MaxTextBytes)
	case !utf8.ValidString(d.Text):
		return d, graph.Errorf(graph.CodeInvalid, "text", "is not valid UTF-8")
	case len(d.Title) > MaxTitleBytes || !utf8.ValidString(d.Title):
		return d, graph.Errorf(graph.CodeInvalid, "title", "must be valid UTF-8 of at most %d bytes", MaxTitleBytes)
	case len(d.Publisher) > MaxPublisher || !utf8.ValidString(d.Publisher):
		return d, graph.Errorf(graph.CodeInvalid, "publisher", "must be valid UTF-8 of at most %d bytes", MaxPublisher)
	}
	if d.URL != "" {
		if _, err := graph.CoerceProperty("url", d.URL); err != nil {
			return d, graph.Errorf(graph.CodeInvalid, "url", "must be an http(s) URL")
		}
	}
	return d, nil
}

// Span is a stretch of the original text: byte offsets [Start, End).
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Mention is a known entity named in the text.
type Mention struct {
	Span
	ID        string       `json:"id"`
	Name      string       `json:"name"` // the entity's display name
	Kinds     []graph.Kind `json:"kinds"`
	ByAlias   bool         `json:"by_alias"`            // matched one of its aliases, not its name
	Ambiguous bool         `json:"ambiguous,omitempty"` // a short name, or one several entities share
	Others    []string     `json:"others,omitempty"`    // the other entities with that name
}

// Known is a known entity with its mentions counted.
type Known struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Kinds    []graph.Kind `json:"kinds"`
	Mentions int          `json:"mentions"`
	ByAlias  bool         `json:"by_alias"` // every mention is by an alias
	First    int          `json:"first"`    // offset of the first mention
}

// Candidate is a name in the text the graph does not hold.
type Candidate struct {
	Span
	Kind graph.Kind `json:"kind,omitempty"` // the kind its cue words suggest; empty when none
	Cue  string     `json:"cue,omitempty"`  // the word that suggested it
	ID   string     `json:"id,omitempty"`   // the id its draft record gets
}

// DateMention is a date stated in the text, resolved to a calendar date.
type DateMention struct {
	Span
	Date      graph.Date `json:"date"`
	Precision string     `json:"precision"` // day, month, year
	Relative  bool       `json:"relative"`  // resolved against the publication date
}

// Cohort is a group of victims stated with a count.
type Cohort struct {
	Span
	Count       int64  `json:"count"`
	Nationality string `json:"nationality,omitempty"` // ISO 3166-1 alpha-2
	Approximate bool   `json:"approximate"`           // "about", "more than", "some" ...
	ID          string `json:"id,omitempty"`          // the id its draft record gets
}

// EventCue is a word naming an event of the model.
type EventCue struct {
	Span
	EventType graph.EventType `json:"event_type"`
	Sentence  Span            `json:"sentence"`
}

// Result is what triage found, and the draft import file.
type Result struct {
	IndexVersion string        `json:"index_version"`
	IndexedNames int           `json:"indexed_names"`
	Known        []Known       `json:"known"`
	Mentions     []Mention     `json:"mentions"`
	Candidates   []Candidate   `json:"candidates"`
	Dates        []DateMention `json:"dates"`
	Cohorts      []Cohort      `json:"cohorts"`
	Events       []EventCue    `json:"events"`
	Draft        Draft         `json:"draft"`
	// IndexStale says the names index is older than the graph (an import,
	// merge or undo since): the answer may miss names added since, and a
	// new index is being built. GraphVersion is the graph's version then.
	IndexStale   bool   `json:"index_stale"`
	GraphVersion string `json:"graph_version,omitempty"`
}

// Run triages doc against idx. It never fails on text: everything it
// cannot read is left out.
func Run(idx *Index, doc Document) Result {
	text := doc.Text
	toks := names.Tokenize(text)
	res := Result{IndexVersion: idx.Version, IndexedNames: idx.Size(), Known: []Known{}, Mentions: findMentions(idx, text, toks),
		Candidates: []Candidate{}, Dates: []DateMention{}, Cohorts: []Cohort{}, Events: []EventCue{}}
	res.Known = summarize(res.Mentions)
	sentences := splitSentences(text)
	res.Dates = findDates(text, doc.Date)
	res.Cohorts = findCohorts(text)
	res.Events = findEvents(text, sentences)
	res.Candidates = findCandidates(text, res.Mentions, res.Dates)
	res.Draft = buildDraft(doc, &res, sentences)
	res.IndexStale, res.GraphVersion = idx.Stale, idx.Latest
	return res
}

// findMentions runs the text's normalised words through the automaton (so
// only whole words match); of overlapping matches the leftmost-longest
// wins.
func findMentions(idx *Index, text string, toks []names.Token) []Mention {
	out := []Mention{}
	if idx.empty || len(toks) == 0 {
		return out
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		w := t.Text
		if orig := text[t.Start:t.End]; len(w) > 1 && (strings.HasSuffix(orig, "'s") || strings.HasSuffix(orig, "\u2019s")) {
			w = w[:len(w)-1] // a possessive: "Cambodia's" names Cambodia
		}
		words[i] = w
	}
	type hit struct{ first, last, pattern int }
	var hits []hit
	idx.ac.each(words, func(p int32, last int) {
		hits = append(hits, hit{last - int(idx.ac.plen[p]) + 1, last, int(p)})
	})
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.first, b.first); c != 0 {
			return c
		}
		return cmp.Compare(b.last, a.last)
	})
	next := 0
	for _, x := range hits {
		if x.first < next || len(out) >= MaxMentions {
			continue
		}
		next = x.last + 1
		start, end := toks[x.first].Start, toks[x.last].End
		if e := text[start:end]; strings.HasSuffix(e, "'s") {
			end -= 2
		} else if strings.HasSuffix(e, "’s") {
			end -= len("’s")
		}
		refs := idx.refs[x.pattern]
		e := idx.entities[refs[0].entity]
		m := Mention{Span: Span{Text: text[start:end], Start: start, End: end}, ID: e.ID, Name: e.Name, Kinds: e.Kinds, ByAlias: refs[0].alias}
		key := idx.patterns[x.pattern]
		if len(refs) > 1 {
			m.Ambiguous = true
			for _, r := range refs[1:] {
				m.Others = append(m.Others, idx.entities[r.entity].ID)
			}
		}
		if !strings.Contains(key, " ") && len(key) < AmbiguousBelow {
			m.Ambiguous = true
		}
		out = append(out, m)
	}
	return out
}

func summarize(ms []Mention) []Known {
	by := map[string]*Known{}
	var order []string
	for _, m := range ms {
		k, ok := by[m.ID]
		if !ok {
			k = &Known{ID: m.ID, Name: m.Name, Kinds: m.Kinds, ByAlias: true, First: m.Start}
			by[m.ID] = k
			order = append(order, m.ID)
		}
		k.Mentions++
		k.ByAlias = k.ByAlias && m.ByAlias
	}
	out := make([]Known, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	return out
}

// splitSentences cuts text at ., ! and ? followed by a space and a capital
// or a quote, and at line breaks.
func splitSentences(text string) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		s := strings.TrimSpace(text[start:end])
		if s != "" {
			lead := start + strings.Index(text[start:end], s)
			out = append(out, Span{Text: s, Start: lead, End: lead + len(s)})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			emit(i + 1)
		case (c == '.' || c == '!' || c == '?') && i+2 < len(text) && text[i+1] == ' ':
			r, _ := utf8.DecodeRuneInString(text[i+2:])
			if unicode.IsUpper(r) || r == '"' || r == '\u201c' {
				if c == '.' && abbreviation(text[start:i]) {
					continue
				}
				emit(i + 1)
			}
		}
	}
	emit(len(text))
	return out
}

// abbreviation reports whether the text before a dot ends in a common
// abbreviation ("Sept", "U.S", "Mr").
func abbreviation(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(strings.Trim(f[len(f)-1], "(\"'"))
	if len(w) <= 2 || strings.Contains(w, ".") {
		return true
	}
	_, month := monthNames[w]
	return month || w == "mrs" || w == "sept" || w == "gen" || w == "col" || w == "corp"
}
