package fetch

// OWNER: helper "fetch-data". Contract stub.

import (
	"errors"
	"time"
)

// KeychainService is the service name of the app's keychain entries; the account is the environment.
const KeychainService = "DocV Review"

// EnvAPIKey is the environment variable that overrides the keychain (for scripts).
const EnvAPIKey = "DOCV_API_KEY"

// Keychain errors.
var (
	ErrKeyNotFound         = errors.New("no API key stored")
	ErrKeychainUnavailable = errors.New("no OS keychain available")
)

// KeychainTimeoutError says the keychain did not answer in time (e.g. an unlock prompt left open).
type KeychainTimeoutError struct {
	Op      string
	Timeout time.Duration
}

func (e *KeychainTimeoutError) Error() string { panic("TODO fetch-data") }

// KeySource says where a key came from.
type KeySource string

// Key sources.
const (
	SourceNone     KeySource = ""
	SourceEnvVar   KeySource = "environment variable DOCV_API_KEY"
	SourceKeychain KeySource = "OS keychain"
	SourceSession  KeySource = "this session only (memory)"
)

// Keychain stores one API key per environment in the OS keychain, each call
// off the caller's goroutine and bounded by a timeout, with a session-only
// in-memory fallback. Keys are never logged or put in errors.
type Keychain struct{}

// DefaultKeychainTimeout is long enough for an OS unlock prompt.
const DefaultKeychainTimeout = 30 * time.Second

// NewKeychain returns a Keychain; getenv is os.Getenv in the app (nil: no env override).
func NewKeychain(timeout time.Duration, getenv func(string) string) *Keychain {
	panic("TODO fetch-data")
}

// Get returns the key of env: DOCV_API_KEY first, then the session key, then the OS keychain.
func (k *Keychain) Get(env Environment) (string, KeySource, error) { panic("TODO fetch-data") }

// Set stores key in the OS keychain (ErrKeychainUnavailable when there is none).
func (k *Keychain) Set(env Environment, key string) error { panic("TODO fetch-data") }

// SetSession keeps key in memory for this process only.
func (k *Keychain) SetSession(env Environment, key string) { panic("TODO fetch-data") }

// Delete removes the key of env from the OS keychain and from the session.
func (k *Keychain) Delete(env Environment) error { panic("TODO fetch-data") }

// Status says where env's key would come from, without returning it.
func (k *Keychain) Status(env Environment) (KeySource, error) { panic("TODO fetch-data") }
