package locale

import "testing"

func TestQuiet(t *testing.T) {
	tests := map[string]struct {
		env  map[string]string
		want bool
	}{
		"C.UTF-8":                          {map[string]string{"LANG": "C.UTF-8"}, true},
		"C.utf8 in LC_ALL":                 {map[string]string{"LC_ALL": "C.utf8", "LANG": "en_US.UTF-8"}, true},
		"POSIX with codeset":               {map[string]string{"LANG": "POSIX.UTF-8"}, true},
		"LC_MESSAGES before LANG":          {map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "de_DE.UTF-8"}, true},
		"plain C is parsed by Fyne":        {map[string]string{"LANG": "C"}, false},
		"a real locale":                    {map[string]string{"LANG": "en_US.UTF-8"}, false},
		"LC_ALL wins over C.UTF-8":         {map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "C.UTF-8"}, false},
		"LANGUAGE already set":             {map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "de"}, false},
		"nothing set":                      {map[string]string{}, false},
		"another language starting with C": {map[string]string{"LANG": "Ca.UTF-8"}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			set := map[string]string{}
			got := Quiet(func(k string) string { return tc.env[k] }, func(k, v string) error { set[k] = v; return nil })
			if got != tc.want {
				t.Fatalf("Quiet = %v, want %v", got, tc.want)
			}
			if tc.want && set["LANGUAGE"] != "en" || !tc.want && len(set) != 0 {
				t.Fatalf("set %v", set)
			}
		})
	}
}
