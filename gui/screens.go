package gui

func (u *ui) openWizard() {}
