// Package assets holds what the app shows that is not code: the icon, bank
// logos and the translations, embedded in the binary.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

//go:embed icon.png
var iconPNG []byte

//go:embed img/icon-192.png
var markPNG []byte

//go:embed img/sbanken.png
var sbankenPNG []byte

//go:embed img/bank.svg
var bankSVG []byte

// Translations holds translations/nb.json and translations/en.json.
//
//go:embed translations/*.json
var Translations embed.FS

// Icon is the app's icon (512×512), for the desktop: the window manager,
// the launcher, packaging.
var Icon = fyne.NewStaticResource("bankbro.png", iconPNG)

// Mark is the icon as the window shows it (192×192, for 96 points on a
// screen at twice the density at most). Fyne keeps an image decoded at the
// size of its file: the 512×512 icon held a megabyte for 20 points in the
// sidebar.
var Mark = fyne.NewStaticResource("bankbro-192.png", markPNG)

// SbankenLogo is the mark shown on the Sbanken integration card (112×112,
// for its 56 points).
var SbankenLogo = fyne.NewStaticResource("sbanken.png", sbankenPNG)

// BankIcon is a bank building in Material style, drawn in the theme's
// colour where an icon names bank accounts (Fyne's own set has none).
var BankIcon = theme.NewThemedResource(fyne.NewStaticResource("bank.svg", bankSVG))
