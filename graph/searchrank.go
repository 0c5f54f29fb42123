package graph

import (
	"math"
	"strings"

	"github.com/scamgraph/scamgraph/graph/names"
)

// SearchRankBlock is how many full-text hits are re-ranked together: the
// hits, shortest name or alias first (queries/read-search.cypher), are cut
// into blocks of this size and each block is re-ordered by SearchRelevance,
// so that pages stay consistent (a hit never moves between blocks) while the
// best names lead the first page.
const SearchRankBlock = 200

// SearchRelevance scores how well a name or one of its aliases answers a
// search, in [0,1], with the normalisation the matcher uses (graph/names):
// each query word is matched to the name's words in any order, exactly
// (1), as a prefix (0.75-0.95, more for a longer share of the word) or with
// typos (word similarity, scaled by 0.85); the mean is weighted by how much
// of the name the query covers (and 0.05 more for a name that begins with
// the query), so "chen zhi" ranks the person "Chen Zhi"
// above "Arrest of Chen Zhi", and "sihanouk" the city "Sihanoukville" above
// "Scam compound in Sihanoukville".
func SearchRelevance(query string, name string, aliases []string) float64 {
	q := names.Words(query)
	if len(q) == 0 {
		return 0
	}
	best := 0.0
	for i, n := range append([]string{name}, aliases...) {
		if i > MaxMatchNames {
			break
		}
		if s := relevance(q, names.Words(n)); s > best {
			best = s
		}
	}
	return math.Round(best*1000) / 1000
}

func relevance(q, w []string) float64 {
	if len(w) == 0 {
		return 0
	}
	used := make([]bool, len(w))
	sum := 0.0
	for _, qw := range q {
		bi, bs := -1, 0.0
		for i, nw := range w {
			var s float64
			switch {
			case qw == nw:
				s = 1
			case len(qw) >= 2 && strings.HasPrefix(nw, qw):
				s = 0.75 + 0.2*float64(len(qw))/float64(len(nw))
			default:
				if ws := wordSim(qw, nw, false); ws >= 0.65 {
					s = ws * 0.85
				}
			}
			if used[i] {
				s *= 0.5 // a word already matched by another query word
			}
			if s > bs {
				bi, bs = i, s
			}
		}
		if bi >= 0 {
			used[bi] = true
		}
		sum += bs
	}
	matched := 0
	for _, u := range used {
		if u {
			matched++
		}
	}
	coverage := float64(matched) / float64(len(w))
	score := sum / float64(len(q)) * (0.7 + 0.3*coverage)
	// A name that begins with the query ("Ly Kuong charged with ...")
	// answers it better than one that only contains it.
	if len(w) >= len(q) {
		begins := true
		for i, qw := range q {
			if w[i] != qw && !(i == len(q)-1 && strings.HasPrefix(w[i], qw)) {
				begins = false
				break
			}
		}
		if begins {
			score += 0.05
		}
	}
	return math.Min(score, 1)
}
