package eval

import (
	"fmt"
	"strings"
)

// Environment is a RiskOS environment the app can talk to.
type Environment string

// The environments. Demo is the built-in simulator: no network, no key.
const (
	Demo       Environment = "demo"
	Sandbox    Environment = "sandbox"
	Production Environment = "production"
)

// Environments lists every environment in the order the UI offers them.
func Environments() []Environment { return []Environment{Demo, Sandbox, Production} }

// ParseEnvironment accepts an environment name in any case ("prod" too).
func ParseEnvironment(s string) (Environment, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "demo":
		return Demo, nil
	case "sandbox":
		return Sandbox, nil
	case "production", "prod":
		return Production, nil
	}
	return "", fmt.Errorf("unknown environment %q (want demo, sandbox or production)", s)
}

// BaseURL is the RiskOS API base of the environment; empty for Demo.
func (e Environment) BaseURL() string {
	switch e {
	case Sandbox:
		return "https://riskos.sandbox.socure.com"
	case Production:
		return "https://riskos.socure.com"
	}
	return ""
}

// Title is the environment's name as shown to people.
func (e Environment) Title() string {
	switch e {
	case Demo:
		return "Demo"
	case Sandbox:
		return "Sandbox"
	case Production:
		return "Production"
	}
	return string(e)
}

// NeedsKey reports whether requests to the environment need an API key.
func (e Environment) NeedsKey() bool { return e == Sandbox || e == Production }

// Other is the environment whose key is most often pasted by mistake.
func (e Environment) Other() Environment {
	switch e {
	case Sandbox:
		return Production
	case Production:
		return Sandbox
	}
	return e
}
