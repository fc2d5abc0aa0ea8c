package aamva

import (
	"strings"
	"unicode"
)

// DocumentData is what the verification service read from the document
// (RiskOS documentVerification.documentData). Dates are YYYY-MM-DD, a
// time part after them is ignored. Empty fields are not compared.
type DocumentData struct {
	FirstName      string
	SurName        string
	FullName       string
	Address        string
	DocumentNumber string
	DOB            string
	ExpirationDate string
	IssueDate      string
}

// Mismatch is one field on which the barcode and the document data
// disagree. Field is the barcode's field name (first_name, last_name,
// full_name, address, document_number, dob, expiration_date, issue_date).
type Mismatch struct {
	Field    string `json:"field"`
	Barcode  string `json:"barcode"`
	Document string `json:"document"`
}

// Compare returns the fields on which f and d disagree, never nil. Names
// are compared ignoring case, accents, punctuation and spacing; dates as
// dates; document numbers ignoring case, spaces and dashes; the address as
// its letters and digits (street, city, state and ZIP code together, or the
// street alone when the document gives only that). A field missing on
// either side is not a mismatch.
func Compare(f Fields, d DocumentData) []Mismatch {
	out := []Mismatch{}
	add := func(field, barcode, document string) {
		out = append(out, Mismatch{Field: field, Barcode: barcode, Document: document})
	}
	if f.FirstName != "" && d.FirstName != "" && !sameName(f.FirstName, d.FirstName) {
		add("first_name", f.FirstName, d.FirstName)
	}
	if f.LastName != "" && d.SurName != "" && !sameName(f.LastName, d.SurName) {
		add("last_name", f.LastName, d.SurName)
	}
	if full := joinNonEmpty(" ", f.FirstName, f.MiddleName, f.LastName); full != "" && d.FullName != "" && !sameFullName(f, d.FullName) {
		add("full_name", full, d.FullName)
	}
	if f.DocumentNumber != "" && d.DocumentNumber != "" && docNumberKey(f.DocumentNumber) != docNumberKey(d.DocumentNumber) {
		add("document_number", f.DocumentNumber, d.DocumentNumber)
	}
	for _, c := range []struct{ field, barcode, document string }{
		{"dob", f.DOB, d.DOB},
		{"expiration_date", f.ExpirationDate, d.ExpirationDate},
		{"issue_date", f.IssueDate, d.IssueDate},
	} {
		if c.barcode != "" && c.document != "" && !sameDate(c.barcode, c.document) {
			add(c.field, c.barcode, c.document)
		}
	}
	if f.Address != "" && d.Address != "" && !sameAddress(f, d.Address) {
		add("address", fullAddress(f), d.Address)
	}
	return out
}

// sameName compares two names by their letters and digits, folded.
func sameName(a, b string) bool { return alnumKey(a) == alnumKey(b) }

// sameFullName reports whether the document's full name has the barcode's
// first and last name and nothing the barcode lacks. A one-letter token on
// either side matches a token with that initial (a middle initial).
func sameFullName(f Fields, full string) bool {
	doc := nameTokens(full)
	bar := nameTokens(joinNonEmpty(" ", f.FirstName, f.MiddleName, f.LastName))
	if len(doc) == 0 || len(bar) == 0 {
		return true
	}
	for _, must := range [][]string{nameTokens(f.FirstName), nameTokens(f.LastName)} {
		for _, t := range must {
			if !hasToken(doc, t) {
				return false
			}
		}
	}
	for _, t := range doc {
		if !hasToken(bar, t) {
			return false
		}
	}
	return true
}

// hasToken reports whether tokens hold t, an initial matching a longer
// token with that first letter.
func hasToken(tokens []string, t string) bool {
	for _, u := range tokens {
		switch {
		case u == t:
			return true
		case len(u) == 1 && strings.HasPrefix(t, u), len(t) == 1 && strings.HasPrefix(u, t):
			return true
		}
	}
	return false
}

// nameTokens splits a folded name into words of letters and digits.
func nameTokens(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !isAlnum(r) })
}

// docNumberKey drops spaces and dashes and ignores case.
func docNumberKey(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u2010", "", "\u2013", "").Replace(s))
}

// sameDate compares two dates given as YYYY-MM-DD (a time part after the
// date is ignored). A value that is not such a date is compared as text.
func sameDate(a, b string) bool {
	da, oka := datePart(a)
	db, okb := datePart(b)
	if oka && okb {
		return da == db
	}
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// datePart returns the YYYY-MM-DD date at the start of s.
func datePart(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return "", false
	}
	if !validDate(s[:4], s[5:7], s[8:10]) {
		return "", false
	}
	if len(s) > 10 && s[10] != 'T' && s[10] != ' ' {
		return "", false
	}
	return s[:10], true
}

// sameAddress compares the document's one-line address with the
// barcode's street, city, state and postal code.
func sameAddress(f Fields, doc string) bool {
	d := alnumKey(doc)
	if d == alnumKey(fullAddress(f)) || d == alnumKey(f.Address) {
		return true
	}
	// ZIP+4 on one side only.
	if zip5, _, ok := strings.Cut(f.PostalCode, "-"); ok {
		g := f
		g.PostalCode = zip5
		return d == alnumKey(fullAddress(g))
	}
	return false
}

// fullAddress is the barcode's address on one line:
// "STREET, CITY, ST 12345".
func fullAddress(f Fields) string {
	return joinNonEmpty(", ", f.Address, f.City, joinNonEmpty(" ", f.State, f.PostalCode))
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// alnumKey is s folded, letters and digits only.
func alnumKey(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if isAlnum(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold upper-cases s and removes the accents of Latin letters (É → E,
// ß → SS, Ø → O …), so that names compare as a reader would.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if rep, ok := latinFold[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latinFold maps the accented upper-case letters of Latin-1 and Latin
// Extended-A to their base letters.
var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "SS", 'ẞ': "SS", 'Æ': "AE", 'Œ': "OE", 'Ø': "O", 'Ð': "D", 'Þ': "TH", 'Ł': "L", 'Đ': "D", 'Ħ': "H", 'Ŧ': "T", 'Ŀ': "L", 'Ĳ': "IJ", 'ı': "I"}
	groups := map[string]string{
		"A": "ÀÁÂÃÄÅĀĂĄ", "C": "ÇĆĈĊČ", "D": "Ď", "E": "ÈÉÊËĒĔĖĘĚ", "G": "ĜĞĠĢ", "H": "Ĥ",
		"I": "ÌÍÎÏĨĪĬĮİ", "J": "Ĵ", "K": "Ķ", "L": "ĹĻĽ", "N": "ÑŃŅŇ", "O": "ÒÓÔÕÖŌŎŐ",
		"R": "ŔŖŘ", "S": "ŚŜŞŠ", "T": "ŢŤ", "U": "ÙÚÛÜŨŪŬŮŰŲ", "W": "Ŵ", "Y": "ÝŶŸ", "Z": "ŹŻŽ",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
