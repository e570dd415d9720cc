package gui

import (
	"errors"

	"bankbro/core/login"
)

func errorsIsCancelled(err error) bool { return errors.Is(err, login.ErrCancelled) }
