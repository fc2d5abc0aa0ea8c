package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"docvreview/fetch/simulator"
)

const simulateSynopsis = "docvreview simulate [--addr 127.0.0.1:8080]"

// Environment variables that configure the standalone simulator's keys.
const (
	envSimKey      = "DOCV_SIMULATOR_KEY"       // the only key accepted (else any non-empty key)
	envSimOtherKey = "DOCV_SIMULATOR_OTHER_KEY" // answered with 403, as the other environment's key
)

// runSimulate serves the RiskOS simulator on a loopback address until interrupted.
func runSimulate(args []string, env *Env) error {
	fs := newFlagSet("simulate", simulateSynopsis, env.Stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError(fs, "bad --addr: %v", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageError(fs, "--addr must be a loopback address (127.0.0.1, ::1 or localhost)")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	sim := simulator.New(simulator.Config{
		APIKey:      env.Getenv(envSimKey),
		OtherEnvKey: env.Getenv(envSimOtherKey),
		RequireAuth: true,
	})
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(env.Stdout, "RiskOS simulator on http://%s — scenarios:\n", ln.Addr())
	for _, id := range simulator.IDs() {
		fmt.Fprintf(env.Stdout, "  %s\n", id)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	ctx, cancel := interruptContext(env.Interrupt)
	defer cancel()
	select {
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		return nil
	}
}
