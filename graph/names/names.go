// Package names normalises the names of people, companies and places so
// that the matcher, search and report triage compare them the same way:
// scripts transliterated to Latin (CJK to pinyin, Cyrillic, Thai, Khmer and
// others through go-unidecode), case and diacritics folded, punctuation
// dropped, company legal forms ("Co., Ltd.", "Pte. Ltd.", "Sdn. Bhd.")
// and honorifics ("Oknha", "Datuk", "Mr") recognised, tokens sortable for
// order-free comparison ("CHEN, Zhi" and "Zhi Chen").
//
// The package is pure Go (no I/O) and safe for concurrent use.
package names

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
)

// Token is one word of a text in normalised form, with the byte offsets
// [Start, End) of the original text it came from (for whole-word matching
// and highlighting).
type Token struct {
	Text       string `json:"text"`
	Start, End int
}

// foldRune returns the lowercase ASCII form of one rune: letters and digits
// stay (folded), anything else becomes "" (a word break). A rune may fold to
// several characters (ß -> ss) or, for CJK, to a whole syllable followed by
// a space (陈 -> "chen "), which makes each ideograph its own token.
func foldRune(r rune) string {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return string(r)
		case r >= 'A' && r <= 'Z':
			return string(r + ('a' - 'A'))
		}
		return ""
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
		return ""
	}
	return strings.ToLower(unidecode.Unidecode(string(r)))
}

