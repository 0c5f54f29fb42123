package triage

// wordAutomaton is an Aho-Corasick automaton whose alphabet is words, not
// bytes: each pattern is a sequence of interned normalised words, so a match
// is whole words by construction and the automaton has one state per
// distinct word prefix of the names (a name of three words costs at most
// three states, however long its words). Transitions live in one map keyed
// by (state, word); fail links and dictionary links are computed
// breadth-first.
type wordAutomaton struct {
	words map[string]int32 // word -> id
	next  map[uint64]int32 // state<<32 | word -> state
	fail  []int32          // per state
	dict  []int32          // per state: the nearest state down the fail chain that ends a pattern (-1: none)
	out   []int32          // per state: the pattern that ends here (-1: none)
	plen  []int32          // per pattern: its length in words
	kids  [][2]int32       // build only: (word, child) per edge, for the breadth-first pass
	first []int32          // build only: per state, the index of its first edge in kids (-1)
	link  []int32          // build only: per edge, the next edge of the same state
}

func newWordAutomaton() *wordAutomaton {
	return &wordAutomaton{words: map[string]int32{}, next: map[uint64]int32{},
		fail: []int32{0}, out: []int32{-1}, first: []int32{-1}}
}

func edge(state, word int32) uint64 { return uint64(uint32(state))<<32 | uint64(uint32(word)) }

// add inserts a pattern (normalised words) and returns nothing: pattern
// ids are given in order of addition.
func (a *wordAutomaton) add(words []string) {
	s := int32(0)
	for _, w := range words {
		id, ok := a.words[w]
		if !ok {
			id = int32(len(a.words))
			a.words[w] = id
		}
		n, ok := a.next[edge(s, id)]
		if !ok {
			n = int32(len(a.fail))
			a.next[edge(s, id)] = n
			a.fail, a.out, a.first = append(a.fail, 0), append(a.out, -1), append(a.first, -1)
			a.kids = append(a.kids, [2]int32{id, n})
			a.link = append(a.link, a.first[s])
			a.first[s] = int32(len(a.kids) - 1)
		}
		s = n
	}
	a.out[s] = int32(len(a.plen))
	a.plen = append(a.plen, int32(len(words)))
}

// build computes the fail and dictionary links and drops the build-only
// tables.
func (a *wordAutomaton) build() {
	a.dict = make([]int32, len(a.fail))
	for i := range a.dict {
		a.dict[i] = -1
	}
	queue := make([]int32, 0, len(a.fail))
	for e := a.first[0]; e >= 0; e = a.link[e] {
		queue = append(queue, a.kids[e][1]) // depth 1: fail to the root
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for e := a.first[s]; e >= 0; e = a.link[e] {
			w, child := a.kids[e][0], a.kids[e][1]
			f := a.fail[s]
			for {
				if n, ok := a.next[edge(f, w)]; ok {
					a.fail[child] = n
					break
				}
				if f == 0 {
					a.fail[child] = 0
					break
				}
				f = a.fail[f]
			}
			if fc := a.fail[child]; a.out[fc] >= 0 {
				a.dict[child] = fc
			} else {
				a.dict[child] = a.dict[fc]
			}
			queue = append(queue, child)
		}
	}
	a.kids, a.first, a.link = nil, nil, nil
}

// step follows word w (-1: a word no pattern holds) from state s.
func (a *wordAutomaton) step(s, w int32) int32 {
	if w < 0 {
		return 0
	}
	for {
		if n, ok := a.next[edge(s, w)]; ok {
			return n
		}
		if s == 0 {
			return 0
		}
		s = a.fail[s]
	}
}

// each calls fn(pattern, last word index) for every pattern occurrence
// (overlapping ones included) in the word sequence.
func (a *wordAutomaton) each(words []string, fn func(pattern int32, last int)) {
	s := int32(0)
	for i, w := range words {
		id, ok := a.words[w]
		if !ok {
			id = -1
		}
		s = a.step(s, id)
		for t := s; t > 0; t = a.dict[t] {
			if p := a.out[t]; p >= 0 {
				fn(p, i)
			}
			if a.dict[t] < 0 {
				break
			}
		}
	}
}
