package locale

import "testing"

func TestWantsEnglish(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"LANG": "C"}, false},
		{map[string]string{"LANG": "C.UTF-8"}, false},
		{map[string]string{"LANG": "POSIX"}, false},
		{map[string]string{"LANG": "nb_NO.UTF-8"}, false},
		{map[string]string{"LANG": "de_DE.UTF-8"}, false},
		{map[string]string{"LANG": "en_US.UTF-8"}, true},
		{map[string]string{"LANG": "en_GB"}, true},
		{map[string]string{"LANG": "nb_NO.UTF-8", "LC_ALL": "en_US.UTF-8"}, true},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "nb:en"}, false},
		{map[string]string{"LANG": "nb_NO.UTF-8", "LANGUAGE": "en_GB:nb"}, true},
		{map[string]string{"LANG": "C", "LANGUAGE": "en"}, false}, // LANGUAGE is ignored when messages are not localised
	}
	for _, tt := range tests {
		got := WantsEnglish(func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("WantsEnglish(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}
