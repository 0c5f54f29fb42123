package names_test

import (
	"slices"
	"testing"

	"github.com/scamgraph/scamgraph/graph/names"
)

func TestFold(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"ofac surname comma given", "CHEN, Zhi", "chen zhi"},
		{"diacritics", "Nguyễn Văn Hùng", "nguyen van hung"},
		{"vietnamese d with stroke", "Đặng Thị", "dang thi"},
		{"simplified chinese", "陈志", "chen zhi"},
		{"traditional chinese", "陳志", "chen zhi"},
		{"cyrillic", "Чен Чжи", "chen chzhi"},
		{"thai", "ทักษิณ ชินวัตร", "thaksin chinwatr"},
		{"khmer", "ហ៊ុន សែន", "hun saen"},
		{"apostrophe joins", "O'Brien", "obrien"},
		{"possessive dropped", "Ly Kuong's charges", "ly kuong charges"},
		{"possessive at the end", "Chen Zhi's", "chen zhi"},
		{"apostrophe s inside a word joins", "D'souza", "dsouza"},
		{"curly apostrophe joins", "Dato\u2019 Sri", "dato sri"},
		{"hyphen breaks", "Kim Jong-un", "kim jong un"},
		{"company punctuation", "Prince Holding Group Co., Ltd.", "prince holding group co ltd"},
		{"german sharp s", "Straße", "strasse"},
		{"digits kept", "KH-00012345", "kh 00012345"},
		{"only punctuation", " ,.; ", ""},
		{"invalid utf-8", "a\xffb", "a b"},
		{"mixed script", "Chen Zhi 陈志", "chen zhi chen zhi"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := names.Fold(c.in); got != c.want {
				t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestTokenizeOffsets(t *testing.T) {
	cases := []struct {
		name, in string
		want     []names.Token
	}{
		{"latin words", "Chen Zhi, CEO", []names.Token{{"chen", 0, 4}, {"zhi", 5, 8}, {"ceo", 10, 13}}},
		{"diacritics keep byte offsets", "Hùng x", []names.Token{{"hung", 0, 5}, {"x", 6, 7}}},
		{"cjk each ideograph a word", "陈志说", []names.Token{{"chen", 0, 3}, {"zhi", 3, 6}, {"shuo", 6, 9}}},
		{"apostrophe inside", "O'Brien.", []names.Token{{"obrien", 0, 7}}},
		{"possessive", "Kuong's x", []names.Token{{"kuong", 0, 5}, {"x", 8, 9}}},
		{"leading apostrophe breaks", "'x", []names.Token{{"x", 1, 2}}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := names.Tokenize(c.in)
			if !slices.Equal(got, c.want) {
				t.Errorf("Tokenize(%q) = %v, want %v", c.in, got, c.want)
			}
			for _, tok := range got {
				if tok.Start < 0 || tok.End > len(c.in) || tok.Start >= tok.End {
					t.Errorf("token %v out of range of %q", tok, c.in)
				}
			}
		})
	}
}

func TestSortedKey(t *testing.T) {
	cases := []struct{ name, a, b string }{
		{"surname first vs given first", "CHEN, Zhi", "Zhi Chen"},
		{"chinese vs latin", "陈志", "Zhi CHEN"},
		{"three words", "Ly Yong Phat", "Phat, Ly Yong"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if ka, kb := names.SortedKey(c.a), names.SortedKey(c.b); ka != kb {
				t.Errorf("SortedKey(%q) = %q, SortedKey(%q) = %q", c.a, ka, c.b, kb)
			}
		})
	}
}

func TestStripCompanySuffix(t *testing.T) {
	cases := []struct {
		name, in   string
		core       string
		wantSuffix string
	}{
		{"co ltd", "Prince Holding Group Co., Ltd.", "prince holding group", "co ltd"},
		{"pte ltd", "Huione Pay Pte. Ltd.", "huione pay", "pte ltd"},
		{"sdn bhd", "Golden Fortune Sdn Bhd", "golden fortune", "sdn bhd"},
		{"public company limited", "Thai Asset Public Company Limited", "thai asset", "public company limited"},
		{"stacked forms", "Acme Ltd. LLC", "acme", "ltd llc"},
		{"no suffix", "Prince Group", "prince group", ""},
		{"only a legal form", "Ltd", "ltd", ""},
		{"company in the middle stays", "Company of Heroes", "company of heroes", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			core, suffix := names.StripCompanySuffix(names.Words(c.in))
			if got := names.Fold(joinWords(core)); got != c.core || suffix != c.wantSuffix {
				t.Errorf("StripCompanySuffix(%q) = %q, %q; want %q, %q", c.in, got, suffix, c.core, c.wantSuffix)
			}
		})
	}
}

func joinWords(w []string) string {
	out := ""
	for i, s := range w {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestPrepare(t *testing.T) {
	cases := []struct {
		name, in          string
		person            bool
		key, sorted, comp string
	}{
		{"title oknha", "Neak Oknha Ly Yong Phat", true, "ly yong phat", "ly phat yong", "lyyongphat"},
		{"title datuk", "Datuk Seri Chen Zhi", true, "chen zhi", "chen zhi", "chenzhi"},
		{"person keeps co", "Kim Co", true, "kim co", "co kim", "kimco"},
		{"company strips co ltd", "Jin Bei Group Co., Ltd.", false, "jin bei group", "bei group jin", "jinbeigroup"},
		{"only a title stays", "Mr", true, "mr", "mr", "mr"},
		{"empty", "  ", false, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := names.Prepare(c.in)
			if c.person {
				n = names.PreparePerson(c.in)
			}
			if n.Key() != c.key || n.Sorted != c.sorted || n.Compact != c.comp {
				t.Errorf("Prepare(%q) = key %q sorted %q compact %q; want %q %q %q", c.in, n.Key(), n.Sorted, n.Compact, c.key, c.sorted, c.comp)
			}
			if n.Empty() != (c.key == "") {
				t.Errorf("Empty() = %v for %q", n.Empty(), c.in)
			}
		})
	}
}

func TestInitials(t *testing.T) {
	cases := []struct {
		name  string
		words []string
		want  string
	}{
		{"two words", []string{"chen", "zhi"}, "cz"},
		{"none", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := names.Initials(c.words); got != c.want {
				t.Errorf("Initials(%v) = %q, want %q", c.words, got, c.want)
			}
		})
	}
	if !names.IsInitial("z") || names.IsInitial("zh") || names.IsInitial("1") {
		t.Error("IsInitial: want true for one letter only")
	}
	if !names.IsCompanySuffix("ltd") || names.IsCompanySuffix("group") {
		t.Error("IsCompanySuffix: ltd is a legal form, group is not")
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"CHEN, Zhi", "陈志", "a\xffb", "O'Brien", "ทักษิณ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, tok := range names.Tokenize(s) {
			if tok.Start < prev || tok.End > len(s) || tok.Start >= tok.End || tok.Text == "" {
				t.Fatalf("bad token %v in %q", tok, s)
			}
			prev = tok.Start
		}
	})
}
