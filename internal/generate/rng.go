package generate

import "math"

// rng is a splitmix64 stream. Every attribute of entity i of a kind comes
// from its own stream, seeded from (seed, tag, i), so the relationship pass
// can recompute what the entity pass wrote without keeping it in memory, and
// the output does not depend on the Go version's math/rand.
type rng struct{ s uint64 }

// Stream tags: one per independent attribute stream.
const (
	tagSource uint64 = iota + 1
	tagSourceType
	tagLocation
	tagOrg
	tagTycoon
	tagOfficial
	tagPerson
	tagBlock
	tagCompany
	tagCompound
	tagVictim
	tagEvent
	tagRels // + kind: relationship streams
)

func newRNG(seed int64, tag uint64, i int) rng {
	r := rng{s: uint64(seed)*0x9E3779B97F4A7C15 ^ (tag+1)*0xD1B54A32D192ED03 ^ uint64(i+1)*0x8CB92BA72F3D8DD7}
	r.next()
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// intn returns a value in [0, n); n must be > 0.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// skewed returns an index in [0, n) biased towards 0: with s = 1 uniform,
// larger s more skewed (P(idx < x) = (x/n)^(1/s)).
func (r *rng) skewed(n int, s float64) int {
	i := int(float64(n) * math.Pow(r.float(), s))
	if i >= n {
		i = n - 1
	}
	return i
}

// pick returns a random element.
func pick[T any](r *rng, l []T) T { return l[r.intn(len(l))] }

// weighted returns an index into w chosen with probability proportional to
// its weight.
func (r *rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.intn(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// pareto returns a heavy-tailed multiplier with mean 1 (alpha 2, capped).
func (r *rng) pareto() float64 {
	u := 1 - r.float() // (0, 1]
	x := 1 / math.Sqrt(u)
	return x / 2
}

// round rounds x up or down at random so that the expectation is x.
func (r *rng) round(x float64) int {
	f := math.Floor(x)
	if r.float() < x-f {
		return int(f) + 1
	}
	return int(f)
}
