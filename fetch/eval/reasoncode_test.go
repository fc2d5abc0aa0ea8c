package eval

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseReasonCodes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []ReasonCode
	}{
		{"array", `[{"code":"I831","description":"ok"},{"code":"R810","description":"edited"}]`,
			[]ReasonCode{{"I831", "ok"}, {"R810", "edited"}}},
		{"object under any key", `{"total":2,"reasonCodes":[{"name":"I831","desc":"ok"}]}`, []ReasonCode{{"I831", "ok"}}},
		{"nested", `{"data":{"page":1,"items":[{"reasonCode":"R1","text":"t"}]}}`, []ReasonCode{{"R1", "t"}}},
		{"snake case keys", `{"results":[{"reason_code":"R2","Message":"m"}]}`, []ReasonCode{{"R2", "m"}}},
		{"code beats name", `[{"name":"Document expired","code":"R827","description":"d"}]`, []ReasonCode{{"R827", "d"}}},
		{"description order", `[{"code":"A1","message":"m","description":"d"}]`, []ReasonCode{{"A1", "d"}}},
		{"bare strings", `["I831"," R810 ",""]`, []ReasonCode{{"I831", ""}, {"R810", ""}}},
		{"numeric code", `[{"code":831,"description":"n"}]`, []ReasonCode{{"831", "n"}}},
		{"array with codes beats an empty one", `{"a":[],"b":[{"code":"X1"}]}`, []ReasonCode{{"X1", ""}}},
		{"duplicates keep the first", `[{"code":"I831","description":"one"},{"code":"i831","description":"two"}]`, []ReasonCode{{"I831", "one"}}},
		{"junk items skipped", `[1,null,{"description":"no code"},{"code":"has space"},{"code":"OK1","description":"x\u0000y\n z"}]`, []ReasonCode{{"OK1", "xy z"}}},
		{"map of codes", `{"I831":"ok","R810":"edited"}`, []ReasonCode{{"I831", "ok"}, {"R810", "edited"}}},
		{"empty array", `[]`, []ReasonCode{}},
		{"empty list in an object", `{"reasonCodes":[]}`, []ReasonCode{}},
	}
	for _, tt := range tests {
		got, err := ParseReasonCodes([]byte(tt.in))
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %+v %v, want %+v", tt.name, got, err, tt.want)
		}
	}
	long := `[{"code":"` + strings.Repeat("A", 41) + `"},{"code":"B1","description":"` + strings.Repeat("é", 600) + `"}]`
	got, err := ParseReasonCodes([]byte(long))
	if err != nil || len(got) != 1 || utf8.RuneCountInString(got[0].Description) != MaxReasonDescriptionLen {
		t.Errorf("bounds: %d codes, %v", len(got), err)
	}
}

func TestParseReasonCodesHostile(t *testing.T) {
	for name, in := range map[string]string{
		"not json":        `<html>login</html>`,
		"truncated":       `[{"code":"I831"`,
		"error object":    `{"message":"Unauthorized"}`,
		"string":          `"I831"`,
		"number":          `42`,
		"null":            `null`,
		"empty":           ``,
		"too deep":        `{"a":{"b":{"c":{"d":{"e":[{"code":"X1"}]}}}}}`,
		"map with object": `{"I831":{"x":1}}`,
		"too large":       `["` + strings.Repeat("a", MaxReasonCodesBytes) + `"]`,
	} {
		got, err := ParseReasonCodes([]byte(in))
		if !errors.Is(err, ErrInvalidReasonCodes) || got != nil {
			t.Errorf("%s: %v %v, want ErrInvalidReasonCodes", name, got, err)
		}
		if err != nil && (strings.Contains(err.Error(), "login") || strings.Contains(err.Error(), "Unauthorized")) {
			t.Errorf("%s: error quotes the input: %v", name, err)
		}
	}
}

func FuzzParseReasonCodes(f *testing.F) {
	for _, s := range []string{`[{"code":"I831","description":"ok"}]`, `{"data":{"items":[{"name":"R1"}]}}`, `{"I1":"x"}`, `["A1"]`, `[]`, `{}`, `x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		codes, err := ParseReasonCodes(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidReasonCodes) || codes != nil {
				t.Fatalf("%v %v", codes, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, rc := range codes {
			if rc.Code == "" || strings.ContainsAny(rc.Code, " \n\t") || utf8.RuneCountInString(rc.Code) > MaxReasonCodeLen ||
				utf8.RuneCountInString(rc.Description) > MaxReasonDescriptionLen || !utf8.ValidString(rc.Description) || seen[strings.ToUpper(rc.Code)] {
				t.Fatalf("bad entry %+v", rc)
			}
			seen[strings.ToUpper(rc.Code)] = true
		}
	})
}