// isJoiner reports whether r joins the letters either side of it into one
// word instead of breaking them: apostrophes (O'Brien -> obrien) and the
// dots of abbreviations are handled by the caller.
func isJoiner(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u02bc', '`':
		return true
	}
	return false
}

// Tokenize splits s into normalised words with their offsets in s. Any
// non-letter, non-digit character breaks words, except apostrophes, which
// are dropped inside a word ("O'Brien" -> "obrien"); a possessive "'s" is
// dropped with its s ("Kuong's" -> "kuong"). Invalid UTF-8 bytes break
// words too.
func Tokenize(s string) []Token {
	var out []Token
	var cur strings.Builder
	start := -1
	flush := func(end int) {
		if cur.Len() > 0 {
			out = append(out, Token{Text: cur.String(), Start: start, End: end})
		}
		cur.Reset()
		start = -1
	}
	skip := -1 // byte offset of a possessive "s" to drop
	for i, r := range s {
		if i == skip {
			continue
		}
		if r == utf8.RuneError {
			flush(i)
			continue
		}
		if isJoiner(r) && cur.Len() > 0 {
			// A possessive ("Kuong's") ends the word; an apostrophe
			// inside a name ("O'Brien") joins it.
			if j := i + utf8.RuneLen(r); j < len(s) && (s[j] == 's' || s[j] == 'S') && (j+1 == len(s) || !isWordByte(s[j+1])) {
				flush(i)
				skip = j
			}
			continue
		}
		f := foldRune(r)
		size := utf8.RuneLen(r)
		if f == "" {
			if r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r)) {
				continue // a sign with no Latin form (Khmer, Thai vowel marks)
			}
			flush(i)
			continue
		}
		// A transliteration may hold spaces or punctuation ("Chen ",
		// "Mian Dian "): its words break where they do.
		for j := 0; j < len(f); j++ {
			c := f[j]
			if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
				if start < 0 {
					start = i
				}
				cur.WriteByte(c)
			} else if c >= 'A' && c <= 'Z' {
				if start < 0 {
					start = i
				}
				cur.WriteByte(c + ('a' - 'A'))
			} else {
				flush(i + size)
			}
		}
	}
	flush(len(s))
	return out
}

// isWordByte reports whether the byte continues a word (an ASCII letter or
// digit, or any byte of a multi-byte rune, taken as a letter).
func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// Words returns the normalised words of s (Tokenize without offsets).
func Words(s string) []string {
	toks := Tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// Fold returns s transliterated, case- and diacritics-folded, with
// punctuation removed and words separated by single spaces:
// "CHEN, Zhì" -> "chen zhi", "陈志" -> "chen zhi".
func Fold(s string) string { return strings.Join(Words(s), " ") }

// SortedKey returns the folded words of s sorted, so that names differing
// only in word order share a key: "CHEN, Zhi" and "Zhi Chen" -> "chen zhi".
func SortedKey(s string) string {
	w := Words(s)
	slices.Sort(w)
	return strings.Join(w, " ")
}

// Compact returns the folded words of s with no separator, for comparing
// names split differently ("Jong-un" vs "Jongun", "Sihanouk Ville").
func Compact(s string) string { return strings.Join(Words(s), "") }

// IsInitial reports whether a normalised word is an initial (one letter).
func IsInitial(w string) bool { return len(w) == 1 && w[0] >= 'a' && w[0] <= 'z' }

// Initials returns the first letters of the words: ["chen","zhi"] -> "cz".
func Initials(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if w != "" {
			b.WriteByte(w[0])
		}
	}
	return b.String()
}

// companySuffixes are legal forms, as normalised word sequences, longest
// first within each group so that "co ltd" wins over "ltd".
var companySuffixes = [][]string{
	{"public", "company", "limited"},
	{"joint", "stock", "company"},
	{"company", "limited"},
	{"co", "ltd"},
	{"pte", "ltd"},
	{"pvt", "ltd"},
	{"sdn", "bhd"},
	{"pty", "ltd"},
	{"l", "l", "c"},
	{"s", "a"},
	{"limited"}, {"ltd"}, {"llc"}, {"inc"}, {"incorporated"}, {"corp"},
	{"corporation"}, {"co"}, {"company"}, {"plc"}, {"pte"}, {"bhd"}, {"jsc"},
	{"gmbh"}, {"ag"}, {"sa"}, {"srl"}, {"bv"}, {"nv"}, {"lp"}, {"llp"},
	{"pcl"}, {"tbk"}, {"cjsc"}, {"ojsc"}, {"ooo"}, {"zao"}, {"oao"},
}

// StripCompanySuffix removes trailing legal forms from normalised words
// (repeatedly: "Prince Holding Group Co., Ltd." -> "prince holding group",
// suffix "co ltd") and returns the core and the removed suffix. A name that
// is nothing but a legal form is returned unchanged.
func StripCompanySuffix(words []string) (core []string, suffix string) {
	core = words
	var removed []string
	for {
		hit := false
		for _, s := range companySuffixes {
			if len(core) > len(s) && slices.Equal(core[len(core)-len(s):], s) {
				removed = append(append([]string(nil), s...), removed...)
				core = core[:len(core)-len(s)]
				hit = true
				break
			}
		}
		if !hit {
			break
		}
	}
	return core, strings.Join(removed, " ")
}

// IsCompanySuffix reports whether a normalised word is, on its own, a legal
// form ("ltd", "co", "inc"...).
func IsCompanySuffix(w string) bool {
	for _, s := range companySuffixes {
		if len(s) == 1 && s[0] == w {
			return true
		}
	}
	return false
}

// titles are honorifics and forms of address that precede names in this
// domain's sources: Cambodian "Oknha"/"Neak Oknha", Malaysian "Tan Sri",
// "Datuk", "Dato' Sri", Thai "Khun", Burmese "U"/"Daw", the Karen "Saw"
// and English ones.
var titles = [][]string{
	{"neak", "oknha"}, {"tan", "sri"}, {"dato", "sri"}, {"datuk", "seri"}, {"his", "excellency"}, {"h", "e"},
	{"oknha"}, {"okhna"}, {"saw"}, {"datuk"}, {"dato"}, {"datin"}, {"tun"}, {"khun"}, {"daw"},
	{"mr"}, {"mrs"}, {"ms"}, {"miss"}, {"dr"}, {"sir"}, {"general"}, {"gen"}, {"colonel"}, {"col"},
	{"lt"}, {"maj"}, {"capt"}, {"brig"}, {"pol"}, {"samdech"}, {"lok"}, {"chumteav"}, {"excellency"},
}

// StripTitles removes leading honorifics from normalised words
// ("Neak Oknha Ly Yong Phat" -> "ly yong phat") and returns the rest; a name
// made only of titles is returned unchanged. The Burmese "U" is not removed
// (it is also an initial): the matcher treats initials leniently instead.
func StripTitles(words []string) []string {
	rest := words
	for {
		hit := false
		for _, t := range titles {
			if len(rest) > len(t) && slices.Equal(rest[:len(t)], t) {
				rest = rest[len(t):]
				hit = true
				break
			}
		}
		if !hit {
			return rest
		}
	}
}

// Name is a name prepared for comparison.
type Name struct {
	Original string   `json:"original"`
	Words    []string `json:"words"`            // folded words, titles and legal forms removed
	Suffix   string   `json:"suffix,omitempty"` // removed legal form, e.g. "co ltd"
	Sorted   string   `json:"sorted"`           // Words sorted and joined by spaces
	Compact  string   `json:"compact"`          // Words joined with no separator
}

// Prepare normalises one name: Words, with honorifics and trailing company
// legal forms removed, their sorted and compact forms. All fields are empty
// for a name with no letters or digits.
func Prepare(s string) Name {
	w := StripTitles(Words(s))
	core, suffix := StripCompanySuffix(w)
	sorted := slices.Clone(core)
	slices.Sort(sorted)
	return Name{
		Original: s,
		Words:    core,
		Suffix:   suffix,
		Sorted:   strings.Join(sorted, " "),
		Compact:  strings.Join(core, ""),
	}
}

// PreparePerson is Prepare for a person's name: honorifics are removed but
// no word is taken for a company legal form ("Kim Co" keeps "co").
func PreparePerson(s string) Name {
	w := StripTitles(Words(s))
	sorted := slices.Clone(w)
	slices.Sort(sorted)
	return Name{Original: s, Words: w, Sorted: strings.Join(sorted, " "), Compact: strings.Join(w, "")}
}

// Empty reports whether the name has no words to compare.
func (n Name) Empty() bool { return len(n.Words) == 0 }

// Key returns the folded words joined by spaces, in their order.
func (n Name) Key() string { return strings.Join(n.Words, " ") }

// Skeleton returns a rough consonant skeleton of a normalised word, for
// comparing romanisations of one sound ("shinawatra" and "chinwatr", from
// Thai, both give "xnwtr"; "manet" and "maannaet", from Khmer, "mnt"):
// the digraphs sh/ch -> x, zh/j -> j, ph -> f, th -> t, kh -> k, gh -> g,
// v -> w; vowels and h dropped (a leading vowel kept as "a"); doubled
// letters collapsed. It is deliberately lossy: compare only skeletons of at
// least three letters.
func Skeleton(w string) string {
	var b []byte
	push := func(c byte) {
		if len(b) == 0 || b[len(b)-1] != c {
			b = append(b, c)
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		if next == 'h' {
			switch c {
			case 's', 'c':
				push('x')
				i++
				continue
			case 'z':
				push('j')
				i++
				continue
			case 'p':
				push('f')
				i++
				continue
			case 't', 'k', 'g':
				push(c)
				i++
				continue
			}
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			if i == 0 {
				push('a')
			}
		case 'h':
		case 'v':
			push('w')
		default:
			push(c)
		}
	}
	return string(b)
}

// placeWords are generic words of place names, dropped by StripPlaceWords.
var placeWords = map[string]bool{
	"city": true, "province": true, "district": true, "township": true, "town": true,
	"municipality": true, "krong": true, "khet": true, "srok": true, "state": true, "region": true,
	"village": true, "commune": true,
}

// StripPlaceWords removes generic words such as "city", "province" or the
// Khmer "krong" from a place's normalised words ("Bavet City" -> "bavet");
// a name made only of them is returned unchanged.
func StripPlaceWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !placeWords[w] {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return words
	}
	return out
}

// PreparePlace is Prepare for a place's name: generic place words removed
// too ("Krong Bavet", "Bavet City" -> "bavet").
func PreparePlace(s string) Name {
	n := Prepare(s)
	w := StripPlaceWords(n.Words)
	sorted := slices.Clone(w)
	slices.Sort(sorted)
	n.Words, n.Sorted, n.Compact = w, strings.Join(sorted, " "), strings.Join(w, "")
	return n
}

// Numbers returns the words of a normalised name that are numbers
// ("KK Park 2" -> ["2"]); names that differ in them name different things.
func Numbers(words []string) []string {
	var out []string
	for _, w := range words {
		if w != "" && strings.Trim(w, "0123456789") == "" {
			out = append(out, w)
		}
	}
	return out
}
