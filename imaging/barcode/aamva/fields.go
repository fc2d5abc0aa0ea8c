package aamva

import (
	"strings"
	"time"
)

// Element IDs (AAMVA DL/ID card design standard, "Data elements").
//
// Versions 4–10 name the holder with DCS (family), DAC (first) and DAD
// (middle); versions 2–3 with DCS and DCT (given names: first and middle,
// separated by a comma or a space); version 1 with DAA (full name "LAST,
// FIRST,MIDDLE") and/or DAB (last), DAC (first), DAD (middle).
const (
	elemFullNameV1     = "DAA"
	elemLastNameV1     = "DAB"
	elemFirstName      = "DAC"
	elemMiddleName     = "DAD"
	elemFamilyName     = "DCS"
	elemGivenNames     = "DCT"
	elemStreet         = "DAG"
	elemStreet2        = "DAH"
	elemCity           = "DAI"
	elemState          = "DAJ"
	elemPostalCode     = "DAK"
	elemDocumentNumber = "DAQ"
	elemExpiration     = "DBA"
	elemDOB            = "DBB"
	elemSex            = "DBC"
	elemIssue          = "DBD"
)

// fieldsFrom maps the elements of one subfile to Fields.
func fieldsFrom(e map[string]string, version int, country string) Fields {
	var f Fields
	first, middle, last := names(e)
	f.FirstName, f.MiddleName, f.LastName = first, middle, last

	// Version 1 (and pre-standard files) write dates CCYYMMDD; later
	// versions MMDDCCYY in the USA and CCYYMMDD in Canada.
	ymd := version <= 1 || country == "CAN"
	f.DOB = normDate(e[elemDOB], ymd)
	f.ExpirationDate = normDate(e[elemExpiration], ymd)
	f.IssueDate = normDate(e[elemIssue], ymd)

	f.DocumentNumber = e[elemDocumentNumber]
	f.Address = e[elemStreet]
	if s2 := e[elemStreet2]; s2 != "" && !isUnavailable(s2) {
		if f.Address != "" {
			f.Address += ", "
		}
		f.Address += s2
	}
	f.City = e[elemCity]
	f.State = e[elemState]
	f.PostalCode = normPostal(e[elemPostalCode])
	f.Sex = normSex(e[elemSex])
	return f
}

// names finds first, middle and last name in whichever elements the
// version used.
func names(e map[string]string) (first, middle, last string) {
	last = known(e[elemFamilyName])
	if last == "" {
		last = known(e[elemLastNameV1])
	}
	first, middle = known(e[elemFirstName]), known(e[elemMiddleName])
	if first == "" {
		if g := known(e[elemGivenNames]); g != "" {
			gf, gm := splitGiven(g)
			first = gf
			if middle == "" {
				middle = gm
			}
		}
	}
	if full := known(e[elemFullNameV1]); full != "" && (first == "" || last == "") {
		fl, ff, fm := splitFullName(full)
		if last == "" {
			last = fl
		}
		if first == "" {
			first = ff
			if middle == "" {
				middle = fm
			}
		}
	}
	return first, middle, last
}

// splitGiven splits DCT's given names into first and middle: at the first
// comma when there is one, else at the first space.
func splitGiven(g string) (first, middle string) {
	sep := ","
	if !strings.Contains(g, ",") {
		sep = " "
	}
	first, middle, _ = strings.Cut(g, sep)
	return strings.TrimSpace(first), strings.Join(strings.Fields(strings.ReplaceAll(middle, ",", " ")), " ")
}

// splitFullName splits version 1's DAA. The standard writes
// "LAST,FIRST,MIDDLE" (some issuers use '$' between the parts); without a
// separator the name is read in spoken order "FIRST MIDDLE LAST".
func splitFullName(full string) (last, first, middle string) {
	sep := ""
	switch {
	case strings.Contains(full, ","):
		sep = ","
	case strings.Contains(full, "$"):
		sep = "$"
	}
	if sep != "" {
		parts := strings.Split(full, sep)
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		last = parts[0]
		if len(parts) > 1 {
			first = parts[1]
		}
		if len(parts) > 2 {
			middle = strings.Join(strings.Fields(strings.Join(parts[2:], " ")), " ")
		}
		return last, first, middle
	}
	tok := strings.Fields(full)
	switch len(tok) {
	case 0:
		return "", "", ""
	case 1:
		return tok[0], "", ""
	}
	return tok[len(tok)-1], tok[0], strings.Join(tok[1:len(tok)-1], " ")
}

// known returns v unless it is one of the standard's "not available"
// placeholders.
func known(v string) string {
	if isUnavailable(v) {
		return ""
	}
	return v
}

// isUnavailable reports whether v says the value is not available.
func isUnavailable(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "NONE", "UNAVL", "UNAVAILABLE", "UNK", "UNKNOWN", "N/A", "NA":
		return true
	}
	return false
}

// normDate converts an 8-digit date to YYYY-MM-DD: CCYYMMDD when ymd,
// else MMDDCCYY. When that reading is not a real date the other order is
// tried (issuers do not all follow the standard). Anything else is "".
func normDate(v string, ymd bool) string {
	var d []byte
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '/' || c == '-' || c == ' ' || c == '.':
		default:
			return ""
		}
		if len(d) > 8 {
			return ""
		}
	}
	if len(d) != 8 {
		return ""
	}
	s := string(d)
	orders := []bool{ymd, !ymd}
	for _, o := range orders {
		var y, m, day string
		if o {
			y, m, day = s[:4], s[4:6], s[6:]
		} else {
			m, day, y = s[:2], s[2:4], s[4:]
		}
		if validDate(y, m, day) {
			return y + "-" + m + "-" + day
		}
	}
	return ""
}

// validDate reports whether the digits name a real calendar day between
// 1800 and 2299.
func validDate(y, m, d string) bool {
	yy, _ := digits([]byte(y), 0, 4)
	mm, _ := digits([]byte(m), 0, 2)
	dd, _ := digits([]byte(d), 0, 2)
	if yy < 1800 || yy > 2299 || mm < 1 || mm > 12 || dd < 1 {
		return false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	return t.Day() == dd && int(t.Month()) == mm
}

// normPostal formats a US ZIP code (DAK is 11 characters, ZIP+4 padded
// with zeros and spaces) as 12345 or 12345-6789; other codes (Canada) are
// returned upper-cased without spaces.
func normPostal(v string) string {
	s := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "-", ""))
	allDigits := s != ""
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			allDigits = false
			break
		}
	}
	switch {
	case allDigits && len(s) == 9 && s[5:] == "0000":
		return s[:5]
	case allDigits && len(s) == 9:
		return s[:5] + "-" + s[5:]
	}
	return s
}

// normSex maps DBC (1 male, 2 female, 9 not specified; some issuers write
// the letter) to M, F or X.
func normSex(v string) string {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "1", "M":
		return "M"
	case "2", "F":
		return "F"
	case "9", "X":
		return "X"
	}
	return ""
}
