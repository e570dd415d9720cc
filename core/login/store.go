package login

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// StoredLogin is what survives between runs of the app: the refresh token and
// the moment the person logged in with BankID (the bank ends a login 30 days
// after that moment, however often it is refreshed).
type StoredLogin struct {
	RefreshToken string    `json:"refreshToken"`
	LoginAt      time.Time `json:"loginAt"`
}

// Format prints the stored login without its refresh token, whatever the
// verb, so it never lands in a log line or a panic message.
func (l StoredLogin) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "login.StoredLogin{loginAt: %s, refresh token hidden}", l.LoginAt.Format(time.RFC3339))
}

// Expires is when this login ends: LoginLifetime after LoginAt.
func (l StoredLogin) Expires() time.Time { return l.LoginAt.Add(LoginLifetime) }

// TokenStore keeps one StoredLogin. Load returns ErrNotStored when there is
// nothing stored.
type TokenStore interface {
	Load() (StoredLogin, error)
	Save(StoredLogin) error
	Delete() error
}

// ErrNotStored is returned by TokenStore.Load when no login is stored.
var ErrNotStored = errors.New("no bank login is stored")

// StoreKind says where a TokenStore keeps the refresh token.
type StoreKind int

const (
	// KindKeyring is the operating system's keyring (Secret Service, Keychain,
	// Windows Credential Manager).
	KindKeyring StoreKind = iota
	// KindFile is a file only the user may read (mode 0600) beside the ledger,
	// used where no keyring answers.
	KindFile
)

// String describes the kind of store in words the interface can show.
func (k StoreKind) String() string {
	if k == KindKeyring {
		return "the system keyring"
	}
	return "a protected file (no keyring found)"
}

// keyringService is the service name under which logins are kept in the keyring.
const keyringService = "Bankbro"

// keyringTimeout bounds each keyring call: on a desktop without a running
// secret service, a D-Bus call may hang instead of failing.
const keyringTimeout = 3 * time.Second

// FileStore keeps the login in a JSON file with mode 0600.
type FileStore struct {
	path string
}

// NewFileStore returns a store that keeps the login in the file at path
// (written with mode 0600, replaced atomically).
func NewFileStore(path string) *FileStore { return &FileStore{path: path} }

// Path is the file the login is kept in.
func (s *FileStore) Path() string { return s.path }

// Kind reports KindFile.
func (s *FileStore) Kind() StoreKind { return KindFile }

// Load reads the stored login.
func (s *FileStore) Load() (StoredLogin, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return StoredLogin{}, ErrNotStored
	}
	if err != nil {
		return StoredLogin{}, fmt.Errorf("read the stored bank login: %w", err)
	}
	return decodeStored(b, s.path)
}

// Save writes the login, readable only by the user.
func (s *FileStore) Save(l StoredLogin) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("save the bank login: %w", err)
	}
	dir := filepath.Dir(s.path)
	f, err := os.CreateTemp(dir, ".bankbro-login-*") // CreateTemp makes 0600 files
	if err != nil {
		return fmt.Errorf("save the bank login in %s: %w", dir, err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Chmod(0o600), f.Sync(), f.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save the bank login in %s: %w", dir, err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save the bank login as %s: %w", s.path, err)
	}
	return nil
}

// Delete removes the stored login; deleting nothing is not an error.
func (s *FileStore) Delete() error {
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the stored bank login: %w", err)
	}
	return nil
}

func decodeStored(b []byte, where string) (StoredLogin, error) {
	var l StoredLogin
	if err := json.Unmarshal(b, &l); err != nil || l.RefreshToken == "" {
		// The content is secret, so the error says where, not what.
		return StoredLogin{}, needLogin("The stored bank login in %s is damaged", where)
	}
	return l, nil
}

// KeyringStore keeps the login in the operating system's keyring under the
// service "Bankbro" and the ledger's absolute path. When the keyring refuses
// to store it, it falls back to the protected file beside the ledger.
type KeyringStore struct {
	user string
	file *FileStore

	mu       sync.Mutex
	fellBack bool
}

// Kind reports KindKeyring, or KindFile once the keyring refused a save.
func (s *KeyringStore) Kind() StoreKind {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fellBack {
		return KindFile
	}
	return KindKeyring
}

// Load reads the stored login from the keyring, or from the file beside the
// ledger when an earlier run had to use one.
func (s *KeyringStore) Load() (StoredLogin, error) {
	var secret string
	err := withTimeout(func() (err error) {
		secret, err = keyring.Get(keyringService, s.user)
		return err
	})
	switch {
	case err == nil:
		return decodeStored([]byte(secret), "the system keyring")
	case errors.Is(err, keyring.ErrNotFound):
		return s.file.Load()
	default:
		if l, ferr := s.file.Load(); ferr == nil {
			return l, nil
		}
		return StoredLogin{}, fmt.Errorf("read the bank login from the system keyring: %w", err)
	}
}

// Save writes the login to the keyring (and removes a fallback file); when
// the keyring refuses, it writes the protected file instead.
func (s *KeyringStore) Save(l StoredLogin) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("save the bank login: %w", err)
	}
	if err := withTimeout(func() error { return keyring.Set(keyringService, s.user, string(b)) }); err != nil {
		if ferr := s.file.Save(l); ferr != nil {
			return fmt.Errorf("save the bank login: the system keyring refused it (%v), and %w", err, ferr)
		}
		s.mu.Lock()
		s.fellBack = true
		s.mu.Unlock()
		return nil
	}
	s.mu.Lock()
	s.fellBack = false
	s.mu.Unlock()
	return s.file.Delete()
}

// Delete removes the login from the keyring and the fallback file; deleting
// nothing is not an error.
func (s *KeyringStore) Delete() error {
	err := withTimeout(func() error { return keyring.Delete(keyringService, s.user) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return errors.Join(fmt.Errorf("remove the bank login from the system keyring: %w", err), s.file.Delete())
	}
	return s.file.Delete()
}

var errKeyringTimeout = errors.New("the system keyring did not answer")

func withTimeout(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(keyringTimeout):
		return errKeyringTimeout
	}
}

// OpenStore returns the store for the ledger at ledgerPath: the system
// keyring when one answers, otherwise a 0600 file beside the ledger
// (<ledger>.login). The kind tells the interface which one is in use, so it
// can say "no keyring found; stored in a protected file".
func OpenStore(ledgerPath string) (TokenStore, StoreKind) {
	abs, err := filepath.Abs(ledgerPath)
	if err != nil {
		abs = ledgerPath
	}
	file := NewFileStore(abs + ".login")
	err = withTimeout(func() error {
		_, err := keyring.Get(keyringService, abs)
		return err
	})
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return file, KindFile
	}
	return &KeyringStore{user: abs, file: file}, KindKeyring
}

// NewKeyringStore is OpenStore without the kind: the keyring when one
// answers, else the protected file beside the ledger. Use KindOf to learn which.
func NewKeyringStore(ledgerPath string) TokenStore {
	s, _ := OpenStore(ledgerPath)
	return s
}

// KindOf reports where s keeps the login; stores from outside this package
// count as KindFile.
func KindOf(s TokenStore) StoreKind {
	if k, ok := s.(interface{ Kind() StoreKind }); ok {
		return k.Kind()
	}
	return KindFile
}
