// Package locale chooses the interface language before any Fyne package
// reads the environment: Norwegian bokmål unless the system asks for
// English.
//
// Fyne picks its language in a package initialiser, and falls back to
// English for a system locale it has no translation for. Bankbro's default
// is bokmål, and LANG=C (or C.UTF-8) must not make Fyne log a parse error at
// every start. Go initialises packages in import-path order when they do not
// depend on each other, and this package depends on nothing but the standard
// library, so importing it from main lets its init run before Fyne's.
package locale

import (
	"os"
	"strings"
)

// English reports whether the interface speaks English (true) or bokmål.
var English bool

func init() { English = Apply() }

// Apply reads the locale variables (LC_ALL, LC_MESSAGES, LANG, LANGUAGE),
// decides the language, and rewrites the variables of this process so that
// Fyne sees a locale it can parse: nb_NO or en. It returns true for English.
func Apply() bool {
	english := WantsEnglish(os.Getenv)
	want := "nb_NO.UTF-8"
	if english {
		want = "en_US.UTF-8"
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := os.Getenv(v); val != "" {
			os.Setenv(v, want)
		}
	}
	os.Setenv("LANGUAGE", strings.TrimSuffix(want, ".UTF-8"))
	return english
}

// WantsEnglish decides from the environment whether the person asked for
// English: the first language named in LANGUAGE (when messages are
// localised at all), else LC_ALL, LC_MESSAGES or LANG, is English.
func WantsEnglish(getenv func(string) string) bool {
	primary := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if primary = getenv(v); primary != "" {
			break
		}
	}
	if isC(primary) {
		return false
	}
	if l := getenv("LANGUAGE"); l != "" {
		primary = strings.Split(l, ":")[0]
	}
	lang := strings.ToLower(primary)
	return lang == "en" || strings.HasPrefix(lang, "en_") || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en.")
}

func isC(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}
