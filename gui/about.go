package gui

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"bankbro/assets"
)

// aboutContent is the body of Help → About: the app, its version and
// build (from FyneApp.toml, through the app's metadata), what it was
// built with, and a word about the demo bank.
func aboutContent(meta fyne.AppMetadata) fyne.CanvasObject {
	icon := canvas.NewImageFromResource(assets.Mark)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	name := meta.Name
	if name == "" {
		name = "Bankbro"
	}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	version := meta.Version
	if version == "" {
		version = lang.L("development build")
	}
	build := fmt.Sprint(meta.Build)
	if meta.Build == 0 {
		build = "–"
	}
	commit := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				commit = s.Value[:7]
			}
		}
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Version"), widget.NewLabel(version)),
		widget.NewFormItem(lang.L("Build"), widget.NewLabel(build)),
		widget.NewFormItem(lang.L("Built with"), widget.NewLabel(fmt.Sprintf("%s, %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH))),
	)
	if commit != "" {
		form.Append(lang.L("Source"), widget.NewLabel(commit))
	}
	what := widget.NewLabel(lang.L("Bookkeeping with a direct bank integration for Norwegian small businesses."))
	what.Wrapping = fyne.TextWrapWord
	what.Alignment = fyne.TextAlignCenter
	demo := widget.NewLabel(lang.L("Without a configured bank, Bankbro talks to its built-in demo bank, which speaks the same API as the real bank. Nothing there is real money."))
	demo.Wrapping = fyne.TextWrapWord
	demo.Alignment = fyne.TextAlignCenter // Low importance was too dim to read on the dark theme
	return container.NewVBox(container.NewCenter(icon), title, what, form, demo)
}

// showAbout opens Help → About.
func (u *ui) showAbout() {
	d := dialog.NewCustom(lang.L("About Bankbro"), lang.L("Close"), aboutContent(u.app.Metadata()), u.win)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}
