// Package assets holds what the app shows that is not code: the icon, bank
// logos and the translations, embedded in the binary.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

//go:embed img/sbanken.png
var sbankenPNG []byte

// Translations holds translations/nb.json and translations/en.json.
//
//go:embed translations/*.json
var Translations embed.FS

// Icon is the app's icon (512×512).
var Icon = fyne.NewStaticResource("bankbro.png", iconPNG)

// SbankenLogo is the mark shown on the Sbanken integration card.
var SbankenLogo = fyne.NewStaticResource("sbanken.png", sbankenPNG)
